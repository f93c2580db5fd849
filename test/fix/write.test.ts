/**
 * The writer: atomic replacement keeping mode and owner, backups that never
 * overwrite, symlinked configs, a file changed behind ctcr's back, rollback
 * of a run that fails half way, stale temp files, and failures of the disk
 * itself (read-only mount, immutable file, full disk, a read-only file for a
 * user), each a one-line exit 2 with the file intact.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { atomicReplace, backupPath, commitRun, FixWriteError, newRunId, readManifest, removeStaleTemps, undoRun } from '../../src/fix/write.js';
import { CLI, isOneLineError } from '../helpers/cli.js';
import { ctcrRaw } from './run-cli.js';

const isRoot = process.geteuid?.() === 0;
const TTY = 'lxc.uts.name = c1\nlxc.tty.max = 4\nlxc.console.path = none\n';
const FIXED = 'lxc.uts.name = c1\nlxc.tty.max = 0\nlxc.console.path = none\n';

/** Clean-ups run last-registered first (an unmount before the removal of the folder it is in). */
const cleanups = new WeakMap<TestContext, (() => unknown)[]>();
function defer(t: TestContext, fn: () => unknown): void {
  let stack = cleanups.get(t);
  if (!stack) {
    const list: (() => unknown)[] = [];
    cleanups.set(t, (stack = list));
    t.after(async () => {
      for (const f of list.reverse()) await f();
    });
  }
  stack.push(fn);
}

async function tempDir(t: TestContext, prefix = 'ctcr-write-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  defer(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

function skipUnlessRoot(t: TestContext, why: string): boolean {
  if (isRoot) return false;
  process.stderr.write(`# SKIP ${t.name}: needs root (${why})\n`);
  t.skip(`needs root: ${why}`);
  return true;
}

/** Mounts something for the test and unmounts it after (lazily, so a busy mount never blocks the run). */
function mountFor(t: TestContext, args: string[], target: string): void {
  execFileSync('mount', [...args, target]);
  defer(t, () => execFileSync('umount', ['-l', target]));
}

const envFor = (state: string) => ({ env: { ...process.env, CTCR_STATE_DIR: state } });

test('a run replaces the file atomically and keeps its mode and owner; the backup has them too', async (t) => {
  if (skipUnlessRoot(t, 'chown to another uid')) return;
  const dir = await tempDir(t);
  const file = path.join(dir, 'config');
  await writeFile(file, TTY);
  await chown(file, 1234, 1235);
  await chmod(file, 0o640);
  const runId = newRunId();
  const manifest = await commitRun([{ file, before: TTY, after: FIXED }], [], { runId, ...envFor(dir) });
  assert.equal(await readFile(file, 'utf8'), FIXED);
  for (const p of [file, backupPath(file, runId)]) {
    const s = await stat(p);
    assert.deepEqual([s.mode & 0o7777, s.uid, s.gid], [0o640, 1234, 1235], p);
  }
  assert.equal(await readFile(backupPath(file, runId), 'utf8'), TTY);
  assert.equal(manifest.status, 'complete');
  assert.deepEqual((await readManifest(runId, envFor(dir).env)).files.map((f) => [f.file, f.backup]), [[file, backupPath(file, runId)]]);
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('ctcr-tmp')), [], 'no temp file left');
});

test('backups: one per run, and an existing backup is never overwritten (the run fails instead)', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'config');
  await writeFile(file, TTY);
  const first = newRunId();
  await commitRun([{ file, before: TTY, after: FIXED }], [], { runId: first, ...envFor(dir) });
  const second = newRunId();
  await commitRun([{ file, before: FIXED, after: TTY }], [], { runId: second, ...envFor(dir) });
  assert.equal(await readFile(backupPath(file, first), 'utf8'), TTY, 'the first backup is kept as it was');
  assert.equal(await readFile(backupPath(file, second), 'utf8'), FIXED);
  // A backup already there under the run's name: refused, file untouched.
  const third = newRunId();
  await writeFile(backupPath(file, third), 'somebody else\n');
  await assert.rejects(commitRun([{ file, before: TTY, after: FIXED }], [], { runId: third, ...envFor(dir) }), (err: unknown) => {
    assert.ok(err instanceof FixWriteError);
    assert.match(err.format(), /cannot create the backup .*already exists; nothing was changed/);
    return true;
  });
  assert.equal(await readFile(file, 'utf8'), TTY);
  assert.equal(await readFile(backupPath(file, third), 'utf8'), 'somebody else\n');
});

