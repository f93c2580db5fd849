/**
 * The runner with a stand-in for lxc-checkpoint: a function that does what
 * CRIU does to the checkpoint directory (writes the log, the stats, images)
 * and exits as told. The logs it writes are real ones recorded on the lab.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CriuCommand } from '../../src/criu/command.js';
import { runCriuCommand } from '../../src/run/runner.js';
import type { ProgressSink } from '../../src/run/progress.js';
import type { SpawnResult, Spawner } from '../../src/run/spawn.js';
import { FIXTURES_DIR } from '../criu/fixtures.js';
import { SIGNATURES } from '../helpers/signatures.js';

const lab = (name: string) => readFileSync(path.join(FIXTURES_DIR, 'criu-logs', 'lab', name), 'utf8');
const NETLINK_LINE = '(00.201000) Error (criu/sk-netlink.c:77): netlink: The socket has data to read\n(00.201100) Error (criu/cr-dump.c:1545): Dump files (pid: 77) failed with -1\n(00.230000) Error (criu/cr-dump.c:1975): Dumping FAILED.\n';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ctcr-runner-'));
}

function command(dir: string, over: Partial<CriuCommand> = {}): CriuCommand {
  return {
    action: 'dump',
    engine: 'lxc',
    criuVersion: '4.2.1',
    program: 'lxc-checkpoint',
    args: ['-P', '/l', '-n', 'c1', '-D', dir, '-s'],
    options: [],
    skipped: [],
    logFile: path.join(dir, 'dump.log'),
    ...over,
  };
}

interface Recorder extends ProgressSink {
  notes: string[];
  phases: string[];
}

function recorder(): Recorder {
  const r: Recorder = { notes: [], phases: [], phase: (p) => r.phases.push(p), note: (l) => r.notes.push(l), stop: () => undefined };
  return r;
}

const ok = (stdout = ''): SpawnResult => ({ exitCode: 0, signal: null, stdout, stderr: '' });
const failed = (stderr = ''): SpawnResult => ({ exitCode: 1, signal: null, stdout: '', stderr });

/** A stand-in for each attempt in turn. */
function scripted(dir: string, attempts: Array<(env: NodeJS.ProcessEnv) => SpawnResult>): { spawn: Spawner; calls: { program: string; env: NodeJS.ProcessEnv }[] } {
  const calls: { program: string; env: NodeJS.ProcessEnv }[] = [];
  const spawn: Spawner = async (program, _args, opts) => {
    calls.push({ program, env: opts.env });
    const step = attempts[calls.length - 1];
    if (!step) throw new Error(`unexpected attempt ${calls.length}`);
    return step(opts.env);
  };
  void dir;
  return { spawn, calls };
}

