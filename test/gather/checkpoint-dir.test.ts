import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gatherCheckpointDir } from '../../src/gather/checkpoint-dir.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ctcr-ckpt-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('a directory that is not there yet (LXC creates it)', async () => {
  const dir = path.join(scratch, 'new');
  assert.deepEqual(await gatherCheckpointDir(dir), { path: dir, exists: false, hasInventory: false, hasTtyInfo: false });
});

test('a fresh directory, then one used by a dump with a console', async () => {
  const dir = path.join(scratch, 'used');
  mkdirSync(dir);
  assert.deepEqual(await gatherCheckpointDir(dir), { path: dir, exists: true, isDirectory: true, hasInventory: false, hasTtyInfo: false });
  writeFileSync(path.join(dir, 'inventory.img'), '');
  writeFileSync(path.join(dir, 'tty.info'), 'tty[8800:1b]');
  assert.deepEqual(await gatherCheckpointDir(dir), { path: dir, exists: true, isDirectory: true, hasInventory: true, hasTtyInfo: true });
});

test('a file where the directory should be; a path under a file; a relative path made absolute', async () => {
  const file = path.join(scratch, 'afile');
  writeFileSync(file, '');
  assert.deepEqual(await gatherCheckpointDir(file), { path: file, exists: true, isDirectory: false, hasInventory: false, hasTtyInfo: false });
  assert.deepEqual(await gatherCheckpointDir(path.join(file, 'sub')), { path: path.join(file, 'sub'), exists: false, hasInventory: false, hasTtyInfo: false });
  const rel = path.relative(process.cwd(), path.join(scratch, 'used'));
  assert.equal((await gatherCheckpointDir(rel)).path, path.join(scratch, 'used'));
});