test('a config reached through a symlink: the link stays, the file it names is replaced, the backup sits beside that file', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'real'));
  const real = path.join(dir, 'real', 'config');
  const link = path.join(dir, 'config');
  await writeFile(real, TTY);
  await symlink('real/config', link);
  const runId = newRunId();
  await commitRun([{ file: link, before: TTY, after: FIXED }], [], { runId, ...envFor(dir) });
  assert.equal(await readlink(link), 'real/config');
  assert.equal(await readFile(real, 'utf8'), FIXED);
  assert.equal(await readFile(backupPath(real, runId), 'utf8'), TTY);
});

test('a file that changed since it was read is not replaced', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'config');
  await writeFile(file, TTY + '# edited meanwhile\n');
  await assert.rejects(commitRun([{ file, before: TTY, after: FIXED }], [], { runId: newRunId(), ...envFor(dir) }), /changed since ctcr read it \(run ctcr fix again\); nothing was changed/);
  assert.equal(await readFile(file, 'utf8'), TTY + '# edited meanwhile\n');
  assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('config.')), [], 'no backup');
});

test('a file that is not valid UTF-8 is not rewritten', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'config');
  const bytes = Buffer.concat([Buffer.from('lxc.uts.name = c\xff'), Buffer.from([0xff]), Buffer.from('\nlxc.tty.max = 4\n')]);
  await writeFile(file, bytes);
  const text = bytes.toString('utf8');
  await assert.rejects(commitRun([{ file, before: text, after: text.replace('4', '0') }], [], { runId: newRunId(), ...envFor(dir) }), /not valid UTF-8/);
  assert.ok((await readFile(file)).equals(bytes));
});

test('every file is checked before any is written: a read-only one stops the run before the first is touched', async (t) => {
  if (skipUnlessRoot(t, 'a read-only bind mount')) return;
  const dir = await tempDir(t);
  const a = path.join(dir, 'a.conf');
  await mkdir(path.join(dir, 'ro'));
  const b = path.join(dir, 'ro', 'b.conf');
  await writeFile(a, TTY);
  await writeFile(b, TTY);
  mountFor(t, ['--bind', path.join(dir, 'ro')], path.join(dir, 'ro'));
  execFileSync('mount', ['-o', 'remount,ro,bind', path.join(dir, 'ro')]);
  // prepare() checks every file before writing any: the read-only one is caught before a.conf is touched.
  await assert.rejects(
    commitRun([{ file: a, before: TTY, after: FIXED }, { file: b, before: TTY, after: FIXED }], [], { runId: newRunId(), ...envFor(dir) }),
    (err: unknown) => err instanceof FixWriteError && /b\.conf: is read-only: read-only file system; nothing was changed$/.test(err.format()),
  );
  assert.equal(await readFile(a, 'utf8'), TTY);
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('ctcr-')), []);
});

test('rollback: a failure after the first file was written puts it back and says so', async (t) => {
  if (skipUnlessRoot(t, 'chattr +i')) return;
  const dir = await tempDir(t);
  const a = path.join(dir, 'a.conf');
  await mkdir(path.join(dir, 'locked'));
  const b = path.join(dir, 'locked', 'b.conf');
  await writeFile(a, TTY);
  await writeFile(b, TTY);
  // An immutable folder: b.conf itself is writable (access() says so), but no backup or temp file can be created beside it.
  const chattr = await execa('chattr', ['+i', path.join(dir, 'locked')], { reject: false });
  if (chattr.exitCode !== 0) {
    t.skip(`chattr +i does not work here: ${chattr.stderr.trim()}`);
    return;
  }
  defer(t, () => execa('chattr', ['-i', path.join(dir, 'locked')], { reject: false }));
  const runId = newRunId();
  await assert.rejects(commitRun([{ file: a, before: TTY, after: FIXED }, { file: b, before: TTY, after: FIXED }], [], { runId, ...envFor(dir) }), (err: unknown) => {
    assert.ok(err instanceof FixWriteError);
    assert.match(err.format(), /b\.conf: cannot create the backup .*: operation not permitted.*; nothing was changed \(1 change made earlier in this run was rolled back\)/);
    assert.equal(err.manifest.status, 'rolled-back');
    return true;
  });
  assert.equal(await readFile(a, 'utf8'), TTY, 'a.conf is back to its old text');
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('ctcr-')), [], 'its backup is gone, no temp left');
  assert.equal((await readManifest(runId, envFor(dir).env)).status, 'rolled-back');
});

