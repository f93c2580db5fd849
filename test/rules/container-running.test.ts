import { testLogRule } from '../helpers/log-rule-tester.js';
import rule from '../../rules/container-running.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, stoppedBusybox } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'restore into a stopped container', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), purpose: 'restore' },
    { name: 'a doctor run wants it running', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
  ],
  invalid: [
    {
      name: 'restore asked, container running',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox(),
      purpose: 'restore',
      errors: [{ messageId: 'running', file: BUSYBOX_CONFIG_PATH, line: 0, message: /^container bb is RUNNING: lxc-checkpoint -r restores only into a stopped container \("container is already running"\)\. Stop it: lxc-stop -n bb$/ }],
    },
  ],
});

testLogRule(rule, {
  valid: ["(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1"],
  invalid: ['lxc-checkpoint: c1: tools/lxc_checkpoint.c: restore: 214 c1 is running, not restoring'],
});
