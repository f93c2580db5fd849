/**
 * Issue 14.1: a rootfs operation must never run outside the rootfs it was
 * planned on. Containers written in pre-2.1 keys with a directory, a
 * block-device, a dataset and a missing rootfs are fixed with
 * `--suggestions` from a working directory (and beside a parent folder)
 * holding sentinel files at the paths the udevd suggestion renames: every
 * sentinel must stay where it is, whatever the rootfs kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcrRaw } from './run-cli.js';
import { applyRootfsOp } from '../../src/fix/rootfs-ops.js';

const KINDS: Record<string, string> = {
  directory: 'lxc.rootfs = ROOT\n',
  'block device': 'lxc.rootfs = /dev/vg0/web2\nlxc.rootfs.backend = lvm\n',
  dataset: 'lxc.rootfs = tank/lxc/web1\nlxc.rootfs.backend = zfs\n',
  missing: 'lxc.rootfs = ROOT-gone\n',
};

async function sentinels(dir: string): Promise<string[]> {
  const files = ['sbin/udevd', 'lib/systemd/systemd-udevd', 'usr/lib/systemd/systemd-udevd'].map((p) => path.join(dir, p));
  for (const f of files) {
    await mkdir(path.dirname(f), { recursive: true });
    await writeFile(f, 'sentinel\n');
  }
  return files;
}

for (const [kind, rootfsLines] of Object.entries(KINDS)) {
  test(`fix --suggestions of a legacy container with a ${kind} rootfs touches nothing outside its rootfs`, async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'ctcr-sentinel-'));
    try {
      const cwd = path.join(base, 'cwd');
      const ct = path.join(base, 'web');
      const root = path.join(ct, 'rootfs');
      const outside = [...(await sentinels(cwd)), ...(await sentinels(base))];
      await mkdir(path.join(root, 'sbin'), { recursive: true });
      await writeFile(path.join(root, 'sbin', 'udevd'), 'inside\n');
      await writeFile(path.join(ct, 'config'), `lxc.utsname = web\n${rootfsLines.replace('ROOT', root)}lxc.tty = 4\n`);
      const r = await ctcrRaw(['fix', '--suggestions', ct], { cwd, env: { CTCR_STATE_DIR: path.join(base, 'state') } });
      assert.ok(r.exitCode === 0 || r.exitCode === 1, `${r.exitCode}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
      for (const f of outside) assert.ok(existsSync(f), `${f} was moved (${r.stdout}${r.stderr})`);
      // Only the directory rootfs is one ctcr may change: there the suggestion renames inside it.
      if (kind === 'directory') assert.ok(!existsSync(path.join(root, 'sbin', 'udevd')), 'the udevd inside the rootfs was renamed');
      else if (kind !== 'missing') assert.ok(existsSync(path.join(root, 'sbin', 'udevd')), 'a rootfs the config does not name was left alone');
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
}

test('a rootfs operation refuses an empty, relative or vanished root', async () => {
  const op = { op: 'rename' as const, from: '/sbin/udevd', to: '/sbin/udevd.disabled' };
  await assert.rejects(applyRootfsOp('', op), /not an absolute path/);
  await assert.rejects(applyRootfsOp('rootfs', op), /not an absolute path/);
  await assert.rejects(applyRootfsOp('/', op), /not an absolute path below/);
  await assert.rejects(applyRootfsOp(path.join(tmpdir(), 'ctcr-no-such-root'), op), /not a directory/);
});

test('issue 15.3: fix --suggestions on a udevd that links to ../etc/passwd renames the link, never /etc/passwd', async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-sentinel-link-'));
  try {
    const ct = path.join(base, 'web');
    const root = path.join(ct, 'rootfs');
    await mkdir(path.join(root, 'sbin'), { recursive: true });
    await mkdir(path.join(root, 'etc'));
    await writeFile(path.join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    await symlink('../etc/passwd', path.join(root, 'sbin', 'udevd'));
    await writeFile(path.join(ct, 'config'), `lxc.uts.name = web\nlxc.rootfs.path = dir:${root}\n`);
    const r = await ctcrRaw(['fix', '--suggestions', '--rule', 'udevd-present', ct], { cwd: base, env: { CTCR_STATE_DIR: path.join(base, 'state') } });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.equal(await readFile(path.join(root, 'etc', 'passwd'), 'utf8'), 'root:x:0:0::/root:/bin/sh\n');
    assert.ok(!existsSync(path.join(root, 'etc', 'passwd.bcp')), '/etc/passwd was renamed');
    assert.equal(await readlink(path.join(root, 'sbin', 'udevd.bcp')), '../etc/passwd');
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