test('temp files of a killed run are removed; those of a live process are not', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'config');
  await writeFile(file, TTY);
  const dead = path.join(dir, '.config.ctcr-tmp.999999999.abcd0123');
  const other = path.join(dir, '.config2.ctcr-tmp.999999999.abcd0123');
  const sleeper = spawn('sleep', ['30']);
  t.after(() => sleeper.kill());
  const live = path.join(dir, `.config.ctcr-tmp.${sleeper.pid}.abcd0123`);
  await writeFile(dead, 'half');
  await writeFile(live, 'in progress');
  await writeFile(other, 'another file\'s');
  assert.deepEqual(await removeStaleTemps(file), [dead]);
  assert.deepEqual((await readdir(dir)).sort(), ['.config.ctcr-tmp.' + sleeper.pid + '.abcd0123', '.config2.ctcr-tmp.999999999.abcd0123', 'config']);
});

test('atomicReplace never leaves a temp file when the write fails', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'config');
  await writeFile(file, TTY);
  // A mode chmod cannot set for a non-owner is not the case here; make rename fail instead: the target is a directory.
  await mkdir(path.join(dir, 'adir'));
  await assert.rejects(atomicReplace(path.join(dir, 'adir'), Buffer.from('x'), undefined));
  assert.deepEqual((await readdir(dir)).sort(), ['adir', 'config']);
});

// --- through the CLI: one line, exit 2, the file intact ---------------------------------------

async function cliCase(t: TestContext): Promise<{ dir: string; file: string; state: string }> {
  const dir = await tempDir(t, 'ctcr-write-cli-');
  const state = await tempDir(t, 'ctcr-state-');
  await mkdir(path.join(dir, 'c'));
  const file = path.join(dir, 'c', 'config');
  await writeFile(file, TTY);
  return { dir, file, state };
}

