import { testLogRule } from '../helpers/log-rule-tester.js';
import rule from '../../rules/container-not-running.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, stoppedBusybox } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'running', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'frozen counts as running (CRIU freezes it anyway)', config: BUSYBOX_CONFIG, host: host(), container: busybox({ state: 'FROZEN' }) },
    { name: 'a restore wants it stopped', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'stopped',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: stoppedBusybox(),
      errors: [{ messageId: 'notRunning', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: 'container bb is STOPPED: lxc-checkpoint dumps only a running container ("container is not running"), and its processes, sockets and mounts cannot be checked. Start it: lxc-start -n bb' }],
    },
    {
      name: 'state unknown, in another lxcpath',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ state: 'UNKNOWN', initPid: null, lxcpath: '/srv/lxc', stateNote: 'lxc-info: timed out' }),
      errors: [{ messageId: 'notRunning', message: /^container bb is in an unknown state \(lxc-info: timed out\):.*lxc-start -n bb -P \/srv\/lxc$/ }],
    },
  ],
});

testLogRule(rule, {
  valid: ["(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1"],
  invalid: ['lxc-checkpoint: c1: tools/lxc_checkpoint.c: checkpoint: 158 c1 not running, not checkpointing'],
});
