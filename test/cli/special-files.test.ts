/**
 * Issue 15.6: a FIFO as config, include or image hung the run; an include of
 * /dev/zero grew until the process aborted. Only regular files are read (a
 * directory where an include allows one), configs, includes and fstabs up to
 * 16 MiB; anything else is a one-line error naming the file: a parse-error
 * finding in lint (exit 1), exit 2 in fix. Each run is a real process with a
 * deadline, so a hang fails the test instead of stopping the suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CLI, isOneLineError } from '../helpers/cli.js';
import { TEXT_FILE_CAP } from '../../src/config/load.js';

async function run(args: string[], cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }> {
  const r = await execa(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CTCR_STATE_DIR: path.join(cwd, 'state') }, reject: false, input: '', timeout: 15_000 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: r.timedOut };
}

async function scratch(t: import('node:test').TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-special-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  execFileSync('mkfifo', [path.join(dir, 'fifo.conf')]);
  await mkdir(path.join(dir, 'ct'));
  return dir;
}

const lintCompact = (target: string, cwd: string, ...more: string[]) => run(['lint', '-f', 'compact', ...more, target], cwd);

test('a FIFO as the config: a parse-error finding in lint, one line and exit 2 in fix, no hang', async (t) => {
  const dir = await scratch(t);
  const fifo = path.join(dir, 'fifo.conf');
  const lint = await lintCompact(fifo, dir);
  assert.equal(lint.timedOut, false, 'lint hung on a FIFO');
  assert.equal(lint.exitCode, 1, lint.stdout + lint.stderr);
  assert.match(lint.stdout, new RegExp(`cannot read ${fifo}: a FIFO \\(named pipe\\), not a regular file \\[parse-error\\]`));
  const fix = await run(['fix', fifo], dir);
  assert.equal(fix.timedOut, false, 'fix hung on a FIFO');
  assert.equal(fix.exitCode, 2, fix.stdout + fix.stderr);
  assert.ok(isOneLineError(fix.stderr), fix.stderr);
  assert.match(fix.stderr, /a FIFO \(named pipe\), not a regular file/);
});

for (const [what, include] of [['a FIFO', 'FIFO'], ['/dev/zero', '/dev/zero'], ['a directory holding a FIFO', 'DIR/']] as const) {
  test(`an include of ${what}: a parse-error finding at the include's line, no hang`, async (t) => {
    const dir = await scratch(t);
    const target = include === 'FIFO' ? path.join(dir, 'fifo.conf') : include === 'DIR/' ? path.join(dir, 'inc.d') + '/' : include;
    if (include === 'DIR/') {
      await mkdir(path.join(dir, 'inc.d'));
      execFileSync('mkfifo', [path.join(dir, 'inc.d', 'pipe.conf')]);
    }
    await writeFile(path.join(dir, 'ct', 'config'), `lxc.uts.name = a\nlxc.include = ${target}\n`);
    const lint = await lintCompact(path.join(dir, 'ct', 'config'), dir);
    assert.equal(lint.timedOut, false, `lint hung on an include of ${what}`);
    assert.equal(lint.exitCode, 1, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /ct\/config:2:1: error: cannot read \S+: a (FIFO \(named pipe\)|character device), not a regular file \[parse-error\]/);
  });
}

test('an include past the 16 MiB cap is refused before it is read', async (t) => {
  const dir = await scratch(t);
  const big = path.join(dir, 'big.conf');
  await writeFile(big, '');
  await truncate(big, TEXT_FILE_CAP + 1); // sparse: no disk space used
  await writeFile(path.join(dir, 'ct', 'config'), `lxc.uts.name = a\nlxc.include = ${big}\n`);
  const lint = await lintCompact(path.join(dir, 'ct', 'config'), dir);
  assert.equal(lint.exitCode, 1, lint.stdout + lint.stderr);
  assert.match(lint.stdout, new RegExp(`cannot read ${big}: ${TEXT_FILE_CAP + 1} bytes, more than the 16 MiB ctcr reads of a config, include or fstab \\[parse-error\\]`));
  // At the cap exactly it is read (and parsed: NUL bytes are no lxc. line).
  await truncate(big, TEXT_FILE_CAP);
  const atCap = await lintCompact(path.join(dir, 'ct', 'config'), dir);
  assert.doesNotMatch(atCap.stdout, /parse-error/);
});

for (const image of ['FIFO', '/dev/zero']) {
  test(`a rootfs image that is ${image === 'FIFO' ? 'a FIFO' : image}: a parse-error finding, no hang`, async (t) => {
    const dir = await scratch(t);
    const file = image === 'FIFO' ? path.join(dir, 'fifo.conf') : image;
    await writeFile(path.join(dir, 'ct', 'config'), 'lxc.uts.name = a\nlxc.console.path = none\n');
    const lint = await lintCompact(path.join(dir, 'ct', 'config'), dir, '--image', file);
    assert.equal(lint.timedOut, false, `lint hung on an image that is ${image}`);
    assert.equal(lint.exitCode, 1, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /rootfs image is a (FIFO \(named pipe\)|character device), not a regular file \[parse-error\]/);
  });
}

test('a FIFO or /dev/zero as the settings file (--config) or as the log of explain: one line, exit 2, no hang', async (t) => {
  const dir = await scratch(t);
  const fifo = path.join(dir, 'fifo.conf');
  await writeFile(path.join(dir, 'ct', 'config'), 'lxc.uts.name = a\n');
  for (const settings of [fifo, '/dev/zero']) {
    const r = await run(['lint', '--config', settings, path.join(dir, 'ct', 'config')], dir);
    assert.equal(r.timedOut, false, `lint hung on settings ${settings}`);
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.match(r.stderr, /a (FIFO \(named pipe\)|character device), not a regular file/);
  }
  for (const log of [fifo, '/dev/zero']) {
    const r = await run(['explain', log], dir);
    assert.equal(r.timedOut, false, `explain hung on ${log}`);
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.match(r.stderr, /a (FIFO \(named pipe\)|character device), not a regular file/);
  }
  // A directory still says which file to name, and a missing log is still one line.
  const folder = await run(['explain', dir], dir);
  assert.equal(folder.exitCode, 2);
  assert.match(folder.stderr, /is a directory \(name the log file/);
  const missing = await run(['explain', path.join(dir, 'none.log')], dir);
  assert.equal(missing.exitCode, 2);
  assert.ok(isOneLineError(missing.stderr), missing.stderr);
});