function assertFailedCleanly(r: { exitCode: number; stderr: string }, file: string, pattern: RegExp): void {
  assert.equal(r.exitCode, 2, r.stderr);
  assert.ok(isOneLineError(r.stderr), `one line: ${r.stderr}`);
  assert.match(r.stderr, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.match(r.stderr, pattern);
}

test('read-only file system (a read-only bind mount): exit 2, one line naming the file, file intact', async (t) => {
  if (skipUnlessRoot(t, 'mount')) return;
  const { dir, file, state } = await cliCase(t);
  mountFor(t, ['--bind', path.join(dir, 'c')], path.join(dir, 'c'));
  execFileSync('mount', ['-o', 'remount,ro,bind', path.join(dir, 'c')]);
  const r = await ctcrRaw(['fix', file, '--suggestions'], { env: { CTCR_STATE_DIR: state } });
  assertFailedCleanly(r, file, /read-only file system; nothing was changed/);
  assert.equal(await readFile(file, 'utf8'), TTY);
});

test('an immutable file (chattr +i): exit 2, one line, file intact, no backup left', async (t) => {
  if (skipUnlessRoot(t, 'chattr')) return;
  const { dir, file, state } = await cliCase(t);
  const chattr = await execa('chattr', ['+i', file], { reject: false });
  if (chattr.exitCode !== 0) {
    t.skip(`chattr +i does not work here: ${chattr.stderr.trim()}`);
    return;
  }
  defer(t, () => execa('chattr', ['-i', file], { reject: false }));
  const r = await ctcrRaw(['fix', file, '--suggestions'], { env: { CTCR_STATE_DIR: state } });
  assertFailedCleanly(r, file, /operation not permitted.*nothing was changed/);
  assert.equal(await readFile(file, 'utf8'), TTY);
  assert.deepEqual(await readdir(path.join(dir, 'c')), ['config']);
});

test('a full disk (a small tmpfs, filled): exit 2, one line, file intact, no partial backup or temp file', async (t) => {
  if (skipUnlessRoot(t, 'mount -t tmpfs')) return;
  const { dir, state } = await cliCase(t);
  const mnt = path.join(dir, 'small');
  await mkdir(mnt);
  mountFor(t, ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs'], mnt);
  const file = path.join(mnt, 'config');
  // A 24 KiB config (six pages) and a filler that leaves room for the backup but not for the new file as well.
  const big = TTY + `# ${'x'.repeat(100)}\n`.repeat(240);
  await writeFile(file, big);
  for (const [filler, where] of [[12 * 1024, 'the temp file'], [40 * 1024, 'the backup']] as const) {
    await rm(path.join(mnt, 'filler'), { force: true });
    await writeFile(path.join(mnt, 'filler'), Buffer.alloc(filler, 1)).catch(() => undefined);
    const r = await ctcrRaw(['fix', file, '--suggestions'], { env: { CTCR_STATE_DIR: state } });
    assertFailedCleanly(r, file, /no space left on device; nothing was changed/);
    assert.equal(await readFile(file, 'utf8'), big, `intact when ${where} does not fit`);
    assert.deepEqual((await readdir(mnt)).sort(), ['config', 'filler'], `nothing left behind when ${where} does not fit`);
  }
});

test('a read-only file, for a user who is not root: exit 2, one line, intact', async (t) => {
  if (skipUnlessRoot(t, 'setpriv to another user')) return;
  const { dir, file, state } = await cliCase(t);
  await chown(path.join(dir, 'c'), 1234, 1234);
  await chown(file, 1234, 1234);
  await chmod(file, 0o444);
  await chown(state, 1234, 1234);
  await chmod(dir, 0o755);
  const r = await execa('setpriv', ['--reuid', '1234', '--regid', '1234', '--clear-groups', process.execPath, CLI, 'fix', file, '--suggestions'], {
    env: { ...process.env, CTCR_STATE_DIR: state, HOME: state },
    reject: false,
  });
  assertFailedCleanly({ exitCode: r.exitCode ?? -1, stderr: String(r.stderr) }, file, /is read-only: permission denied; nothing was changed/);
  assert.equal(await readFile(file, 'utf8'), TTY);
  assert.equal((await lstat(file)).mode & 0o777, 0o444);
});

test('--undo puts back a run (the last, or one named); again is refused; a file edited since is left alone', async (t) => {
  const { file, state } = await cliCase(t);
  const env = { CTCR_STATE_DIR: state };
  const fixed = await ctcrRaw(['fix', file, '--suggestions'], { env });
  assert.equal(fixed.exitCode, 0, fixed.stderr);
  const runId = /run (\S+): changed/.exec(fixed.stderr)?.[1];
  assert.ok(runId, fixed.stderr);
  assert.equal(await readFile(file, 'utf8'), FIXED);
  assert.match(fixed.stderr, new RegExp(`Undo: ctcr fix --undo ${runId}`));

  const undone = await ctcrRaw(['fix', file, '--undo'], { env });
  assert.equal(undone.exitCode, 0, undone.stderr);
  assert.match(undone.stderr, /restored/);
  assert.equal(await readFile(file, 'utf8'), TTY, 'byte for byte the text before the run');
  assert.match(undone.stderr, /removed the backup .*ctcr-bak/);
  assert.deepEqual((await readdir(path.dirname(file))).filter((n) => n.includes('.ctcr-bak.')), [], 'the undone run leaves no backup');
  const again = await ctcrRaw(['fix', '--undo', runId], { env });
  assert.equal(again.exitCode, 2);
  assert.match(again.stderr, /already undone/);

  // A second run, then an edit by hand: undo refuses that file and says where its old text is.
  const second = await ctcrRaw(['fix', file, '--suggestions'], { env });
  const secondId = /run (\S+): changed/.exec(second.stderr)![1];
  await writeFile(file, FIXED + '# by hand\n');
  const refused = await ctcrRaw(['fix', '--undo', secondId], { env });
  assert.equal(refused.exitCode, 2);
  assert.match(refused.stderr, /NOT restored .*changed after the run.*ctcr-bak/);
  assert.equal(await readFile(file, 'utf8'), FIXED + '# by hand\n');
  const runs = await ctcrRaw(['fix', '--runs'], { env });
  assert.match(runs.stdout, new RegExp(`${runId}\\s+undone`));
  assert.match(runs.stdout, new RegExp(`${secondId}\\s+complete`));
});

test('undoRun with no run recorded, and with a bad id, is an input error', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(undoRun(undefined, envFor(dir)), /no run to undo/);
  await assert.rejects(undoRun({ kind: 'path', path: '/etc/passwd' }, envFor(dir)), /no run to undo that touched \/etc\/passwd/);
  await assert.rejects(undoRun('../../etc/passwd', envFor(dir)), /is not a run id/);
});

test('--undo is scoped to what it names: FILE the newest run that touched it, NAME the newest on that container, RUNID that run; a bare --undo in CI is an error', async (t) => {
  const lxc = await tempDir(t, 'ctcr-undo-scope-');
  const state = await tempDir(t, 'ctcr-state-');
  const env = { CTCR_STATE_DIR: state };
  for (const c of ['c1', 'c2']) {
    await mkdir(path.join(lxc, c));
    await writeFile(path.join(lxc, c, 'config'), TTY);
  }
  const runOf = (stderr: string) => /run (\S+): changed/.exec(stderr)?.[1];
  const first = runOf((await ctcrRaw(['fix', path.join(lxc, 'c1', 'config'), '--suggestions'], { env })).stderr);
  const second = runOf((await ctcrRaw(['fix', path.join(lxc, 'c2', 'config'), '--suggestions'], { env })).stderr);
  assert.ok(first && second && first !== second);

  // The newest run on the machine is c2's; naming c1's config undoes c1's.
  const byFile = await ctcrRaw(['fix', path.join(lxc, 'c1', 'config'), '--undo'], { env });
  assert.equal(byFile.exitCode, 0, byFile.stderr);
  assert.match(byFile.stderr, new RegExp(`run ${first}`));
  assert.equal(await readFile(path.join(lxc, 'c1', 'config'), 'utf8'), TTY);
  assert.equal(await readFile(path.join(lxc, 'c2', 'config'), 'utf8'), FIXED, "c2's run is left alone");
  const again = await ctcrRaw(['fix', '--undo', path.join(lxc, 'c1', 'config')], { env });
  assert.equal(again.exitCode, 2);
  assert.match(again.stderr, new RegExp(`no run left to undo that touched .*c1/config: ${first} \\(undone\\)`));

  // A bare --undo where no person is asking (CI set; or stdin not a terminal): an error, nothing undone.
  for (const ci of [{ CI: 'true' }, { CI: undefined }]) {
    const bare = await ctcrRaw(['fix', '--undo'], { env: { ...env, ...ci } });
    assert.equal(bare.exitCode, 2, bare.stderr);
    assert.ok(isOneLineError(bare.stderr), bare.stderr);
    assert.match(bare.stderr, /--undo needs what to undo: ctcr fix FILE --undo, ctcr fix NAME --undo or ctcr fix --undo RUNID/);
  }
  assert.equal(await readFile(path.join(lxc, 'c2', 'config'), 'utf8'), FIXED);

  // By container name (in -P LXCPATH): the newest run on c2; by run id: that run, with no target beside it.
  const both = await ctcrRaw(['fix', 'c2', '--undo', second!], { env });
  assert.equal(both.exitCode, 2);
  assert.match(both.stderr, /names a run; drop the targets/);
  const byName = await ctcrRaw(['fix', 'c2', '-P', lxc, '--undo'], { env });
  assert.equal(byName.exitCode, 0, byName.stderr);
  assert.match(byName.stderr, new RegExp(`run ${second}`));
  assert.equal(await readFile(path.join(lxc, 'c2', 'config'), 'utf8'), TTY);
  const record = await readManifest(second!, envFor(state).env);
  assert.equal(record.status, 'undone');
  assert.deepEqual(record.targets, [{ label: path.join(lxc, 'c2', 'config'), container: path.join(lxc, 'c2') }], 'the journal names what the run fixed');
  assert.match(record.files[0].backup, /config\.ctcr-bak\./, 'and lists its backups');
  for (const c of ['c1', 'c2']) assert.deepEqual((await readdir(path.join(lxc, c))).filter((n) => n.includes('.ctcr-bak.')), [], `no backup left in ${c}`);
});

test('a bare --undo on a terminal (CI unset) keeps its documented meaning: the newest run recorded', async (t) => {
  const { file, state } = await cliCase(t);
  const env = { CTCR_STATE_DIR: state };
  const fixed = await ctcrRaw(['fix', file, '--suggestions'], { env });
  const runId = /run (\S+): changed/.exec(fixed.stderr)?.[1];
  assert.ok(runId, fixed.stderr);
  // script(1) gives the command a pseudo-terminal as stdin, as a person's shell would.
  const shellWord = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const r = await execa('script', ['-qec', [process.execPath, CLI, 'fix', '--undo'].map(shellWord).join(' '), '/dev/null'], {
    env: { ...process.env, CI: undefined, CTCR_STATE_DIR: state, NO_COLOR: '1' },
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
  assert.equal(r.exitCode, 0, String(r.stdout) + String(r.stderr));
  assert.match(String(r.stdout), new RegExp(`ctcr fix --undo: run ${runId}`));
  assert.equal(await readFile(file, 'utf8'), TTY);
});
