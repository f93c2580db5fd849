import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CRIU_FSTYPES, fsSupport, fsWorkarounds, LXC_ENABLED_FS, mountCookie, NEWEST_KNOWN_CRIU, usualFstypeAt } from '../../src/criu/filesystems.js';
import { parseVersion } from '../../src/criu/version.js';

test('NEWEST_KNOWN_CRIU is 4.2 and parses', () => {
  assert.equal(NEWEST_KNOWN_CRIU, '4.2');
  assert.ok(parseVersion(NEWEST_KNOWN_CRIU));
});

test('the fstypes CRIU 4.2 knows, by level', () => {
  assert.equal(fsSupport('proc', '4.2').support, 'supported');
  assert.equal(fsSupport('cgroup2', '4.2').support, 'supported');
  const tmpfs = fsSupport('tmpfs', '4.2');
  assert.equal(tmpfs.support, 'content-dumped');
  assert.equal(tmpfs.needsTool, 'tar');
  assert.equal(fsSupport('mqueue', '4.2').support, 'must-be-empty');
  assert.equal(fsSupport('pstore', '4.2').support, 'must-be-empty');
  assert.equal(fsSupport('fuse', '4.2').support, 'always-fails');
  assert.equal(fsSupport('btrfs', '4.2').support, 'unsupported');
});

test('lookup is exact: fuse.lxcfs is not fuse, ext4 is unknown', () => {
  const lxcfs = fsSupport('fuse.lxcfs', '4.2');
  assert.equal(lxcfs.support, 'unsupported');
  assert.match(lxcfs.note, /FUSE subtype/);
  assert.equal(fsSupport('ext4', '4.2').support, 'unsupported');
  assert.equal(fsSupport('Proc', '4.2').support, 'unsupported');
});

test('CRIU 1.0 era (2014): only the first table; later types are unknown', () => {
  assert.equal(fsSupport('tmpfs', '1.0').support, 'content-dumped');
  assert.equal(fsSupport('pstore', '1.2').support, 'unsupported');
  assert.equal(fsSupport('pstore', '1.3').support, 'must-be-empty');
  assert.equal(fsSupport('mqueue', '1.3').support, 'unsupported');
  assert.equal(fsSupport('mqueue', '1.4').support, 'must-be-empty');
  assert.equal(fsSupport('overlay', '1.6').support, 'unsupported');
  assert.equal(fsSupport('overlay', '1.7').support, 'supported');
  assert.equal(fsSupport('tracefs', '2.2').support, 'unsupported');
  assert.equal(fsSupport('tracefs', '2.3').support, 'supported');
  assert.equal(fsSupport('autofs', '2.4').since, '2.4');
  assert.equal(fsSupport('cgroup2', '3.13').support, 'unsupported');
  assert.equal(fsSupport('cgroup2', '3.14').support, 'supported');
  assert.match(fsSupport('cgroup2', '3.13').note, /added in 3\.14/);
});

test('fuse before 1.6 was simply unknown; from 1.6 it always fails', () => {
  assert.equal(fsSupport('fuse', '1.5').support, 'unsupported');
  assert.equal(fsSupport('fuse', '1.6').support, 'always-fails');
});

test('--enable-fs makes an unknown type auto (since 1.6), comma lists and all included', () => {
  const hugetlb = fsSupport('hugetlbfs', '4.2', { enableFs: LXC_ENABLED_FS });
  assert.equal(hugetlb.support, 'supported');
  assert.equal(hugetlb.viaEnableFs, true);
  assert.equal(fsSupport('configfs', '4.2', { enableFs: ['bpf,configfs'] }).support, 'supported');
  assert.equal(fsSupport('fuse.lxcfs', '4.2', { enableFs: ['all'] }).support, 'supported');
  assert.equal(fsSupport('configfs', '1.5', { enableFs: ['configfs'] }).support, 'unsupported');
  // Not a substring match: "config" does not enable "configfs".
  assert.equal(fsSupport('configfs', '4.2', { enableFs: ['config'] }).support, 'unsupported');
});

test('--enable-fs cannot rescue types that are in the table', () => {
  assert.equal(fsSupport('btrfs', '4.2', { enableFs: ['btrfs'] }).support, 'unsupported');
  assert.equal(fsSupport('fuse', '4.2', { enableFs: ['all'] }).support, 'always-fails');
});

test('LXC always enables hugetlbfs and tracefs', () => {
  assert.deepEqual([...LXC_ENABLED_FS], ['hugetlbfs', 'tracefs']);
});

test('every table entry has a since that parses', () => {
  for (const e of CRIU_FSTYPES) assert.ok(parseVersion(e.since), e.fstype);
});

test('workarounds for an unknown type include --enable-fs; the external form follows the CRIU version', () => {
  const ways = fsWorkarounds('configfs', '/sys/kernel/config', '4.2');
  assert.deepEqual(ways.map((w) => w.kind), ['unmount', 'external', 'skip-mnt', 'enable-fs']);
  const ext = ways.find((w) => w.kind === 'external')!;
  assert.deepEqual(ext.dump, ['--external', 'mnt[/sys/kernel/config]:ext-sys-kernel-config']);
  assert.deepEqual(ext.restore, ['--external', 'mnt[ext-sys-kernel-config]:HOST_PATH']);
  const old = fsWorkarounds('configfs', '/sys/kernel/config', '2.6').find((w) => w.kind === 'external')!;
  assert.deepEqual(old.dump, ['--ext-mount-map', '/sys/kernel/config:ext-sys-kernel-config']);
});

test('workarounds for table types leave out --enable-fs; CRIU before 1.6 has no --skip-mnt', () => {
  assert.ok(!fsWorkarounds('btrfs', '/data', '4.2').some((w) => w.kind === 'enable-fs'));
  assert.ok(!fsWorkarounds('configfs', '/x', '1.5').some((w) => w.kind === 'skip-mnt' || w.kind === 'enable-fs'));
  assert.match(fsWorkarounds('mqueue', '/dev/mqueue', '4.2')[0]!.description, /empty \/dev\/mqueue/);
});

test('mountCookie', () => {
  assert.equal(mountCookie('/sys/fs/pstore'), 'ext-sys-fs-pstore');
  assert.equal(mountCookie('/'), 'ext-root');
});

test('usualFstypeAt', () => {
  assert.equal(usualFstypeAt('/sys/kernel/config'), 'configfs');
  assert.equal(usualFstypeAt('/dev/mqueue/'), 'mqueue');
  assert.equal(usualFstypeAt('/srv/data'), undefined);
});
