import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../rules/checkpoint-missing.js';
import { explainCriuLog } from '../../src/criu/log.js';
import { SIGNATURES } from '../helpers/signatures.js';
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

// explain: an empty image read right after "No inventory.img image" is a directory without a dump.
test('checkpoint-missing: explain names it for an empty image after "No inventory.img image", and criu-images without it', () => {
  const failed = '(00.000130) No inventory.img image\n(00.000137) Error (criu/protobuf.c:72): Unexpected EOF on (empty-image)\n';
  assert.equal(explainCriuLog(failed, SIGNATURES).diagnoses[0]?.ruleId, 'checkpoint-missing');
  assert.equal(explainCriuLog('(00.000137) Error (criu/protobuf.c:72): Unexpected EOF on (empty-image)\n', SIGNATURES).diagnoses[0]?.ruleId, 'criu-images');
});
