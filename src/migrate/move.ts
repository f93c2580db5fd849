/**
 * The move, after the preflight said READY (or --force): copy the container's
 * folder and rootfs while it runs (rsync over ssh), checkpoint it here (the
 * freeze), sync the rootfs again, send the images, restore it on the target
 * under the same name, and check that it runs there. The checkpoint and both
 * restores are `ctcr checkpoint` / `ctcr restore` (here, and on the target
 * over ssh): the runner stays the only code that runs CRIU, with its
 * deadlines and thawing.
 *
 * Rollback: once the container is dumped (stopped here), any failure ends
 * with it running again here, restored from the same images, after making
 * sure it does not run on the target. It never runs on both.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { run, type ExecResult } from '../gather/exec.js';
import { joinShellWords } from '../criu/shell-words.js';
import { runRemote, type RemoteHost } from './remote.js';
import type { MoveFacts } from './facts-types.js';
import type { RootfsPlan } from './target-facts.js';
import { targetContainerDir } from './target-facts.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

export interface MovePlan {
  name: string;
  lxcpath: string;
  remote: RemoteHost;
  move: MoveFacts;
  rootfs: RootfsPlan | undefined;
  /** Where the images are written here (a fresh folder per run: pre-1..N and final). */
  localDir: string;
  /** Where they go on the target (the same layout). */
  remoteDir: string;
  /** Most pre-dump iterations (0: none). They run only where CRIU can track dirty memory (mem_dirty_track). */
  maxPreDumps: number;
  removeSource: boolean;
  /** Passed to both ctcr checkpoint and ctcr restore: go on despite the doctor's errors. */
  force: boolean;
  timeoutS: number;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  /** Set by SIGINT/SIGTERM: the move stops after the phase running (each phase has its own deadline) and rolls back. */
  interrupted?: () => string | undefined;
}

export interface PhaseRecord {
  phase: string;
  ms: number;
  ok: boolean;
  detail?: string;
}

export interface MoveResult {
  ok: boolean;
  /** Where the container runs at the end: the target, the source (rolled back, or the dump failed), or nowhere (both attempts failed). */
  runsOn: 'target' | 'source' | 'nowhere';
  container: string;
  from: { lxcpath: string };
  to: { host: string; lxcpath: string };
  phases: PhaseRecord[];
  /** From the freeze to RUNNING on the target (ms). */
  downtimeMs?: number;
  /** CRIU's frozen time of the final dump (ms). */
  frozenMs?: number;
  bytesSent: number;
  preDumpIterations: number;
  failure?: string;
  rollback?: string;
  sourceRemoved?: boolean;
}

class PhaseFailed extends Error {}

/** Below this a pre-dump's pages are not worth another round: the final dump writes them in about the same time. */
export const SMALL_DIRTY_SET = 1024 * 1024;

/**
 * Whether to pre-dump again, given the bytes each pre-dump so far wrote: not
 * past the bound, and only while the dirty set shrinks (by a tenth at least)
 * and is still worth a round.
 */
export function preDumpAgain(sizes: readonly number[], max: number): boolean {
  if (sizes.length >= max) return false;
  if (sizes.length < 2) return sizes.length === 0 || sizes[0]! > SMALL_DIRTY_SET;
  const [prev, last] = [sizes[sizes.length - 2]!, sizes[sizes.length - 1]!];
  return last > SMALL_DIRTY_SET && last < prev * 0.9;
}

/** Bytes of memory pages a dump wrote (pages-*.img) in one folder. */
async function pagesBytes(dir: string): Promise<number> {
  const { readdir, stat } = await import('node:fs/promises');
  let total = 0;
  for (const f of await readdir(dir)) if (/^pages-\d+\.img$/.test(f)) total += (await stat(path.join(dir, f))).size;
  return total;
}

/** "Total bytes sent: 1,234" of rsync --stats. */
export function rsyncBytesSent(stdout: string): number {
  const m = /Total bytes sent: ([\d,.]+)/.exec(stdout);
  return m ? Number(m[1]!.replace(/[,.]/g, '')) : 0;
}

