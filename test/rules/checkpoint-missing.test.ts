import rule from '../../rules/checkpoint-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, stoppedBusybox } from '../helpers/live-facts.js';

const dir = (over: object = {}) => ({ path: '/srv/ckpt/bb', exists: true, isDirectory: true, hasInventory: true, hasTtyInfo: false, ...over });

new RuleTester().run(rule, {
  valid: [
    { name: 'a checkpoint to restore', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), checkpointDir: dir(), purpose: 'restore' },
    { name: 'a dump wants it empty', config: BUSYBOX_CONFIG, host: host(), container: busybox(), checkpointDir: dir({ hasInventory: false }) },
    { name: 'unreadable: facts-unavailable says so', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), checkpointDir: dir({ hasInventory: false, error: '/srv/ckpt/bb/inventory.img: permission denied' }), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'the directory does not exist',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: stoppedBusybox(),
      checkpointDir: dir({ exists: false, hasInventory: false, isDirectory: undefined }),
      purpose: 'restore',
      errors: [{ messageId: 'noCheckpoint', file: BUSYBOX_CONFIG_PATH, line: 0, message: '/srv/ckpt/bb does not exist: there is no checkpoint to restore. Name the directory a dump wrote' }],
    },
    { name: 'an empty directory', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox(), checkpointDir: dir({ hasInventory: false }), purpose: 'restore', errors: [{ messageId: 'noCheckpoint', message: /has no inventory\.img/ }] },
  ],
});
