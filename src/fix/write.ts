/**
 * The only code that writes config files. A run:
 *   1. writes its manifest (what it will change, where the backups go) to the
 *      state directory, so that even a killed run can be undone;
 *   2. per file: checks the file still holds the text the fixes were computed
 *      from, copies it to `<file>.ctcr-bak.<runid>` (created whole or not at
 *      all, never over an existing file), then replaces it atomically (temp
 *      file in the same folder, fsync, owner and mode of the original, rename,
 *      fsync of the folder);
 *   3. does the rootfs operations;
 *   4. marks the manifest complete.
 * A failure rolls back what the run already did, so a run lands whole or not
 * at all, and says so in one line naming the file. A kill leaves every file
 * whole (old or new); the temp file it may leave is removed by the next run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, lstat, mkdir, open, readdir, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { RootfsOperation } from '../types.js';
import { EXIT, InputError } from '../errors.js';
import { faultPoint } from './fault.js';
import { applyRootfsOp, describeOp, opIsDone, reverseOp, RootfsOpError } from './rootfs-ops.js';
import { isProcessAlive } from '../util/process.js';

/** A file to change: the text the fixes were computed from, and the text to write. */
export interface FileChange {
  file: string;
  before: string;
  after: string;
}

export interface PlannedRootfsOp {
  /** The rootfs directory on the host. */
  rootDir: string;
  op: RootfsOperation;
}

export interface ManifestFile {
  /** The file as the config named it. */
  file: string;
  /** The file actually replaced (symlinks resolved). */
  path: string;
  backup: string;
  before: string;
  after: string;
}

export interface RunManifest {
  version: 1;
  runId: string;
  pid: number;
  startedAt: string;
  finishedAt?: string;
  argv: string[];
  /** `interrupted`: found 'started' after its process had died (killed, power loss). */
  status: 'started' | 'complete' | 'rolled-back' | 'failed' | 'interrupted' | 'undone';
  /** What went wrong, for a failed or rolled-back run. */
  error?: string;
  /** Every file changed, each with its backup (`<file>.ctcr-bak.<runid>`, removed when the run is undone). */
  files: ManifestFile[];
  rootfsOps: PlannedRootfsOp[];
  /** What the run fixed: the targets named, with the container folder of those that are containers (for `ctcr fix NAME --undo`). */
  targets?: RunTarget[];
}

export interface RunTarget {
  label: string;
  /** `<lxcpath>/<name>` of a container. */
  container?: string;
}

/** A run that failed: one line naming the file and saying what stays changed (nothing, after a rollback); the manifest has the details. */
export class FixWriteError extends InputError {
  constructor(message: string, file: string, readonly manifest: RunManifest) {
    super(message, { file });
    this.name = 'FixWriteError';
  }
}

// ---------------------------------------------------------------------------
// Where runs are recorded.

/**
 * The journal of runs: CTCR_STATE_DIR, else /var/lib/ctcr for root (configs
 * under /var/lib/lxc are root's; FHS puts a program's persistent state in
 * /var/lib), else $XDG_STATE_HOME/ctcr or ~/.local/state/ctcr; the records
 * are in its runs/ folder. One place, not beside each file, so that
 * `--undo FILE` finds the run that touched FILE wherever it wrote.
 * (README "Undo" and `ctcr fix --help` say the same.)
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CTCR_STATE_DIR) return path.resolve(env.CTCR_STATE_DIR);
  if (process.geteuid?.() === 0) return '/var/lib/ctcr';
  return path.join(env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state'), 'ctcr');
}

export const runsDir = (env: NodeJS.ProcessEnv = process.env) => path.join(stateDir(env), 'runs');

/** Sortable by time: 20260827T101112345Z-3f2a. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
}

const RUN_ID = /^\d{8}T\d{9}Z-[0-9a-f]{4}$/;

export const isRunId = (text: string) => RUN_ID.test(text);

export const backupPath = (file: string, runId: string) => `${file}.ctcr-bak.${runId}`;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------
// Errors in words.

export function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EROFS': return 'read-only file system';
    case 'EACCES': return 'permission denied';
    case 'EPERM': return 'operation not permitted (an immutable file, or not the owner?)';
    case 'ENOENT': return 'no such file or directory';
    case 'EEXIST': return 'already exists';
    case 'EIO': return 'input/output error';
    case 'EXDEV': return 'crosses file systems';
    default: return e?.message ?? String(err);
  }
}

class StepError extends Error {
  constructor(readonly file: string, readonly what: string, cause: unknown) {
    super(`${what}: ${cause instanceof StepError || cause instanceof RootfsOpError ? cause.message : describeWriteError(cause)}`);
  }
}

// ---------------------------------------------------------------------------
// Atomic files.

interface Owner {
  mode: number;
  uid: number;
  gid: number;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync().catch((err: NodeJS.ErrnoException) => {
      // Some file systems cannot fsync a directory; the rename is still atomic there.
      if (err.code !== 'EINVAL' && err.code !== 'ENOTSUP') throw err;
    });
  } finally {
    await fh.close();
  }
}

/** A new file in `dir`, written and synced under a temporary name, with `owner`'s mode and ids. Returns its path. */
async function writeTemp(target: string, data: Buffer, owner: Owner | undefined): Promise<string> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.ctcr-tmp.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    faultPoint('temp-created');
    const half = data.length >> 1;
    await fh.write(data, 0, half, 0);
    faultPoint('temp-half-written');
    await fh.write(data, half, data.length - half, half);
    if (owner) {
      const mine = await fh.stat();
      // chown first: it clears set-id bits, which chmod then puts back.
      if (mine.uid !== owner.uid || mine.gid !== owner.gid) await fh.chown(owner.uid, owner.gid);
      await fh.chmod(owner.mode & 0o7777);
    }
    await fh.sync();
    faultPoint('temp-synced');
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  return temp;
}

