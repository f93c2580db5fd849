/**
 * `ctcr fix` and `ctcr lint --fix` as a user runs them: containers by name,
 * the restart warning for a running container, an image's rootfs
 * operations listed not done, a file shared by two containers fixed once,
 * pure JSON on stdout, and one-line input errors.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { isOneLineError, REPO } from '../helpers/cli.js';
import { ctcrRaw } from './run-cli.js';

const TTY = 'lxc.uts.name = c1\nlxc.tty.max = 4\nlxc.console.path = none\n';
const FIXED = 'lxc.uts.name = c1\nlxc.tty.max = 0\nlxc.console.path = none\n';

async function tempDir(t: TestContext, prefix = 'ctcr-fix-cli-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An lxcpath with one container `c1` (config only) and a state folder. */
async function lxcpath(t: TestContext): Promise<{ lxc: string; env: Record<string, string> }> {
  const lxc = await tempDir(t);
  await mkdir(path.join(lxc, 'c1'));
  await writeFile(path.join(lxc, 'c1', 'config'), TTY);
  return { lxc, env: { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') } };
}

test('a container by name (NAME -P LXCPATH, or -n NAME) is judged with its live facts, as the doctor does', async (t) => {
  const { lxc, env } = await lxcpath(t);
  const dry = await ctcrRaw(['fix', 'c1', '-P', lxc, '--suggestions', '--dry-run'], { env, cwd: lxc });
  assert.equal(dry.exitCode, 1, dry.stderr);
  assert.match(dry.stdout, /^--- c1\/config\n\+\+\+ c1\/config\n/);
  assert.match(dry.stderr, /container-not-running/, 'a live rule ran: the stopped container is reported');
  const r = await ctcrRaw(['fix', '-n', 'c1', '-P', lxc, '--suggestions'], { env });
  assert.equal(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, /container c1 is STOPPED/);
  assert.equal(await readFile(path.join(lxc, 'c1', 'config'), 'utf8'), FIXED);
  assert.doesNotMatch(r.stderr, /is running/, 'a stopped container gets no restart warning');
  const withRootfs = await ctcrRaw(['fix', 'c1', '-P', lxc, '--rootfs', lxc], { env });
  assert.equal(withRootfs.exitCode, 2);
  assert.match(withRootfs.stderr, /--rootfs and --image go with a PATH/);
  const missing = await ctcrRaw(['fix', 'nope', '-P', lxc], { env });
  assert.equal(missing.exitCode, 2);
  assert.ok(isOneLineError(missing.stderr), missing.stderr);
  assert.match(missing.stderr, /no container 'nope' in /);
});

test('a running container is warned about: the change takes effect at its next restart', async (t) => {
  const { lxc, env } = await lxcpath(t);
  // LXC's monitor process is named `[lxc monitor] <lxcpath> <name>`: a stand-in with that name.
  const monitor = spawn('bash', ['-c', `exec -a "[lxc monitor] ${lxc} c1" sleep 60`], { stdio: 'ignore' });
  t.after(() => monitor.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 200));
  // A config given by path, at <lxcpath>/<name>/config: without lxc-info on PATH (which would ask LXC itself), the gatherer looks for the monitor in /proc.
  const noLxc = { ...env, PATH: '/nonexistent' };
  const r = await ctcrRaw(['fix', path.join(lxc, 'c1'), '--suggestions'], { env: noLxc });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stderr, /c1 is running: LXC reads its config when the container starts, so these changes take effect at its next restart/);
  assert.match(r.stderr, new RegExp(`lxc-stop -P ${lxc} -n c1 && lxc-start -P ${lxc} -n c1`));
  // Nothing to change: no warning needed.
  const again = await ctcrRaw(['fix', path.join(lxc, 'c1'), '--suggestions'], { env: noLxc });
  assert.doesNotMatch(again.stderr, /is running/);
});

