/**
 * The deadline, the kill and the thaw with real processes and, as root, real
 * cgroups: a v1 freezer cgroup and a v2 one (this host is hybrid) made for
 * the test, a real sleep frozen in them, a stand-in "lxc-checkpoint" (a shell
 * that starts a child and waits forever) run by the real runner.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CriuCommand } from '../../src/criu/command.js';
import { runCriuCommand } from '../../src/run/runner.js';
import { spawnProgram } from '../../src/run/spawn.js';
import { cgroupPathsOf, freezerDirs, isFrozen, thawContainer } from '../../src/run/thaw.js';
import { FIXTURES_DIR } from '../criu/fixtures.js';
import { SIGNATURES } from '../helpers/signatures.js';

/** Running or sleeping; a killed child waiting for its new parent to reap it (Z) is not alive. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { phase: () => undefined, note: () => undefined, stop: () => undefined };

/** A shell that starts a child (criu's place) and waits; both PIDs in a file. */
function hangingProgram(t: TestContext): { program: string; pids: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-watchdog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pids = path.join(dir, 'pids');
  const program = path.join(dir, 'fake-lxc-checkpoint');
  writeFileSync(program, `#!/bin/sh\nsleep 1000 &\necho "$$ $!" > ${pids}\nwait\n`);
  chmodSync(program, 0o755);
  return { program, pids };
}

test('cgroupPathsOf reads the freezer and the unified path of a hybrid host', () => {
  const text = readFileSync(path.join(FIXTURES_DIR, 'proc', 'cgroup-lxc-hybrid.txt'), 'utf8');
  assert.deepEqual(cgroupPathsOf(text), { freezer: '/lxc.payload.ctcrlab-up-1', unified: '/lxc.payload.ctcrlab-up-1' });
  assert.deepEqual(cgroupPathsOf('0::/system.slice/x.service\n'), { unified: '/system.slice/x.service' });
  assert.deepEqual(cgroupPathsOf('3:cpu,freezer:/a/b\n'), { freezer: '/a/b' });
});