function tail(r: ExecResult): string {
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-3).join(' | ');
}

export async function runMove(plan: MovePlan): Promise<MoveResult> {
  const { name, remote, move, say } = plan;
  const result: MoveResult = {
    ok: false, runsOn: 'source', container: name, from: { lxcpath: plan.lxcpath }, to: { host: remote.host, lxcpath: move.targetLxcpath },
    phases: [], bytesSent: 0, preDumpIterations: 0,
  };
  const sourceDir = path.join(plan.lxcpath, name);
  const targetDir = targetContainerDir(move, name);
  const sshForRsync = joinShellWords([...remote.ssh, '-o', 'BatchMode=yes']);
  const phase = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    say(`${label} ...`);
    try {
      const v = await fn();
      const stop = plan.interrupted?.();
      if (stop) throw new Error(`interrupted by ${stop}`);
      const ms = performance.now() - t;
      result.phases.push({ phase: label, ms, ok: true });
      say(`${label}: done in ${(ms / 1000).toFixed(2)} s`);
      return v;
    } catch (err) {
      const ms = performance.now() - t;
      const detail = (err as Error).message;
      result.phases.push({ phase: label, ms, ok: false, detail });
      say(`${label}: FAILED: ${detail}`);
      throw new PhaseFailed(`${label}: ${detail}`);
    }
  };
  const rsync = async (from: string, to: string, extra: string[] = []) => {
    const r = await run('rsync', ['-aHX', '--numeric-ids', '--delete', '--stats', '--mkpath', '-s', '-e', sshForRsync, ...extra, `${from.replace(/\/+$/, '')}/`, `${remote.host}:${to.replace(/\/+$/, '')}/`], { env: plan.env, timeoutMs: plan.timeoutS * 1000 });
    if (!r.ok) throw new Error(`rsync ${from} -> ${remote.host}:${to}: ${r.reason}${tail(r) ? `: ${tail(r)}` : ''}`);
    result.bytesSent += rsyncBytesSent(r.stdout);
  };
  const copyFiles = async () => {
    // The container's folder (its rootfs too when it lives there) without the config, which is rewritten for the target's paths.
    await rsync(sourceDir, targetDir, ['--exclude', '/config', '--exclude', '/*.log']);
    if (plan.rootfs?.kind === 'copy' && !plan.rootfs.from.startsWith(sourceDir + '/')) await rsync(plan.rootfs.from, plan.rootfs.to);
  };
  const remoteCtcr = (args: string[], timeoutMs: number) => runRemote(remote, [...remote.ctcr, ...args], { env: plan.env, timeoutMs });
  const localCtcr = (args: string[], timeoutMs: number) => run(process.execPath, [CLI, ...args], { env: plan.env, timeoutMs });
  const forced = plan.force ? ['--force'] : [];
  const ctcrTimeout = (plan.timeoutS + 60) * 1000;

  // --- While it runs ---
  try {
    await phase('copy the container folder and rootfs (running)', async () => {
      await copyFiles();
      const config = (await readFile(path.join(sourceDir, 'config'), 'utf8')).replaceAll(sourceDir + '/', targetDir + '/').replaceAll(`${sourceDir}\n`, `${targetDir}\n`);
      const r = await runRemote(remote, ['sh', '-c', 'cat > "$1.ctcr-tmp" && mv "$1.ctcr-tmp" "$1"', 'sh', path.join(targetDir, 'config')], { env: plan.env, timeoutMs: 60_000, input: config });
      if (!r.ok) throw new Error(`writing ${targetDir}/config there: ${r.reason}: ${tail(r)}`);
    });
  } catch (err) {
    result.failure = (err as Error).message;
    result.rollback = `nothing to roll back: ${name} was not frozen and still runs here`;
    await cleanTarget(remote, targetDir, plan, say);
    return result;
  }

  // --- Pre-dumps, while it runs: each writes (and sends) only the pages dirtied since the one before ---
  await mkdir(plan.localDir, { recursive: true, mode: 0o700 });
  const sizes: number[] = [];
  let previous: string | undefined;
  const tracked = plan.move.source.memTrack;
  if (plan.maxPreDumps > 0 && !(tracked?.ok && tracked.value)) {
    say(`no pre-dump: ${tracked?.ok ? 'this kernel cannot track dirty memory (criu check --feature mem_dirty_track fails: no soft-dirty bits)' : `memory tracking unknown (${tracked?.reason ?? 'not probed'})`}; the final dump writes all the memory while frozen`);
  } else {
    while (preDumpAgain(sizes, plan.maxPreDumps)) {
      const dir = `pre-${sizes.length + 1}`;
      try {
        await phase(`pre-dump ${sizes.length + 1} (running)`, async () => {
          const r = await localCtcr(['checkpoint', name, '-P', plan.lxcpath, '-D', path.join(plan.localDir, dir), '--pre-dump', ...(previous ? ['--predump-dir', `../${previous}`] : []), '--timeout', String(plan.timeoutS), ...forced], ctcrTimeout);
          if (!r.ok) throw new Error(`ctcr checkpoint --pre-dump: ${r.reason}: ${tail(r)}`);
          sizes.push(await pagesBytes(path.join(plan.localDir, dir)));
          await rsync(plan.localDir, plan.remoteDir);
        });
      } catch {
        // A failed pre-dump leaves the container running (CRIU resumes it): the final dump then writes everything.
        break;
      }
      previous = dir;
      result.preDumpIterations = sizes.length;
      say(`pre-dump ${sizes.length}: ${sizes[sizes.length - 1]} bytes of dirty pages`);
    }
  }
  const finalLocal = path.join(plan.localDir, 'final');
  const finalRemote = path.join(plan.remoteDir, 'final');

  // --- The freeze: from here on, a failure rolls back ---
  const frozeAt = performance.now();
  try {
    await phase('checkpoint here (the freeze)', async () => {
      const r = await localCtcr(['checkpoint', name, '-P', plan.lxcpath, '-D', finalLocal, '-f', 'json', ...(previous ? ['--predump-dir', `../${previous}`] : []), '--timeout', String(plan.timeoutS), ...forced], ctcrTimeout);
      if (!r.ok) throw new Error(`ctcr checkpoint: ${r.reason}: ${tail(r)}`);
      const parsed = JSON.parse(r.stdout) as { result?: { timings?: { frozen?: number } } };
      result.frozenMs = parsed.result?.timings?.frozen;
    });
  } catch (err) {
    result.failure = (err as Error).message;
    // A failed dump leaves the tasks running (CRIU resumes them; ctcr checkpoint thaws on its deadline).
    const state = await localState(name, plan.lxcpath, plan.env);
    if (state !== 'RUNNING' && existsSync(path.join(finalLocal, 'inventory.img'))) {
      // The dump itself went through (the move was interrupted after it): restore it here from those images.
      await rollBack(plan, targetDir, finalLocal, result);
      return result;
    }
    result.runsOn = state === 'RUNNING' ? 'source' : 'nowhere';
    result.rollback = state === 'RUNNING' ? `the dump failed and ${name} still runs here` : `the dump failed and ${name} is ${state} here: restore it from ${finalLocal} or start it`;
    await cleanTarget(remote, targetDir, plan, say);
    return result;
  }
  try {
    await phase('final sync of the rootfs (stopped here)', copyFiles);
    await phase('send the images', () => rsync(plan.localDir, plan.remoteDir));
    await phase('restore on the target', async () => {
      const r = await remoteCtcr(['restore', name, '-P', move.targetLxcpath, '-D', finalRemote, '--timeout', String(plan.timeoutS), ...forced], ctcrTimeout);
      if (!r.ok) throw new Error(`ctcr restore there: ${r.reason}: ${tail(r)}`);
    });
    await phase('check it runs there', async () => {
      const state = await remoteState(remote, name, move.targetLxcpath, plan.env);
      if (state !== 'RUNNING') throw new Error(`lxc-info there says ${state}`);
    });
    result.downtimeMs = performance.now() - frozeAt;
    result.ok = true;
    result.runsOn = 'target';
    // It runs from memory now: the images are no longer needed on either side (after a rollback they are kept).
    await rm(plan.localDir, { recursive: true, force: true }).catch(() => undefined);
    await runRemote(remote, ['sh', '-c', 'rm -rf --one-file-system "$1" && rmdir --ignore-fail-on-non-empty "$(dirname "$1")"', 'sh', plan.remoteDir], { env: plan.env, timeoutMs: 60_000 });
  } catch (err) {
    result.failure = (err as Error).message;
    await rollBack(plan, targetDir, finalLocal, result);
    return result;
  }
  if (plan.removeSource) {
    await phase('remove the source copy', async () => {
      const r = await run('lxc-destroy', ['-n', name, '-P', plan.lxcpath], { env: plan.env, timeoutMs: 120_000 });
      if (!r.ok) throw new Error(`lxc-destroy: ${r.reason}: ${tail(r)}`);
    }).then(() => (result.sourceRemoved = true), () => (result.sourceRemoved = false));
  }
  return result;
}

