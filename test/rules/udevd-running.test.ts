import rule from '../../rules/udevd-running.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, process, withProcesses } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'busybox: init, rcS, syslogd, udhcpc', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'a process merely named like it (udevadm)', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([process(4001, 9, 'udevadm', '/bin/udevadm')]) }) },
    { name: 'a restore: nothing runs yet', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([process(4001, 9, 'udevd', '/sbin/udevd')]) }), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'systemd-udevd runs',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([process(4001, 40, 'systemd-udevd', '/usr/lib/systemd/systemd-udevd')]) }),
      errors: [{ messageId: 'udevdRunning', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'warning', message: /^systemd-udevd \(PID 40 in the container, 4001 on the host\) is a udev daemon \(\/usr\/lib\/systemd\/systemd-udevd\)/ }],
      rootfsOps: ['rename /usr/lib/systemd/systemd-udevd -> /usr/lib/systemd/systemd-udevd.bcp'],
    },
    {
      name: 'classic udevd whose binary was deleted: no rename offered',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([process(4002, 41, 'udevd', '/sbin/udevd (deleted)')]) }),
      errors: [{ messageId: 'udevdRunning', message: /^udevd \(PID 41 in the container, 4002 on the host\) is a udev daemon:/ }],
      suggestionOutput: null,
      rootfsOps: [],
    },
  ],
});
