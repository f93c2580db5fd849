import rule from '../../rules/session-outside.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, process, stoppedBusybox, withProcesses } from '../helpers/live-facts.js';

const daemon = (nsSid: number | undefined, extra: Record<string, unknown> = {}) => ({ ...process(90010, 50, 'nc'), ...(nsSid === undefined ? {} : { nsSid }), state: 'S', ...extra });

new RuleTester().run(rule, {
  valid: [
    { name: 'a daemon with a session of its own in the container', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([daemon(50)]) }) },
    { name: 'a daemon in the session of init (sid 1)', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([daemon(1)]) }) },
    { name: 'NSsid unknown (older facts): silent', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([daemon(undefined)]) }) },
    { name: 'an lxc-attach\'ed shell not in init\'s tree: CRIU does not dump it', config: BUSYBOX_CONFIG, host: host(), container: busybox({ processes: withProcesses([daemon(0, { inTree: false })]) }) },
    { name: 'stopped container', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox() },
  ],
  invalid: [
    {
      name: 'a daemon started by lxc-attach without a pty, reparented to init, host session',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([daemon(0)]) }),
      errors: [
        { messageId: 'sessionOutside', 
          file: BUSYBOX_CONFIG_PATH,
          line: 0,
          severity: 'error',
          message: /^nc \(PID 50 in the container, 90010 on the host\) belongs to a session whose leader is outside the container's pid namespace \(NSsid 0\).*"A session leader of 90010\(50\) is outside of its pid namespace"/,
        },
      ],
    },
    {
      name: 'a zombie of such a session gets the zombie wording',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([daemon(0, { state: 'Z' })]) }),
      errors: [{ messageId: 'sessionOutside', message: /"A session leader of zombie process 90010\(50\) is outside of its pid namespace"/ }],
    },
  ],
});
