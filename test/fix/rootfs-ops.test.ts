/**
 * Rootfs operations stay in the rootfs: symlinks are followed as the
 * container sees them (an absolute link starts again at the rootfs root),
 * `..` is refused, nothing on the host outside the rootfs is touched,
 * nothing is overwritten, and a link itself is renamed, not its target.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyRootfsOp, opIsDone, reverseOp } from '../../src/fix/rootfs-ops.js';

const exists = (p: string) => lstat(p).then(() => true, () => false);
const udevd = { op: 'rename' as const, from: '/sbin/udevd', to: '/sbin/udevd.bcp' };

async function layout(t: TestContext): Promise<{ base: string; root: string; host: string }> {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-rootfs-ops-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = path.join(base, 'rootfs');
  // A "host" folder beside the rootfs, holding a file of the same name, that no operation may reach.
  const host = path.join(base, 'host');
  await mkdir(path.join(host, 'sbin'), { recursive: true });
  await writeFile(path.join(host, 'sbin', 'udevd'), 'host udevd\n');
  await mkdir(root);
  return { base, root, host };
}

test('a rename inside the rootfs, and its reverse', async (t) => {
  const { root } = await layout(t);
  await mkdir(path.join(root, 'sbin'));
  await writeFile(path.join(root, 'sbin', 'udevd'), 'x');
  await applyRootfsOp(root, udevd);
  assert.ok(await exists(path.join(root, 'sbin', 'udevd.bcp')));
  assert.ok(!(await exists(path.join(root, 'sbin', 'udevd'))));
  assert.equal(await opIsDone(root, udevd), true);
  await applyRootfsOp(root, reverseOp(udevd));
  assert.equal(await readFile(path.join(root, 'sbin', 'udevd'), 'utf8'), 'x');
});

test('an absolute symlink in the path is followed inside the rootfs, never onto the host', async (t) => {
  const { root, host } = await layout(t);
  // /sbin -> /usr/sbin (merged /usr), as the container sees it.
  await mkdir(path.join(root, 'usr', 'sbin'), { recursive: true });
  await writeFile(path.join(root, 'usr', 'sbin', 'udevd'), 'rootfs udevd\n');
  await symlink('/usr/sbin', path.join(root, 'sbin'));
  await applyRootfsOp(root, udevd);
  assert.ok(await exists(path.join(root, 'usr', 'sbin', 'udevd.bcp')));
  assert.equal(await readFile(path.join(host, 'sbin', 'udevd'), 'utf8'), 'host udevd\n');
});

test("a symlink naming a host path, or climbing out with '..', is resolved in the rootfs: refused when the rootfs has no such folder", async (t) => {
  const { base, root, host } = await layout(t);
  await symlink(path.join(host, 'sbin'), path.join(root, 'sbin'));
  await assert.rejects(applyRootfsOp(root, udevd), /not a directory in the rootfs/);
  await rm(path.join(root, 'sbin'));
  await symlink(path.join('..', '..', '..', '..', path.relative('/', host), 'sbin'), path.join(root, 'sbin'));
  await assert.rejects(applyRootfsOp(root, udevd), /not a directory in the rootfs/);
  assert.equal(await readFile(path.join(host, 'sbin', 'udevd'), 'utf8'), 'host udevd\n');
  assert.ok(!(await exists(path.join(host, 'sbin', 'udevd.bcp'))));
  assert.ok(base);
});

test("'..' in an operation's paths is refused", async (t) => {
  const { root } = await layout(t);
  await mkdir(path.join(root, 'sbin'));
  await assert.rejects(applyRootfsOp(root, { op: 'rename', from: '/sbin/../../host/sbin/udevd', to: '/sbin/x' }), /without '\.\.'/);
  await assert.rejects(applyRootfsOp(root, { op: 'rename', from: 'sbin/udevd', to: '/sbin/x' }), /not an absolute path/);
});

test('nothing is overwritten; a missing source is said; renames stay in one folder', async (t) => {
  const { root } = await layout(t);
  await mkdir(path.join(root, 'sbin'));
  await mkdir(path.join(root, 'bin'));
  await writeFile(path.join(root, 'sbin', 'udevd'), 'a');
  await writeFile(path.join(root, 'sbin', 'udevd.bcp'), 'b');
  await assert.rejects(applyRootfsOp(root, udevd), /already exists \(not overwritten\)/);
  assert.equal(await readFile(path.join(root, 'sbin', 'udevd.bcp'), 'utf8'), 'b');
  await assert.rejects(applyRootfsOp(root, { op: 'rename', from: '/sbin/nothing', to: '/sbin/x' }), /\/sbin\/nothing does not exist/);
  await assert.rejects(applyRootfsOp(root, { op: 'rename', from: '/sbin/udevd', to: '/bin/udevd' }), /stays in one folder/);
});

test('a symlink as the last component is renamed itself; its target is untouched', async (t) => {
  const { root, host } = await layout(t);
  await mkdir(path.join(root, 'sbin'));
  await symlink(path.join(host, 'sbin', 'udevd'), path.join(root, 'sbin', 'udevd'));
  await applyRootfsOp(root, udevd);
  assert.equal(await readlink(path.join(root, 'sbin', 'udevd.bcp')), path.join(host, 'sbin', 'udevd'));
  assert.ok(await exists(path.join(host, 'sbin', 'udevd')));
  assert.ok(!(await exists(path.join(host, 'sbin', 'udevd.bcp'))));
});