test('with --image, rootfs operations are listed as not done (an image is not modified)', async (t) => {
  const dir = await tempDir(t);
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  await mkdir(path.join(dir, 'img', 'sbin'), { recursive: true });
  await writeFile(path.join(dir, 'img', 'sbin', 'udevd'), 'x');
  await execa('tar', ['-cf', path.join(dir, 'rootfs.tar'), '-C', path.join(dir, 'img'), '.']);
  await writeFile(path.join(dir, 'config'), TTY);
  const r = await ctcrRaw(['fix', 'config', '--image', 'rootfs.tar', '--suggestions'], { env, cwd: dir });
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /udevd-present/, 'the finding stays, since its fix was not done');
  assert.match(r.stderr, /not done: config: rename \/sbin\/udevd -> \/sbin\/udevd\.bcp: the rootfs is an image/);
  assert.equal(await readFile(path.join(dir, 'config'), 'utf8'), FIXED, 'the config is fixed all the same');
  assert.ok((await readdir(path.join(dir, 'img', 'sbin'))).includes('udevd'));
});

test('a file included by two configs of its folder is fixed once, with one backup', async (t) => {
  const dir = await tempDir(t);
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  await writeFile(path.join(dir, 'common.conf'), 'lxc.tty.max = 4\n');
  // Each config's folder is its own (issue 12): the include beside them belongs to both. (Under two container folders it would be neither's: scope.test.ts.)
  for (const c of ['c1', 'c2']) {
    await writeFile(path.join(dir, `${c}.conf`), `lxc.uts.name = ${c}\nlxc.include = ${path.join(dir, 'common.conf')}\nlxc.console.path = none\n`);
  }
  const r = await ctcrRaw(['fix', 'c1.conf', 'c2.conf', '--suggestions', '-f', 'json'], { env, cwd: dir });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(await readFile(path.join(dir, 'common.conf'), 'utf8'), 'lxc.tty.max = 0\n');
  assert.equal((await readdir(dir)).filter((n) => n.startsWith('common.conf.ctcr-bak.')).length, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.results.length, 2, 'stdout is the JSON report alone');
  assert.deepEqual(report.results.flatMap((x: { findings: unknown[] }) => x.findings), []);
});

test('ctcr lint --fix runs the same engine; --fix-dry-run shows the diff; fix flags without --fix are refused', async (t) => {
  const dir = await tempDir(t);
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  await writeFile(path.join(dir, 'config'), TTY);
  const dry = await ctcrRaw(['lint', 'config', '--fix-dry-run', '--rule', 'tty-nonzero'], { env, cwd: dir });
  assert.equal(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, /^-lxc\.tty\.max = 4\n\+lxc\.tty\.max = 0\n/m);
  assert.equal(await readFile(path.join(dir, 'config'), 'utf8'), TTY);
  const refused = await ctcrRaw(['lint', 'config', '--suggestions'], { env, cwd: dir });
  assert.equal(refused.exitCode, 2);
  assert.match(refused.stderr, /add --fix/);
  const fixed = await ctcrRaw(['lint', 'config', '--fix', '--suggestions'], { env, cwd: dir });
  assert.equal(fixed.exitCode, 0, fixed.stderr);
  assert.match(fixed.stdout, /no problems/);
  assert.equal(await readFile(path.join(dir, 'config'), 'utf8'), FIXED);
});

test('a dry run with -o writes the report of what would remain there; stdout stays the diff alone', async (t) => {
  const dir = await tempDir(t);
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  await writeFile(path.join(dir, 'config'), TTY);
  const r = await ctcrRaw(['fix', 'config', '--dry-run', '-f', 'json', '-o', 'report.json'], { env, cwd: dir });
  assert.equal(r.exitCode, 1, 'the tty error would remain: no suggestion chosen');
  assert.equal(r.stdout, '', 'no change, so no diff');
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(report.results[0].findings[0].ruleId, 'tty-nonzero');
});

test('input errors: no target, an unknown --rule, an unknown run id: exit 2, one line', async (t) => {
  const dir = await tempDir(t);
  const env = { CTCR_STATE_DIR: dir };
  await cp(path.join(REPO, 'fixtures', 'fix', 'clean', 'input', 'config'), path.join(dir, 'config'));
  for (const args of [['fix'], ['fix', 'config', '--rule', 'no-such-rule'], ['fix', '--undo', '20990101T000000000Z-abcd']]) {
    const r = await ctcrRaw(args, { env, cwd: dir });
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(isOneLineError(r.stderr), `${args.join(' ')}: ${r.stderr}`);
  }
});