/** Replaces `target` with `data` atomically: readers see the old file or the new one, never a mix. */
export async function atomicReplace(target: string, data: Buffer, owner: Owner | undefined): Promise<void> {
  const temp = await writeTemp(target, data, owner);
  try {
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  faultPoint('renamed');
  await fsyncDir(path.dirname(target));
  faultPoint('dir-synced');
}

/** Creates `target` with `data`, whole or not at all, failing if it exists (link() never replaces). */
async function createExclusive(target: string, data: Buffer, owner: Owner): Promise<void> {
  const temp = await writeTemp(target, data, owner);
  try {
    await link(temp, target);
    faultPoint('backup-linked');
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await fsyncDir(path.dirname(target));
}

const TEMP = /^\.(.+)\.ctcr-tmp\.(\d+)\.[0-9a-f]{8}$/;

/**
 * Removes the temp files a killed run left in `file`'s folder: beside `file`,
 * or (with no file named, for the state directory) any. Those of a process
 * still alive are another run's, and stay. Returns what it removed.
 */
export async function removeStaleTemps(file: string, anyInFolder = false): Promise<string[]> {
  const dir = anyInFolder ? file : path.dirname(file);
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = TEMP.exec(name);
    // Temps of the file itself and of its backups (a backup is written under a temp name too).
    if (!m || (!anyInFolder && m[1] !== path.basename(file) && !m[1].startsWith(`${path.basename(file)}.ctcr-bak.`))) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    await unlink(path.join(dir, name)).then(() => removed.push(path.join(dir, name)), () => undefined);
  }
  return removed;
}

// ---------------------------------------------------------------------------
// Manifests.

async function saveManifest(m: RunManifest, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = runsDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeStaleTemps(dir, true);
  await atomicReplace(path.join(dir, `${m.runId}.json`), Buffer.from(JSON.stringify(m, null, 2) + '\n'), { mode: 0o600, uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 });
}

export async function readManifest(runId: string, env: NodeJS.ProcessEnv = process.env): Promise<RunManifest> {
  if (!RUN_ID.test(runId)) throw new InputError(`'${runId}' is not a run id (like 20260827T101112345Z-3f2a; ctcr fix --runs lists them)`);
  const file = path.join(runsDir(env), `${runId}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`no record of run ${runId}: ${describeWriteError(err)}`, { file });
  }
  try {
    return JSON.parse(text) as RunManifest;
  } catch {
    throw new InputError(`the record of run ${runId} is not valid JSON`, { file });
  }
}

/** Every recorded run, oldest first. */
export async function listRuns(env: NodeJS.ProcessEnv = process.env): Promise<RunManifest[]> {
  const names = (await readdir(runsDir(env)).catch(() => [] as string[])).filter((n) => RUN_ID.test(n.replace(/\.json$/, '')) && n.endsWith('.json')).sort();
  const runs: RunManifest[] = [];
  // A record that cannot be read (edited by hand) is left out here; `--undo ID` names the problem.
  for (const n of names) await readManifest(n.replace(/\.json$/, ''), env).then((r) => runs.push(r), () => undefined);
  return runs;
}

/**
 * Runs killed before they finished (their process is gone), found once:
 * with `tidy`, each is marked 'interrupted' (still undoable) so that it is
 * reported only this time, and temp files left in the state folder go.
 */
export async function interruptedRuns(opts: { tidy: boolean; env?: NodeJS.ProcessEnv }): Promise<RunManifest[]> {
  const env = opts.env ?? process.env;
  const found = (await listRuns(env)).filter((r) => r.status === 'started' && r.pid !== process.pid && !isProcessAlive(r.pid));
  if (opts.tidy) {
    await removeStaleTemps(runsDir(env), true);
    for (const r of found) await saveManifest({ ...r, status: 'interrupted' }, env);
  }
  return found;
}

// ---------------------------------------------------------------------------
// A run.

interface Prepared {
  change: FileChange;
  real: string;
  links: number;
  owner: Owner;
  bytes: Buffer;
  record: ManifestFile;
}

async function prepare(change: FileChange, runId: string): Promise<Prepared> {
  const step = (what: string) => (err: unknown) => {
    throw new StepError(change.file, what, err);
  };
  // Write where the data is: a config reached through a symlink stays a symlink.
  const real = await realpath(change.file).catch(step('cannot resolve'));
  const info = await stat(real).catch(step('cannot examine'));
  if (!info.isFile()) throw new StepError(change.file, 'not replaced', new Error('not a regular file'));
  const bytes = await readFile(real).catch(step('cannot read'));
  if (bytes.toString('utf8') !== change.before) throw new StepError(change.file, 'not replaced', new Error('it changed since ctcr read it (run ctcr fix again)'));
  if (!Buffer.from(change.before, 'utf8').equals(bytes)) throw new StepError(change.file, 'not replaced', new Error('it is not valid UTF-8, and rewriting it would change bytes no fix touched'));
  // Root may write anything; others are told a read-only file is read-only instead of having it replaced behind its mode.
  await access(real, constants.W_OK).catch(step('is read-only'));
  return {
    change,
    real,
    bytes,
    links: info.nlink,
    owner: { mode: info.mode, uid: info.uid, gid: info.gid },
    record: { file: change.file, path: real, backup: backupPath(real, runId), before: sha256(bytes), after: sha256(change.after) },
  };
}

export interface CommitOptions {
  runId: string;
  /** What the run fixed, recorded for `--undo NAME`. */
  targets?: RunTarget[];
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Told what the run does besides writing: stale temp files removed, hard links that keep the old text. */
  note?: (line: string) => void;
}

/** Writes a run: every change and rootfs operation, or (after a failure) none of them. Holds the files' locks throughout. */
export async function commitRun(changes: readonly FileChange[], rootfsOps: readonly PlannedRootfsOp[], opts: CommitOptions): Promise<RunManifest> {
  return withFileLocks(changes.map((c) => c.file), opts.runId, () => commitRunLocked(changes, rootfsOps, opts));
}

async function commitRunLocked(changes: readonly FileChange[], rootfsOps: readonly PlannedRootfsOp[], opts: CommitOptions): Promise<RunManifest> {
  const env = opts.env ?? process.env;
  const manifest: RunManifest = {
    version: 1,
    runId: opts.runId,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    argv: opts.argv ?? [],
    status: 'started',
    files: [],
    rootfsOps: [...rootfsOps],
    ...(opts.targets ? { targets: opts.targets } : {}),
  };
  const prepared: Prepared[] = [];
  for (const change of changes) {
    try {
      prepared.push(await prepare(change, opts.runId));
    } catch (err) {
      if (err instanceof StepError) throw new FixWriteError(`${err.message}; nothing was changed`, err.file, manifest);
      throw err;
    }
  }
  manifest.files = prepared.map((p) => p.record);
  for (const p of prepared) {
    // A rename gives the file a new inode: other hard links keep the old text (editors that save atomically do the same).
    if (p.links > 1) opts.note?.(`${p.change.file} has ${p.links} hard links; only this name gets the new text, the others keep the old one`);
  }
  try {
    await saveManifest(manifest, env);
  } catch (err) {
    throw new FixWriteError(`cannot record the run (needed to undo it): ${describeWriteError(err)}; nothing was changed (CTCR_STATE_DIR chooses another place)`, runsDir(env), manifest);
  }
  faultPoint('manifest-saved');

  const backedUp: Prepared[] = [];
  const written: Prepared[] = [];
  const opsDone: PlannedRootfsOp[] = [];
  let failure: StepError | undefined;
  for (const p of prepared) {
    try {
      for (const t of await removeStaleTemps(p.real)) opts.note?.(`removed ${t}, left by an interrupted run`);
      await createExclusive(p.record.backup, p.bytes, p.owner).catch((err) => {
        throw new StepError(p.change.file, `cannot create the backup ${p.record.backup}`, err);
      });
      backedUp.push(p);
      faultPoint('backup-done');
      await atomicReplace(p.real, Buffer.from(p.change.after, 'utf8'), p.owner).catch((err) => {
        throw new StepError(p.change.file, 'cannot write', err);
      });
      written.push(p);
    } catch (err) {
      if (!(err instanceof StepError)) throw err;
      failure = err;
      break;
    }
  }
  if (!failure) {
    for (const planned of rootfsOps) {
      try {
        await applyRootfsOp(planned.rootDir, planned.op);
        opsDone.push(planned);
      } catch (err) {
        failure = new StepError(planned.rootDir, 'rootfs', err);
        break;
      }
    }
  }
  if (failure) {
    const undone = await rollBack(written, backedUp, opsDone);
    manifest.status = undone.problems.length ? 'failed' : 'rolled-back';
    manifest.error = failure.message;
    manifest.finishedAt = new Date().toISOString();
    await saveManifest(manifest, env).catch(() => undefined);
    const before = written.length + opsDone.length;
    const what = undone.problems.length
      ? `; rolling back failed, still changed: ${undone.problems.join('; ')} (ctcr fix --undo ${manifest.runId} retries)`
      : before
        ? `; nothing was changed (${before} change${before === 1 ? '' : 's'} made earlier in this run ${before === 1 ? 'was' : 'were'} rolled back)`
        : '; nothing was changed';
    throw new FixWriteError(failure.message + what, failure.file, manifest);
  }
  manifest.status = 'complete';
  manifest.finishedAt = new Date().toISOString();
  await saveManifest(manifest, env).catch((err) => {
    opts.note?.(`the run is done but its record could not be marked complete: ${describeWriteError(err)}`);
  });
  return manifest;
}

async function rollBack(written: Prepared[], backedUp: Prepared[], opsDone: PlannedRootfsOp[]): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  for (const planned of [...opsDone].reverse()) {
    await applyRootfsOp(planned.rootDir, reverseOp(planned.op)).catch(() => problems.push(`rootfs ${planned.rootDir}: ${describeOp(planned.op)}`));
  }
  for (const p of [...written].reverse()) {
    await atomicReplace(p.real, p.bytes, p.owner).catch((err) => problems.push(`${p.change.file} (${describeWriteError(err)})`));
  }
  // A backup of a file that is back to its old text is the same text twice: removed. Kept if anything stays changed.
  if (problems.length === 0) for (const p of backedUp) await unlink(p.record.backup).catch(() => undefined);
  return { problems };
}

// ---------------------------------------------------------------------------
// Undo.

export interface UndoReport {
  manifest: RunManifest;
  restored: string[];
  /** Files already holding their old text. */
  unchanged: string[];
  /** Files changed since the run: not touched. */
  skipped: { file: string; backup: string }[];
  reversedOps: PlannedRootfsOp[];
  skippedOps: PlannedRootfsOp[];
  /** Backups deleted because their file holds its old text again (those of skipped files stay). */
  removedBackups: string[];
}

/**
 * Which run to undo: one by id; the newest that touched a file (or anything
 * under a folder); the newest on a container (its files, its rootfs
 * operations, or a run that named it); or, only where a person asks on a
 * terminal, the newest recorded at all.
 */
export type UndoSelector =
  | { kind: 'run'; runId: string }
  | { kind: 'path'; path: string }
  | { kind: 'container'; name: string; dir: string }
  | { kind: 'last' };

const undoable = (r: RunManifest) => r.status === 'complete' || r.status === 'failed' || r.status === 'interrupted' || (r.status === 'started' && !isProcessAlive(r.pid));

/** The run `--undo` means with no id: the newest one that changed something and is not undone yet. */
export async function lastUndoableRun(env: NodeJS.ProcessEnv = process.env): Promise<RunManifest | undefined> {
  const runs = await listRuns(env);
  return runs.reverse().find(undoable);
}

const realOr = async (p: string) => realpath(p).catch(() => p);
const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');

/** Whether run `r` touched `place` (a file, or a folder: anything under it), compared as named and as resolved. */
async function touched(r: RunManifest, place: string, container?: string): Promise<boolean> {
  const names = [...new Set([path.resolve(place), await realOr(path.resolve(place))])];
  const hits = (p: string) => names.some((n) => within(path.resolve(p), n));
  return (
    r.files.some((f) => hits(f.file) || hits(f.path)) ||
    r.rootfsOps.some((o) => hits(o.rootDir)) ||
    (container !== undefined && (r.targets ?? []).some((t) => t.container !== undefined && path.resolve(t.container) === path.resolve(container)))
  );
}

/** The run a selector names (newest first among those that can still be undone). */
export async function findRunToUndo(selector: UndoSelector, env: NodeJS.ProcessEnv = process.env): Promise<RunManifest> {
  if (selector.kind === 'run') return readManifest(selector.runId, env);
  if (selector.kind === 'last') {
    const last = await lastUndoableRun(env);
    if (!last) throw new InputError(`no run to undo in ${runsDir(env)}`);
    return last;
  }
  const place = selector.kind === 'path' ? selector.path : selector.dir;
  const what = selector.kind === 'path' ? place : `container ${selector.name} (${selector.dir})`;
  const runs = (await listRuns(env)).reverse();
  for (const r of runs) {
    if (undoable(r) && (await touched(r, place, selector.kind === 'container' ? selector.dir : undefined))) return r;
  }
  const done = [];
  for (const r of runs) if (await touched(r, place, selector.kind === 'container' ? selector.dir : undefined)) done.push(r);
  throw new InputError(
    done.length
      ? `no run left to undo that touched ${what}: ${done.map((r) => `${r.runId} (${r.status})`).join(', ')} in ${runsDir(env)}`
      : `no run to undo that touched ${what} in ${runsDir(env)} (ctcr fix --runs lists the runs recorded there)`,
  );
}

/** Puts back the files and rootfs names a run changed, each only if it still holds what the run wrote; then removes the backups no longer needed. */
export async function undoRun(which: string | UndoSelector | undefined, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<UndoReport> {
  const env = opts.env ?? process.env;
  const selector: UndoSelector = typeof which === 'string' ? { kind: 'run', runId: which } : which ?? { kind: 'last' };
  const manifest = await findRunToUndo(selector, env);
  return withFileLocks(manifest.files.map((f) => f.path), `undo-${manifest.runId}`, () => undoRunLocked(manifest, env));
}

async function undoRunLocked(manifest: RunManifest, env: NodeJS.ProcessEnv): Promise<UndoReport> {
  if (manifest.status === 'undone') throw new InputError(`run ${manifest.runId} was already undone`);
  if (manifest.status === 'rolled-back') throw new InputError(`run ${manifest.runId} changed nothing (it failed and was rolled back: ${manifest.error ?? ''})`);
  if (manifest.status === 'started' && isProcessAlive(manifest.pid)) throw new InputError(`run ${manifest.runId} is still running (pid ${manifest.pid})`);
  const report: UndoReport = { manifest, restored: [], unchanged: [], skipped: [], reversedOps: [], skippedOps: [], removedBackups: [] };
  for (const planned of [...manifest.rootfsOps].reverse()) {
    const done = await opIsDone(planned.rootDir, planned.op).catch(() => false);
    if (!done) {
      report.skippedOps.push(planned);
      continue;
    }
    await applyRootfsOp(planned.rootDir, reverseOp(planned.op)).catch((err) => {
      throw new InputError(`cannot undo ${describeOp(planned.op)}: ${err instanceof RootfsOpError ? err.message : describeWriteError(err)}`, { file: planned.rootDir });
    });
    report.reversedOps.push(planned);
  }
  const backToOld: ManifestFile[] = [];
  for (const f of [...manifest.files].reverse()) {
    await removeStaleTemps(f.path);
    const backup = await readFile(f.backup).catch(() => undefined);
    if (!backup) {
      // No backup: this file's turn never came (the run was killed or failed before it).
      report.unchanged.push(f.file);
      continue;
    }
    const current = await readFile(f.path).catch((err) => {
      throw new InputError(`cannot read: ${describeWriteError(err)}`, { file: f.path });
    });
    const now = sha256(current);
    if (now === f.before) {
      report.unchanged.push(f.file);
      backToOld.push(f);
    } else if (now === f.after) {
      const info = await lstat(f.path);
      await atomicReplace(f.path, backup, { mode: info.mode, uid: info.uid, gid: info.gid }).catch((err) => {
        throw new InputError(`cannot restore from ${f.backup}: ${describeWriteError(err)}`, { file: f.path });
      });
      report.restored.push(f.file);
      backToOld.push(f);
    } else report.skipped.push({ file: f.file, backup: f.backup });
  }
  // A file back to its old text needs no backup (it is that text); a skipped file's backup is where its old text is, and stays.
  for (const f of backToOld) await unlink(f.backup).then(() => report.removedBackups.push(f.backup), () => undefined);
  // A file changed since the run keeps the run undoable: once it is sorted out, --undo again does the rest.
  if (report.skipped.length === 0) {
    manifest.status = 'undone';
    manifest.finishedAt = new Date().toISOString();
    await saveManifest(manifest, env);
  }
  return report;
}

// ---------------------------------------------------------------------------
// Locks: one run at a time per file.

/**
 * Another run holds a file this run would change (issue 15.4: two
 * concurrent runs both read, both wrote, and one's change was lost). Exit 4,
 * nothing changed: run again when the other is done.
 */
export class FileLockedError extends InputError {
  override readonly exitCode = EXIT.locked;
  constructor(file: string, holder: string) {
    super(`another ctcr run (${holder}) is changing this file; nothing was changed (run again when it is done)`, { file });
    this.name = 'FileLockedError';
  }
}

export const lockPath = (real: string) => `${real}.ctcr-lock`;

/** An empty lock is one whose creator died between creating and writing it; younger than this it may still be being written. */
const EMPTY_LOCK_GRACE_MS = 5000;

/**
 * Takes `<file>.ctcr-lock` beside the real file (the folder every run writes
 * its temp file and backup in, so the lock is seen whatever state directory
 * each run uses): created with O_EXCL, holding `pid owner`. A lock whose
 * process is dead is stale and taken over. Node has no flock(); O_EXCL
 * creation is atomic on local file systems and NFSv3+.
 */
async function takeLock(real: string, owner: string): Promise<string | undefined> {
  const lock = lockPath(real);
  for (let attempt = 0; ; attempt++) {
    let fh;
    try {
      fh = await open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt === 0) {
        if (await removeIfStale(lock)) continue;
      }
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new FileLockedError(real, await lockHolder(lock));
      // A folder ctcr cannot create a file in (read-only, full): the run cannot write its temp file or backup there either,
      // and says so in its own words, naming the file; there is nothing to race on.
      return undefined;
    }
    try {
      await fh.writeFile(`${process.pid} ${owner}\n`);
      await fh.close();
      return lock;
    } catch {
      await fh.close().catch(() => undefined);
      await unlink(lock).catch(() => undefined);
      return undefined;
    }
  }
}

/** Removes `lock` when the run that took it is dead (or died before writing it, long enough ago); whether it did. */
async function removeIfStale(lock: string): Promise<boolean> {
  const text = await readFile(lock, 'utf8').catch(() => '');
  const pid = Number(/^(\d+) /.exec(text)?.[1]);
  const age = await lstat(lock).then((i) => Date.now() - i.mtimeMs, () => 0);
  const stale = pid ? pid !== process.pid && !isProcessAlive(pid) : text === '' && age > EMPTY_LOCK_GRACE_MS;
  if (stale) await unlink(lock).catch(() => undefined);
  return stale;
}

async function lockHolder(lock: string): Promise<string> {
  const text = (await readFile(lock, 'utf8').catch(() => '')).trim();
  const m = /^(\d+) (.*)$/.exec(text);
  return m ? `pid ${m[1]}, run ${m[2]}; its lock is ${lock}` : `its lock is ${lock}`;
}

/** Runs `body` holding the locks of `files` (their real paths, each once, in a fixed order); releases them however it ends. */
async function withFileLocks<T>(files: readonly string[], owner: string, body: () => Promise<T>): Promise<T> {
  // A file that cannot be resolved is left to the run, which says why in its own words.
  const reals = [...new Set(await Promise.all(files.map((f) => realpath(f).catch(() => undefined))))].filter((f): f is string => f !== undefined).sort();
  const held: string[] = [];
  try {
    for (const real of reals) {
      const lock = await takeLock(real, owner);
      if (lock) held.push(lock);
    }
    return await body();
  } finally {
    for (const lock of held.reverse()) await unlink(lock).catch(() => undefined);
  }
}
