import rule from '../../rules/traced-process.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, process, stoppedBusybox, udhcpc, withProcesses } from '../helpers/live-facts.js';

const traced = (tracerPid: number, state = 't') => ({ ...udhcpc(), state, tracerPid });
const replaceUdhcpc = (p: ReturnType<typeof udhcpc>) => {
  const c = busybox();
  const procs = c.processes.ok ? c.processes.value.filter((x) => x.comm !== 'udhcpc') : [];
  return busybox({ processes: { ok: true, value: [...procs, p] } });
};

new RuleTester().run(rule, {
  valid: [
    { name: 'busybox: nobody traced (TracerPid 0)', config: BUSYBOX_CONFIG, host: host(), container: replaceUdhcpc({ ...udhcpc(), state: 'S', tracerPid: 0 }) },
    { name: 'old facts without TracerPid: unknown, silent', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'stopped by SIGSTOP but not traced: CRIU handles stopped tasks', config: BUSYBOX_CONFIG, host: host(), container: replaceUdhcpc({ ...udhcpc(), state: 'T', tracerPid: 0 }) },
    { name: 'stopped container', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox() },
    { name: 'a restore does not seize', config: BUSYBOX_CONFIG, host: host(), container: replaceUdhcpc(traced(4242)), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'udhcpc under strace from the host',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: replaceUdhcpc(traced(4242)),
      errors: [
        { messageId: 'traced', 
          file: BUSYBOX_CONFIG_PATH,
          line: 0,
          severity: 'error',
          message: /^udhcpc \(PID 6 in the container, \d+ on the host\) is traced by PID 4242 on the host: CRIU cannot seize a traced task.*"zombie \d+ \(comm \.\.\.\) found while seizing", after "Unable to interrupt task: \d+ \(Operation not permitted\)"\)\. Detach the tracer \(quit strace\/gdb, or kill PID 4242\) first$/,
        },
      ],
    },
    {
      name: 'a tracer inside the container (strace run by lxc-attach) is named as such',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([{ ...process(90001, 40, 'sleep'), state: 'S', tracerPid: 90002 }, { ...process(90002, 41, 'strace'), tracerPid: 0, inTree: false }]) }),
      errors: [{ messageId: 'traced', message: /^sleep \(PID 40 in the container, 90001 on the host\) is traced by strace \(PID 41 in the container, 90002 on the host\), inside the container:/ }],
    },
  ],
});
