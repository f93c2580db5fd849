import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { findOnPath, run, settle } from '../../src/gather/exec.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ctcr-exec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  return file;
}

describe('run', () => {
  test('returns stdout, stderr and exit code 0 as ok', async () => {
    const r = await run(script('hello', 'echo out; echo err >&2'), [], { timeoutMs: 5000 });
    assert.deepEqual([r.ok, r.stdout, r.stderr, r.exitCode, r.reason, r.timedOut], [true, 'out\n', 'err\n', 0, '', false]);
  });

  test('a non-zero exit is not ok and says the code, keeping the output', async () => {
    const r = await run(script('fails', 'echo "Unknown feature x" >&2; exit 3'), ['check'], { timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stderr, 'Unknown feature x\n');
    assert.equal(r.reason, 'fails check exited with code 3');
  });

  test('a program not on PATH is a result, not an exception', async () => {
    const r = await run('ctcr-no-such-program', ['-V'], { timeoutMs: 5000, env: { PATH: dir } });
    assert.equal(r.ok, false);
    assert.equal(r.exitCode, undefined);
    assert.equal(r.reason, 'not found on PATH: ctcr-no-such-program');
  });

  test('a file that cannot be executed is a result too', async () => {
    const r = await run(script('noexec', 'true', 0o644), [], { timeoutMs: 5000 });
    assert.equal(r.ok, false);
    assert.match(r.reason, /cannot run .*noexec/);
  });

  test('an executable whose interpreter is missing cannot run: no exit code, the errno in words', async () => {
    const file = path.join(dir, 'badinterp');
    writeFileSync(file, '#!/nonexistent/ctcr-interpreter\n');
    chmodSync(file, 0o755);
    const r = await run(file, [], { timeoutMs: 5000 });
    assert.deepEqual([r.ok, r.exitCode, r.reason], [false, undefined, `cannot run ${file}: not found`]);
  });

  test('input reaches the program on stdin; a program killed by a signal says which', async () => {
    const r = await run('cat', [], { timeoutMs: 5000, input: 'line one\n' });
    assert.deepEqual([r.ok, r.stdout], [true, 'line one\n']);
    const killed = await run(script('selfkill', 'kill -TERM $$'), [], { timeoutMs: 5000 });
    assert.deepEqual([killed.ok, killed.exitCode, killed.reason], [false, undefined, 'selfkill was killed by SIGTERM']);
  });

  test('a timeout kills the whole process group, so a child holding stdout does not keep it waiting', async () => {
    const file = script('hangs', 'sleep 30; echo never');
    const t0 = performance.now();
    const r = await run(file, [], { timeoutMs: 200 });
    const took = performance.now() - t0;
    assert.equal(r.ok, false);
    assert.equal(r.timedOut, true);
    assert.match(r.reason, /^hangs timed out after 200 ms$/);
    assert.ok(took < 2000, `returned after ${Math.round(took)} ms`);
  });

  test('the program gets the given environment, not ctcr\'s', async () => {
    const r = await run(script('env', 'echo "[$CTCR_PROBE][$HOME]"'), [], { timeoutMs: 5000, env: { PATH: '/usr/bin:/bin', CTCR_PROBE: 'x' } });
    assert.equal(r.stdout, '[x][]\n');
  });
});

describe('findOnPath', () => {
  test('finds an executable on the given PATH, first directory first, skipping non-executables', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(path.join(a, 'tool'), 'not executable');
    writeFileSync(path.join(b, 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(b, 'tool'), 0o755);
    mkdirSync(path.join(a, 'dirtool'));
    assert.equal(await findOnPath('tool', { PATH: `${a}:${b}` }), path.join(b, 'tool'));
    assert.equal(await findOnPath('tool', { PATH: a }), null);
    assert.equal(await findOnPath('dirtool', { PATH: a }), null, 'a directory is not a program');
    assert.equal(await findOnPath('sh', { PATH: '/nonexistent' }), null);
    assert.equal(await findOnPath(path.join(b, 'tool'), { PATH: '/nonexistent' }), path.join(b, 'tool'), 'a path with a slash is taken as is');
  });
});

describe('settle', () => {
  test('a value, a thrown error and a hang each settle', async () => {
    assert.deepEqual(await settle('x', 1000, async () => 42), { ok: true, value: 42 });
    const enoent = Object.assign(new Error('raw'), { code: 'ENOENT', path: '/sys/nope' });
    assert.deepEqual(await settle('bridges', 1000, async () => { throw enoent; }), { ok: false, reason: 'bridges: no such file or directory (/sys/nope)' });
    assert.deepEqual(await settle('y', 1000, async () => { throw new Error('bad line 3'); }), { ok: false, reason: 'y: bad line 3' });
    const t0 = performance.now();
    const hung = await settle('hang', 100, () => new Promise<number>(() => {}));
    assert.deepEqual(hung, { ok: false, reason: 'hang: timed out after 100 ms' });
    assert.ok(performance.now() - t0 < 1000);
  });
});
