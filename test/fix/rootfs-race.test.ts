/**
 * Issue 15.2: a container that swaps `rootfs/sbin` between a directory and a
 * symlink to a host directory while ctcr renames its udevd must never make
 * ctcr rename the host's file. A second process swaps the two as fast as it
 * can; hundreds of renames run against it, in process and through real
 * `ctcr fix --suggestions` runs, and the sentinel in the host directory must
 * stay where it is, under its name, every time. Also proves the claim the
 * fix rests on: renaming `/proc/self/fd/N/name` renames `name` in the folder
 * N was opened on, whatever the folder's path now leads to, and does not
 * follow a link that `name` is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyRootfsOp, RootfsOpError } from '../../src/fix/rootfs-ops.js';
import { ctcrRaw } from './run-cli.js';

const udevd = { op: 'rename' as const, from: '/sbin/udevd', to: '/sbin/udevd.bcp' };
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** A rootfs whose /sbin (a directory) a child process keeps swapping with a link to `outside`; the directory's descriptor, to reset it through. */
function swappingRootfs(base: string): { root: string; outside: string; realSbinFd: number; ready: Promise<void>; stop: () => Promise<void> } {
  const root = path.join(base, 'rootfs');
  const outside = path.join(base, 'host-sbin');
  mkdirSync(path.join(root, 'sbin'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'sbin', 'udevd'), 'inside\n');
  writeFileSync(path.join(outside, 'udevd'), 'sentinel\n');
  symlinkSync(outside, path.join(root, 'sbin.link'));
  const realSbinFd = openSync(path.join(root, 'sbin'), DIR_FLAGS);
  const swapper = spawn(process.execPath, ['-e', `
    const { renameSync } = require('node:fs');
    const [sbin, real, link] = ['sbin', 'sbin.real', 'sbin.link'].map((n) => require('node:path').join(${JSON.stringify(root)}, n));
    process.stdout.write('ready\\n');
    for (;;) { renameSync(sbin, real); renameSync(link, sbin); renameSync(sbin, link); renameSync(real, sbin); }
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => swapper.stdout!.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => swapper.once('exit', () => resolve()));
  return {
    root, outside, realSbinFd, ready,
    stop: async () => {
      if (swapper.exitCode === null && swapper.signalCode === null) {
        swapper.kill('SIGKILL');
        await exited;
      }
      closeSync(realSbinFd);
    },
  };
}

function assertSentinelUntouched(outside: string, context: string): void {
  assert.equal(readFileSync(path.join(outside, 'udevd'), 'utf8'), 'sentinel\n', `the host's udevd was moved (${context})`);
  assert.ok(!existsSync(path.join(outside, 'udevd.bcp')), `the host's udevd was renamed to udevd.bcp (${context})`);
}

test('a rename through /proc/self/fd/N renames in the folder N was opened on, and renames a link itself', async (t) => {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-fdrename-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const a = path.join(base, 'a');
  const elsewhere = path.join(base, 'elsewhere');
  mkdirSync(a);
  mkdirSync(elsewhere);
  writeFileSync(path.join(a, 'f'), 'in a\n');
  writeFileSync(path.join(elsewhere, 'f'), 'elsewhere\n');
  writeFileSync(path.join(elsewhere, 'target'), 'target\n');
  symlinkSync(path.join(elsewhere, 'target'), path.join(a, 'link'));
  const fd = openSync(a, DIR_FLAGS);
  try {
    // The folder's path now leads elsewhere: the descriptor still names the first folder.
    renameSync(a, path.join(base, 'a.moved'));
    symlinkSync(elsewhere, a);
    renameSync(`/proc/self/fd/${fd}/f`, `/proc/self/fd/${fd}/g`);
    renameSync(`/proc/self/fd/${fd}/link`, `/proc/self/fd/${fd}/link.bcp`);
  } finally {
    closeSync(fd);
  }
  assert.equal(readFileSync(path.join(base, 'a.moved', 'g'), 'utf8'), 'in a\n');
  assert.equal(readFileSync(path.join(elsewhere, 'f'), 'utf8'), 'elsewhere\n');
  assert.equal(readlinkSync(path.join(base, 'a.moved', 'link.bcp')), path.join(elsewhere, 'target'));
  assert.ok(existsSync(path.join(elsewhere, 'target')) && !existsSync(path.join(elsewhere, 'target.bcp')));
  // And O_NOFOLLOW|O_DIRECTORY refuses a link to a folder: what makes a swapped component fail instead of being followed.
  assert.throws(() => openSync(a, DIR_FLAGS), (err: NodeJS.ErrnoException) => err.code === 'ENOTDIR' || err.code === 'ELOOP');
});

test('renames race a container swapping its /sbin with a link to a host folder: the host file is never touched', async (t) => {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-race-'));
  const rootfs = swappingRootfs(base);
  // The swapper stops before its folder is removed.
  t.after(async () => { await rootfs.stop(); await rm(base, { recursive: true, force: true }); });
  await rootfs.ready;
  const counts = { renamed: 0, refused: 0 };
  const deadline = Date.now() + 3000;
  for (let i = 0; counts.renamed + counts.refused < 300 || (Date.now() < deadline && i < 5000); i++) {
    try {
      await applyRootfsOp(rootfs.root, udevd);
      counts.renamed++;
    } catch (err) {
      if (!(err instanceof RootfsOpError)) throw err;
      counts.refused++;
    }
    assertSentinelUntouched(rootfs.outside, `try ${i}: ${JSON.stringify(counts)}`);
    // Put the rootfs's own udevd back, through the real folder's descriptor (its path is swapped all the time).
    const fdDir = `/proc/self/fd/${rootfs.realSbinFd}`;
    if (existsSync(`${fdDir}/udevd.bcp`)) renameSync(`${fdDir}/udevd.bcp`, `${fdDir}/udevd`);
  }
  t.diagnostic(`tries: ${JSON.stringify(counts)}`);
  // Both outcomes happened: the race was real, and the rename still works when the folder holds still.
  assert.ok(counts.renamed > 0, `no rename ever succeeded: ${JSON.stringify(counts)}`);
  assert.ok(counts.refused > 0, `no rename was ever refused: ${JSON.stringify(counts)}`);
});

test('ctcr fix --suggestions runs race the same swap: the host file is never touched', async (t) => {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-race-cli-'));
  const rootfs = swappingRootfs(path.join(base, 'web'));
  t.after(async () => { await rootfs.stop(); await rm(base, { recursive: true, force: true }); });
  writeFileSync(path.join(base, 'web', 'config'), `lxc.uts.name = web\nlxc.rootfs.path = dir:${rootfs.root}\n`);
  await rootfs.ready;
  const RUNS = 12;
  let renamed = 0;
  for (let batch = 0; batch < RUNS / 4; batch++) {
    // Four at a time, racing each other as well as the swap (each records its run in a state directory of its own).
    const results = await Promise.all([0, 1, 2, 3].map((k) => ctcrRaw(['fix', '--suggestions', '--rule', 'udevd-present', path.join(base, 'web')], {
      cwd: base, env: { CTCR_STATE_DIR: path.join(base, `state-${batch}-${k}`) },
    })));
    for (const r of results) {
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
      assertSentinelUntouched(rootfs.outside, `${r.exitCode}: ${r.stdout}${r.stderr}`);
    }
    const fdDir = `/proc/self/fd/${rootfs.realSbinFd}`;
    if (existsSync(`${fdDir}/udevd.bcp`)) {
      renamed++;
      renameSync(`${fdDir}/udevd.bcp`, `${fdDir}/udevd`);
    }
    assert.ok(lstatSync(`${fdDir}/udevd`).isFile());
  }
  t.diagnostic(`${RUNS} runs, ${renamed} batches renamed the rootfs's udevd`);
});