test('on its deadline the spawner kills the whole process group, the child too', async (t) => {
  const { program, pids } = hangingProgram(t);
  const t0 = performance.now();
  const r = await spawnProgram(program, [], { env: process.env, timeoutMs: 400, group: true });
  const took = performance.now() - t0;
  assert.equal(r.timedOut, true);
  assert.match(r.error ?? '', /timed out after 0\.4 s/);
  assert.ok(took < 3000, `returned in ${took} ms`);
  const [shell, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
  await sleepMs(100);
  assert.equal(alive(shell!), false, 'the program is gone');
  assert.equal(alive(child!), false, 'the child it started is gone');
});

/** A cgroup made for the test in one hierarchy, a sleep in it; removed after. */
function testCgroup(t: TestContext, hierarchy: string, name: string): { dir: string; sleeper: ChildProcess } | undefined {
  if (process.geteuid?.() !== 0 || !existsSync(hierarchy)) return undefined;
  const dir = path.join(hierarchy, name);
  try {
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  const sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
  t.after(async () => {
    try {
      writeFileSync(path.join(dir, existsSync(path.join(dir, 'freezer.state')) ? 'freezer.state' : 'cgroup.freeze'), existsSync(path.join(dir, 'freezer.state')) ? 'THAWED' : '0');
    } catch {
      /* gone */
    }
    sleeper.kill('SIGKILL');
    await sleepMs(100);
    try {
      rmdirSync(dir);
    } catch {
      /* still busy: the kernel lets go shortly */
    }
  });
  writeFileSync(path.join(dir, 'cgroup.procs'), String(sleeper.pid));
  return { dir, sleeper };
}

async function frozenContainer(t: TestContext): Promise<{ name: string; initPid: number; v1?: string; v2?: string } | string> {
  if (process.geteuid?.() !== 0) return 'not root: no cgroup can be made';
  const name = `ctcr-watchdog-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  // As LXC names it, so both the init's cgroups and the fallback name agree.
  const cg = `lxc.payload.${name}`;
  const v1 = testCgroup(t, '/sys/fs/cgroup/freezer', cg);
  const v2root = existsSync('/sys/fs/cgroup/unified/cgroup.procs') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup';
  const v2 = v1 ? undefined : testCgroup(t, v2root, cg);
  const got = v1 ?? v2;
  if (!got) return 'no writable freezer cgroup here';
  // On a hybrid host the sleep is also in a v2 cgroup: put it in ours there too, when there is one.
  let v2dir: string | undefined = v2?.dir;
  if (v1 && existsSync('/sys/fs/cgroup/unified/cgroup.procs')) {
    const dir = path.join('/sys/fs/cgroup/unified', cg);
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'cgroup.procs'), String(v1.sleeper.pid));
      v2dir = dir;
      t.after(async () => {
        await sleepMs(200);
        try {
          rmdirSync(dir);
        } catch {
          /* busy */
        }
      });
    } catch {
      /* no v2 there */
    }
  }
  if (v1) writeFileSync(path.join(v1.dir, 'freezer.state'), 'FROZEN');
  if (v2dir) writeFileSync(path.join(v2dir, 'cgroup.freeze'), '1');
  for (let i = 0; i < 40 && !freezerDirs({ name, initPid: got.sleeper.pid! }).every(isFrozen); i++) await sleepMs(50);
  return { name, initPid: got.sleeper.pid!, ...(v1 ? { v1: v1.dir } : {}), ...(v2dir ? { v2: v2dir } : {}) };
}

test('thawContainer thaws the real freezer cgroups of a frozen task (v1 and v2)', async (t) => {
  const c = await frozenContainer(t);
  if (typeof c === 'string') return t.skip(c);
  const dirs = freezerDirs(c);
  assert.deepEqual(dirs.map((d) => d.dir).sort(), [c.v1, c.v2].filter(Boolean).sort());
  assert.ok(dirs.every(isFrozen), 'frozen before');
  assert.match(readFileSync(`/proc/${c.initPid}/status`, 'utf8'), /^State:\s*D/m, 'the task is frozen');
  const r = thawContainer(c);
  assert.deepEqual(r.errors, []);
  assert.equal(r.thawed.length, dirs.length);
  for (let i = 0; i < 40 && dirs.some(isFrozen); i++) await sleepMs(50);
  assert.deepEqual(dirs.filter(isFrozen), [], 'thawed after');
  assert.match(readFileSync(`/proc/${c.initPid}/status`, 'utf8'), /^State:\s*[SR]/m, 'the task runs (or sleeps) normally again');
  // Without an init (a restore), the LXC name finds the same cgroups.
  assert.deepEqual(freezerDirs({ name: c.name }).map((d) => d.dir).sort(), dirs.map((d) => d.dir).sort());
});

test('the runner: past its deadline it kills the program group, thaws the container and says so', async (t) => {
  const c = await frozenContainer(t);
  if (typeof c === 'string') return t.skip(c);
  const { program, pids } = hangingProgram(t);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-watchdog-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const command: CriuCommand = { action: 'dump', engine: 'lxc', criuVersion: '4.2.1', program, args: [], options: [], skipped: [], logFile: path.join(dir, 'dump.log') };
  const t0 = performance.now();
  const out = await runCriuCommand({ signatures: SIGNATURES, command, env: process.env, progress: quiet, timeoutMs: 500, container: c, sleep: async () => assert.fail('a timeout is not retried') });
  const took = performance.now() - t0;
  assert.equal(out.ok, false);
  assert.ok(took < 5000, `returned in ${took} ms`);
  assert.ok(out.watchdog, 'the watchdog acted');
  assert.equal(out.watchdog!.running, true, JSON.stringify(out.watchdog));
  assert.equal(out.watchdog!.thawed.length, [c.v1, c.v2].filter(Boolean).length);
  assert.deepEqual(freezerDirs(c).filter(isFrozen), []);
  const [shell, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
  await sleepMs(100);
  assert.equal(alive(shell!) || alive(child!), false, 'program and child killed');
});

test('the runner: a program that ends in time is not touched by the watchdog', async (t) => {
  const c = await frozenContainer(t);
  if (typeof c === 'string') return t.skip(c);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-watchdog-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const command: CriuCommand = { action: 'dump', engine: 'lxc', criuVersion: '4.2.1', program: 'false', args: [], options: [], skipped: [], logFile: path.join(dir, 'dump.log') };
  const out = await runCriuCommand({ signatures: SIGNATURES, command, env: process.env, progress: quiet, timeoutMs: 5000, container: c });
  assert.equal(out.ok, false);
  assert.equal(out.watchdog, undefined);
  assert.ok(freezerDirs(c).every(isFrozen), 'a container frozen by someone else stays as it was');
});