test('a successful dump: stats, image size and log are read', async () => {
  const dir = tempDir();
  try {
    const { spawn } = scripted(dir, [
      () => {
        writeFileSync(path.join(dir, 'dump.log'), lab('success-dump-v4-criu4.2.1-linux6.18.log'));
        writeFileSync(path.join(dir, 'stats-dump'), readFileSync(path.join(FIXTURES_DIR, 'run', 'stats-dump-criu4.2.1-b.img')));
        writeFileSync(path.join(dir, 'pages-1.img'), Buffer.alloc(4096 * 3));
        return ok();
      },
    ]);
    const progress = recorder();
    const out = await runCriuCommand({ signatures: SIGNATURES, command: command(dir), env: {}, progress, spawn });
    assert.equal(out.ok, true);
    assert.equal(out.attempts.length, 1);
    assert.equal(out.stats?.dump?.frozenTimeUs, 17 + 48 * 128 + 7 * 16384);
    const statsSize = readFileSync(path.join(dir, 'stats-dump')).length;
    assert.equal(out.imageBytes, 4096 * 3 + statsSize, 'images counted, the log not');
    assert.equal(out.logFile, path.join(dir, 'dump.log'));
    assert.ok(progress.phases.some((p) => /starting lxc-checkpoint/.test(p)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('netlink data pending: retried with backoff, saying so, the failed log kept', async () => {
  const dir = tempDir();
  try {
    const { spawn, calls } = scripted(dir, [
      () => (writeFileSync(path.join(dir, 'dump.log'), NETLINK_LINE), failed()),
      () => (writeFileSync(path.join(dir, 'dump.log'), NETLINK_LINE), failed()),
      () => (writeFileSync(path.join(dir, 'dump.log'), lab('success-dump-v4-criu4.2.1-linux6.18.log')), ok()),
    ]);
    const sleeps: number[] = [];
    const progress = recorder();
    const out = await runCriuCommand({ signatures: SIGNATURES, command: command(dir), env: {}, progress, spawn, sleep: async (ms) => void sleeps.push(ms), baseDelayMs: 100 });
    assert.equal(out.ok, true);
    assert.equal(calls.length, 3);
    assert.deepEqual(sleeps, [100, 200], 'the delay doubles');
    assert.equal(progress.notes.length, 2);
    assert.match(progress.notes[0]!, /netlink-pending-data.*retrying in 0\.10 s \(retry 1 of 3\)/);
    assert.ok(existsSync(path.join(dir, 'dump.attempt1.log')) && existsSync(path.join(dir, 'dump.attempt2.log')));
    assert.match(readFileSync(path.join(dir, 'dump.attempt1.log'), 'utf8'), /The socket has data to read/);
    assert.equal(out.attempts[0]!.explanation?.diagnoses[0]?.ruleId, 'netlink-pending-data');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the retries are bounded: after the last one the failure is explained', async () => {
  const dir = tempDir();
  try {
    const attempts = Array.from({ length: 3 }, () => () => (writeFileSync(path.join(dir, 'dump.log'), NETLINK_LINE), failed()));
    const { spawn, calls } = scripted(dir, attempts);
    const progress = recorder();
    const out = await runCriuCommand({ signatures: SIGNATURES, command: command(dir), env: {}, progress, spawn, sleep: async () => undefined, maxRetries: 2 });
    assert.equal(out.ok, false);
    assert.equal(calls.length, 3, 'one attempt and two retries');
    assert.equal(out.explanation?.diagnoses[0]?.ruleId, 'netlink-pending-data');
    assert.match(progress.notes.at(-1)!, /failed 3 times.*giving up/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failure that is not transient is explained at once from its own log, not retried', async () => {
  const dir = tempDir();
  try {
    const { spawn, calls } = scripted(dir, [() => (writeFileSync(path.join(dir, 'dump.log'), lab('tty-stock-busybox-dump-criu4.2.1-linux6.18.log')), failed())]);
    const out = await runCriuCommand({ signatures: SIGNATURES, command: command(dir), env: {}, progress: recorder(), spawn, sleep: async () => assert.fail('no retry') });
    assert.equal(out.ok, false);
    assert.equal(calls.length, 1);
    assert.equal(out.explained, 'log');
    assert.equal(out.explanation?.diagnoses[0]?.ruleId, 'tty-nonzero');
    assert.equal(out.explanation?.diagnoses[0]?.line, 1725);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lxc-checkpoint refusing before CRIU runs is explained from its error output', async () => {
  const dir = tempDir();
  try {
    const stderr = lab('fresh-dir-lxc-checkpoint-stderr-lxc5.0.2.log');
    const { spawn } = scripted(dir, [() => failed(stderr)]);
    const out = await runCriuCommand({ signatures: SIGNATURES, command: command(dir), env: {}, progress: recorder(), spawn });
    assert.equal(out.explained, 'stderr');
    assert.equal(out.explanation?.diagnoses[0]?.ruleId, 'checkpoint-dir-used');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the config file reaches CRIU through CRIU_CONFIG_FILE for that one command, and is removed after', async () => {
  const dir = tempDir();
  const tmp = tempDir();
  try {
    let seen: { path?: string; text?: string; mode?: number } = {};
    const { spawn } = scripted(dir, [
      (env) => {
        seen = { path: env.CRIU_CONFIG_FILE, text: readFileSync(env.CRIU_CONFIG_FILE!, 'utf8') };
        writeFileSync(path.join(dir, 'dump.log'), '');
        return ok();
      },
    ]);
    const conf = '# by ctcr\nnetwork-lock nftables\n';
    const env = { PATH: '/usr/bin', CRIU_CONFIG_FILE: '/etc/user.conf' };
    await runCriuCommand({ signatures: SIGNATURES, command: command(dir, { configFile: conf }), env, progress: recorder(), spawn, tmpDir: tmp });
    assert.equal(seen.text, conf);
    assert.ok(seen.path!.startsWith(tmp), 'not the host-wide file, not the user file');
    assert.equal(existsSync(seen.path!), false, 'removed afterwards');
    assert.equal(env.CRIU_CONFIG_FILE, '/etc/user.conf', "the caller's environment is untouched");

    // without a config file, the environment passes as it is
    const plain = scripted(dir, [(e) => (assert.equal(e.CRIU_CONFIG_FILE, '/etc/user.conf'), ok())]);
    await runCriuCommand({ signatures: SIGNATURES, command: command(dir), env, progress: recorder(), spawn: plain.spawn });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the config file is removed when the attempt fails too', async () => {
  const dir = tempDir();
  const tmp = tempDir();
  try {
    let conf = '';
    const { spawn } = scripted(dir, [(env) => ((conf = env.CRIU_CONFIG_FILE!), failed('criu: boom'))]);
    const out = await runCriuCommand({ signatures: SIGNATURES, command: command(dir, { configFile: 'x\n' }), env: {}, progress: recorder(), spawn, tmpDir: tmp });
    assert.equal(out.ok, false);
    assert.equal(existsSync(conf), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a keeper (criu engine restore) reports criu’s status on stdout; the restored PID comes from the pid file', async () => {
  const dir = tempDir();
  try {
    const pidFile = path.join(dir, 'ctcr-restore.pid');
    const { spawn } = scripted(dir, [
      () => (writeFileSync(pidFile, '4242\n'), writeFileSync(path.join(dir, 'restore.log'), ''), { exitCode: null, signal: null, stdout: 'ctcr-criu-exit 0\n', stderr: '' }),
    ]);
    const cmd = command(dir, { action: 'restore', engine: 'criu', program: 'unshare', logFile: path.join(dir, 'restore.log'), pidFile, keeper: true });
    const out = await runCriuCommand({ signatures: SIGNATURES, command: cmd, env: {}, progress: recorder(), spawn });
    assert.equal(out.ok, true);
    assert.equal(out.restoredPid, 4242);

    const bad = scripted(dir, [() => ({ exitCode: null, signal: null, stdout: 'ctcr-criu-exit 1\n', stderr: '' })]);
    assert.equal((await runCriuCommand({ signatures: SIGNATURES, command: cmd, env: {}, progress: recorder(), spawn: bad.spawn })).ok, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
