/** The doctor's probe of the container's mqueue and pstore mounts, on a made-up /proc (a folder standing for /proc/INIT/root). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MountInfoEntry } from '../../src/types.js';
import { gatherMustBeEmpty } from '../../src/gather/doctor-probes.js';

const mount = (mountId: number, mountPoint: string, fstype: string): MountInfoEntry => ({ mountId, parentId: 1, majorMinor: '0:40', root: '/', mountPoint, options: ['rw'], fstype, source: fstype, superOptions: ['rw'] });
// As /proc/INIT/mountinfo of a lab busybox container showed it: "74 68 0:40 / /dev/mqueue rw,relatime shared:4 - mqueue mqueue rw".
const MOUNTS = [mount(68, '/dev', 'tmpfs'), mount(74, '/dev/mqueue', 'mqueue'), mount(80, '/sys/fs/pstore', 'pstore')];

test('mqueue and pstore mounts are listed with their names; other mounts are not read', async () => {
  const proc = await mkdtemp(path.join(tmpdir(), 'ctcr-proc-'));
  try {
    await mkdir(path.join(proc, '4242', 'root', 'dev', 'mqueue'), { recursive: true });
    await mkdir(path.join(proc, '4242', 'root', 'sys', 'fs', 'pstore'), { recursive: true });
    await writeFile(path.join(proc, '4242', 'root', 'dev', 'mqueue', 'q2'), '');
    await writeFile(path.join(proc, '4242', 'root', 'dev', 'mqueue', 'q1'), '');
    const got = await gatherMustBeEmpty({ initPid: 4242, mountinfo: { ok: true, value: MOUNTS } }, 2000, proc);
    assert.deepEqual(got, { ok: true, value: [{ mountPoint: '/dev/mqueue', fstype: 'mqueue', entries: ['q1', 'q2'] }, { mountPoint: '/sys/fs/pstore', fstype: 'pstore', entries: [] }] });
  } finally {
    await rm(proc, { recursive: true, force: true });
  }
});

test('an unreadable mount is a failed fact, not an empty one', async () => {
  const proc = await mkdtemp(path.join(tmpdir(), 'ctcr-proc-'));
  try {
    const got = await gatherMustBeEmpty({ initPid: 4242, mountinfo: { ok: true, value: MOUNTS } }, 2000, proc);
    assert.equal(got?.ok, false);
    assert.match(got && !got.ok ? got.reason : '', /^mqueue and pstore contents: no such file or directory \(.*\/4242\/root\/dev\/mqueue\)$/);
  } finally {
    await rm(proc, { recursive: true, force: true });
  }
});

test('nothing to read for a stopped container or an unknown mount table', () => {
  assert.equal(gatherMustBeEmpty({ initPid: null, mountinfo: { ok: true, value: MOUNTS } }, 2000), undefined);
  assert.equal(gatherMustBeEmpty({ initPid: 4242, mountinfo: { ok: false, reason: 'EACCES' } }, 2000), undefined);
});
