import rule from '../../rules/console-mismatch.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, host, stoppedBusybox } from '../helpers/live-facts.js';

const dir = (hasTtyInfo: boolean) => ({ path: '/srv/ckpt/bb', exists: true, isDirectory: true, hasInventory: true, hasTtyInfo });
const NO_CONSOLE = BUSYBOX_CONFIG + 'lxc.console.path = none\n';

new RuleTester().run(rule, {
  valid: [
    { name: 'dumped with a console, restored with one', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), checkpointDir: dir(true), purpose: 'restore' },
    { name: 'dumped and restored without (no tty.info)', config: NO_CONSOLE, host: host(), container: stoppedBusybox(), checkpointDir: dir(false), purpose: 'restore' },
    { name: 'the reverse restores fine (measured in the lab): no tty.info, console allocated', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), checkpointDir: dir(false), purpose: 'restore' },
    { name: 'not a restore', config: NO_CONSOLE, host: host(), container: stoppedBusybox(), checkpointDir: dir(true) },
  ],
  invalid: [
    {
      name: 'tty.info in the images, lxc.console.path = none here',
      config: NO_CONSOLE,
      host: host(),
      container: stoppedBusybox(),
      checkpointDir: dir(true),
      purpose: 'restore',
      errors: [{ messageId: 'dumpedWithConsole', file: 'config', line: 35, column: 1, severity: 'error', message: /^\/srv\/ckpt\/bb was dumped with a console \(it holds tty\.info\), but lxc\.console\.path = none here: .*"lxc\.console\.path configured on source host but not target"/ }],
      output: null,
      suggestionOutput: {
        config: BUSYBOX_CONFIG + '# ctcr: the checkpoint was made with a console; lxc-checkpoint -r needs one here (console-mismatch)\n# lxc.console.path = none\n',
      },
    },
    {
      name: 'legacy key in an include',
      config: 'lxc.include = base.conf\n',
      files: { 'base.conf': 'lxc.console = none\n' },
      host: host(),
      container: stoppedBusybox(),
      checkpointDir: dir(true),
      purpose: 'restore',
      errors: [{ messageId: 'dumpedWithConsole', file: 'base.conf', line: 1, message: /but lxc\.console = none here/ }],
      suggestionOutput: { config: 'lxc.include = base.conf\nlxc.console.path =\n' },
    },
  ],
});