async function localState(name: string, lxcpath: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await run('lxc-info', ['-n', name, '-P', lxcpath, '-s', '-H'], { env, timeoutMs: 30_000 });
  return r.ok ? r.stdout.trim() : `unknown (${r.reason})`;
}

async function remoteState(remote: RemoteHost, name: string, lxcpath: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runRemote(remote, ['lxc-info', '-n', name, '-P', lxcpath, '-s', '-H'], { env, timeoutMs: 30_000 });
  return r.ok ? r.stdout.trim() : `unknown (${r.reason})`;
}

/** Removes what the copy put on the target (only a container folder that does not run). */
async function cleanTarget(remote: RemoteHost, targetDir: string, plan: MovePlan, say: (l: string) => void): Promise<void> {
  const state = await remoteState(remote, plan.name, plan.move.targetLxcpath, plan.env);
  if (state === 'RUNNING' || state === 'FROZEN') return;
  const r = await runRemote(remote, ['rm', '-rf', '--one-file-system', targetDir], { env: plan.env, timeoutMs: 120_000 });
  if (!r.ok) say(`could not remove ${targetDir} on the target: ${r.reason}`);
}

/** After the freeze something failed: make sure it does not run on the target, then restore it here from the same images. */
async function rollBack(plan: MovePlan, targetDir: string, images: string, result: MoveResult): Promise<void> {
  const { name, remote, say } = plan;
  say(`rolling back: ${name} goes back to running here`);
  const there = await remoteState(remote, name, plan.move.targetLxcpath, plan.env);
  if (there === 'RUNNING' || there === 'FROZEN') {
    const stop = await runRemote(remote, ['lxc-stop', '-k', '-n', name, '-P', plan.move.targetLxcpath], { env: plan.env, timeoutMs: 60_000 });
    const after = await remoteState(remote, name, plan.move.targetLxcpath, plan.env);
    if (after === 'RUNNING' || after === 'FROZEN') {
      // Never both: it stays stopped here while it may run there.
      result.runsOn = 'target';
      result.rollback = `not restored here: it still runs on ${remote.host} (lxc-stop -k there: ${stop.reason || 'no effect'}) and must not run on both`;
      return;
    }
  }
  const here = await localState(name, plan.lxcpath, plan.env);
  if (here === 'RUNNING') {
    result.runsOn = 'source';
    result.rollback = `${name} runs here (it was not stopped)`;
  } else {
    const r = await run(process.execPath, [CLI, 'restore', name, '-P', plan.lxcpath, '-D', images, '--force', '--timeout', String(plan.timeoutS)], { env: plan.env, timeoutMs: (plan.timeoutS + 60) * 1000 });
    const state = await localState(name, plan.lxcpath, plan.env);
    result.runsOn = state === 'RUNNING' ? 'source' : 'nowhere';
    result.rollback = state === 'RUNNING'
      ? `restored here from ${images}: ${name} runs on the source again`
      : `the restore here failed too (${r.reason}: ${tail(r)}); ${name} is ${state}; its images are in ${images}`;
  }
  await cleanTarget(remote, targetDir, plan, say);
}
