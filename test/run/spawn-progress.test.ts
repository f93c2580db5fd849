import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnProgram } from '../../src/run/spawn.js';
import { phaseOfLines, progressWanted, terminalProgress } from '../../src/run/progress.js';
import { FIXTURES_DIR } from '../criu/fixtures.js';

const env = { PATH: process.env.PATH };

test('spawn: exit code, output, and a program that is not there', async () => {
  const r = await spawnProgram('sh', ['-c', 'echo out; echo err >&2; exit 3'], { env, timeoutMs: 10_000 });
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  const missing = await spawnProgram('ctcr-no-such-program', [], { env, timeoutMs: 10_000 });
  assert.equal(missing.exitCode, null);
  assert.match(missing.error ?? '', /not found/);
});

test('spawn: a daemon left holding the pipes (as LXC’s monitor does after a restore) does not keep ctcr waiting', async () => {
  const t0 = performance.now();
  const r = await spawnProgram('sh', ['-c', 'sleep 5 & echo started'], { env, timeoutMs: 10_000 });
  const took = performance.now() - t0;
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, 'started\n');
  assert.ok(took < 2000, `returned after ${took.toFixed(0)} ms, not when the daemon ended`);
});

test('spawn: a keeper is done when its output ends, while it keeps running', async () => {
  const t0 = performance.now();
  const r = await spawnProgram('sh', ['-c', 'echo ctcr-criu-exit 0; exec sleep 3 </dev/null >/dev/null 2>&1'], { env, timeoutMs: 10_000, untilOutputEnds: true });
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(r.exitCode, null, 'still running');
  assert.match(r.stdout, /ctcr-criu-exit 0/);
});

test('spawn: a program that hangs is killed at the timeout', async () => {
  const r = await spawnProgram('sleep', ['10'], { env, timeoutMs: 200 });
  assert.equal(r.timedOut, true);
  assert.match(r.error ?? '', /timed out after 0\.2 s/);
});

test('progress phases follow a real -v4 log of each action', () => {
  const lab = (n: string) => readFileSync(path.join(FIXTURES_DIR, 'criu-logs', 'lab', n), 'utf8').split('\n');
  const dump = lab('success-dump-v4-criu4.2.1-linux6.18.log');
  const seen = new Set<string>();
  for (let i = 1; i <= dump.length; i++) {
    const p = phaseOfLines('dump', dump.slice(0, i));
    if (p) seen.add(p);
  }
  for (const p of ['freezing', 'seizing tasks', 'dumping tasks', 'dumping memory', 'writing stats', 'done']) assert.ok(seen.has(p), `dump phase ${p}`);
  const restore = lab('success-restore-v4-criu4.2.1-linux6.18.log');
  assert.equal(phaseOfLines('restore', restore), 'done');
  assert.equal(phaseOfLines('restore', restore.slice(0, restore.findIndex((l) => /Forking task/.test(l)) + 1)), 'forking tasks');
  assert.equal(phaseOfLines('dump', ['nothing here']), undefined);
});

test('progress only on a terminal, never in CI', () => {
  assert.equal(progressWanted({ isTTY: true }, {}), true);
  assert.equal(progressWanted({ isTTY: false }, {}), false);
  assert.equal(progressWanted({ isTTY: true }, { CI: 'true' }), false);
  assert.equal(progressWanted({ isTTY: true }, { CI: 'false' }), true);
});

test('the terminal line shows phase and elapsed time, and is cleared at the end', () => {
  let written = '';
  const stream = { write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  let now = 0;
  const p = terminalProgress(stream, 'checkpoint c1', () => now);
  now = 1234;
  p.phase('dumping tasks');
  assert.match(written, /checkpoint c1: dumping tasks {2}1\.2 s/);
  p.note('ctcr: retrying');
  assert.match(written, /ctcr: retrying\n/);
  written = '';
  p.stop();
  assert.equal(written, '\r\x1b[2K');
});
