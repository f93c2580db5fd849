import rule from '../../rules/stopped-process.js';
import type { HostFacts } from '../../src/types.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, process, stoppedBusybox, withProcesses } from '../helpers/live-facts.js';

const sleeper = (state: string, extra: Record<string, unknown> = {}) => ({ ...process(90200, 12, 'sleep'), state, tracerPid: 0, ...extra });
/** The recorded host (hybrid: lxc-checkpoint freezes with the v1 freezer), or one with a pure cgroup v2 layout. */
const v2Host = (): HostFacts => {
  const h = host();
  if (!h.cgroups.ok) throw new Error('no recorded cgroups');
  return host({ cgroups: { ok: true, value: { ...h.cgroups.value, layout: 'v2', freezerV1: null } } });
};

new RuleTester().run(rule, {
  valid: [
    { name: 'sleeping and running tasks', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([sleeper('S'), { ...sleeper('R'), pid: 90201, nspid: 13 }]) }) },
    { name: 'a zombie is not stopped', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([sleeper('Z')]) }) },
    { name: 'stopped under a tracer: traced-process reports it', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([sleeper('t', { tracerPid: 4242 })]) }) },
    { name: 'state unknown (older facts)', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([process(90200, 12, 'sleep')]) }) },
    { name: 'stopped container', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox() },
    { name: 'a restore seizes nothing', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([sleeper('T')]) }), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'kill -STOP on a sleep, hybrid host (as in the lab run)',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([sleeper('T')]) }),
      errors: [
        { messageId: 'stopped', 
          file: BUSYBOX_CONFIG_PATH,
          line: 0,
          severity: 'error',
          message: /^sleep \(PID 12 in the container, 90200 on the host\) is stopped \(state T\): the dump would hang, .*stay FROZEN\. Continue it first \(kill -CONT 90200\) or kill it$/,
        },
      ],
    },
    {
      name: "an lxc-attach'ed job stopped with Ctrl-Z is in the cgroup too",
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([sleeper('T', { inTree: false })]) }),
      errors: [{ messageId: 'stopped', severity: 'error', message: /is stopped \(state T\)/ }],
    },
    {
      name: 'pure cgroup v2: not tried, a warning',
      config: BUSYBOX_CONFIG,
      host: v2Host(),
      container: busybox({ processes: withProcesses([sleeper('T')]) }),
      errors: [{ messageId: 'stopped', severity: 'warning', message: /with the v1 freezer the dump hangs on a stopped task .*not tried with cgroup v2/ }],
    },
  ],
});
