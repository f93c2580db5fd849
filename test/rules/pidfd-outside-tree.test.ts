import rule from '../../rules/pidfd-outside-tree.js';
import type { FdFacts } from '../../src/types.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, criu, host, process, stoppedBusybox, version, withProcesses } from '../helpers/live-facts.js';

/** A pidfd as /proc/PID/fd and fdinfo show it (flags 02000002 = O_RDWR|O_CLOEXEC; O_EXCL 0200 = PIDFD_THREAD). */
const pidfd = (fd: number, target: number, flags = 0o2000002): FdFacts => ({ fd, link: 'anon_inode:[pidfd]', kind: 'pidfd', flags, info: { Pid: String(target), NSpid: String(target) } });
const holder = (...fds: FdFacts[]) => ({ ...process(90020, 60, 'supervisor'), fds: { ok: true as const, value: fds } });
const child = { ...process(90021, 61, 'worker'), ppid: 90020 };

new RuleTester().run(rule, {
  valid: [
    { name: 'a pidfd of its own child, in the tree', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([holder(pidfd(5, 90021)), child]) }) },
    { name: 'a pidfd of a process that has exited (Pid: -1): CRIU recreates it', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([holder(pidfd(5, -1))]) }) },
    { name: 'no fds known', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([{ ...process(90020, 60, 'supervisor'), fds: { ok: false, reason: 'EACCES' } }]) }) },
    { name: 'stopped container', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox() },
    { name: 'CRIU 4.0: every pidfd is refused, and unsupported-file says so (not this rule)', config: BUSYBOX_CONFIG, host: host({ criu: criu({ version: version('4.0') }) }), container: busybox({ processes: withProcesses([holder(pidfd(5, 1))]) }) },
  ],
  invalid: [
    {
      name: 'a pidfd of a host process',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([holder(pidfd(5, 1))]) }),
      errors: [
        { messageId: 'pidfdOutside', 
          file: BUSYBOX_CONFIG_PATH,
          line: 0,
          severity: 'error',
          message: /^supervisor \(PID 60 in the container, 90020 on the host\) holds a pidfd on fd 5 for host PID 1, outside the container: the dump fails \("pidfd pid 1 is not a part of process tree\.\."\)/,
        },
      ],
    },
    {
      name: "a pidfd of an lxc-attach'ed process (in the pid namespace, not in the tree)",
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([holder(pidfd(5, 90030)), { ...process(90030, 70, 'sh'), inTree: false }]) }),
      errors: [{ messageId: 'pidfdOutside', message: /for sh \(PID 70 in the container, 90030 on the host\), which is not in the tree CRIU dumps/ }],
    },
    {
      name: 'a thread pidfd (PIDFD_THREAD) even of a task in the tree',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([holder(pidfd(6, 90021, 0o2000202)), child]) }),
      errors: [{ messageId: 'threadPidfd', message: /holds a thread pidfd \(PIDFD_THREAD\) on fd 6: CRIU refuses it/ }],
    },
  ],
});
