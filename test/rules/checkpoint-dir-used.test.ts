import rule from '../../rules/checkpoint-dir-used.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, stoppedBusybox } from '../helpers/live-facts.js';

const dir = (over: object = {}) => ({ path: '/srv/ckpt/bb', exists: true, isDirectory: true, hasInventory: false, hasTtyInfo: false, ...over });

new RuleTester().run(rule, {
  valid: [
    { name: 'a directory that does not exist yet (lxc-checkpoint creates it)', config: BUSYBOX_CONFIG, host: host(), container: busybox(), checkpointDir: dir({ exists: false, isDirectory: undefined }) },
    { name: 'an empty directory', config: BUSYBOX_CONFIG, host: host(), container: busybox(), checkpointDir: dir() },
    { name: 'restoring from a used one is the point', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), checkpointDir: dir({ hasInventory: true }), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'a previous checkpoint is there',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox(),
      checkpointDir: dir({ hasInventory: true, hasTtyInfo: true }),
      errors: [{ messageId: 'holdsCheckpoint', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: '/srv/ckpt/bb already holds a checkpoint (inventory.img, tty.info): lxc-checkpoint refuses to dump into it ("please use a fresh directory for the dump directory"). Use a new directory' }],
    },
    { name: 'a file, not a directory', config: BUSYBOX_CONFIG, host: host(), container: busybox(), checkpointDir: dir({ isDirectory: false }), errors: [{ messageId: 'notDirectory', message: /^\/srv\/ckpt\/bb is not a directory/ }] },
  ],
});
