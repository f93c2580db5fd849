/**
 * Running helper programs and settling probes for the live gatherers, with
 * node:child_process rather than execa: execa's import alone took ~80 ms of
 * every doctor's run here (BENCHMARKS.md), and this needs only a spawn,
 * its output and a process-group kill. Nothing here throws: a program that is missing, fails or hangs becomes a result
 * that says so, and a probe that throws or hangs becomes `{ ok: false, reason }`.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Gathered } from '../types.js';

export interface ExecResult {
  /** Exit code 0, not killed, not timed out. */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Undefined when the program did not run or was killed by a signal. */
  exitCode?: number;
  /** Why it is not ok, in words ("timed out after 200 ms", "exited with code 1", "not found: criu"); empty when ok. */
  reason: string;
  timedOut: boolean;
  durationMs: number;
}

export interface ExecOptions {
  timeoutMs: number;
  /** The environment the program gets (and the PATH it is looked up on). Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** Process groups of running probes, killed if ctcr exits first (they are detached, so nothing else would). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function killLiveGroups(): void {
  for (const pgid of liveGroups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/**
 * Runs `file` with `args` and never throws. A bare name is looked up on the
 * PATH of `env`. The program runs in its own process group, and a timeout
 * kills the whole group: a wrapper script whose child still holds stdout would
 * otherwise keep the probe waiting until that child ends.
 */
export async function run(file: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const env = opts.env ?? process.env;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const resolved = file.includes('/') ? file : await findOnPath(file, env);
  if (!resolved) {
    return { ok: false, stdout: '', stderr: '', reason: `not found on PATH: ${file}`, timedOut: false, durationMs: elapsed() };
  }
  if (!exitHookInstalled) {
    process.once('exit', killLiveGroups);
    exitHookInstalled = true;
  }
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const child = spawn(resolved, [...args], { env, detached: true, stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const pgid = child.pid;
    if (pgid !== undefined) liveGroups.add(pgid);
    timer = setTimeout(() => {
      timedOut = true;
      if (pgid !== undefined) {
        try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }, opts.timeoutMs);
    const result = await collect(child, opts.input);
    if (pgid !== undefined) liveGroups.delete(pgid);
    const { stdout, stderr } = result;
    // A program that never started closes with a negative errno as its code: that is no exit code.
    const exitCode = result.error ? undefined : result.exitCode ?? undefined;
    const base = { stdout, stderr, exitCode, timedOut, durationMs: elapsed() };
    if (timedOut) return { ...base, ok: false, reason: `${commandText(file, args)} timed out after ${opts.timeoutMs} ms` };
    if (exitCode === 0) return { ...base, ok: true, reason: '' };
    const code = result.error?.code;
    if (code === 'ENOENT' || code === 'EACCES') {
      return { ...base, ok: false, reason: `cannot run ${resolved}: ${code === 'ENOENT' ? 'not found' : 'permission denied'}` };
    }
    if (result.error) return { ...base, ok: false, reason: `cannot run ${resolved}: ${result.error.message}` };
    if (exitCode === undefined && result.signal) {
      return { ...base, ok: false, reason: `${commandText(file, args)} was killed by ${result.signal}` };
    }
    if (exitCode === undefined) return { ...base, ok: false, reason: `cannot run ${resolved}: it ended without an exit code` };
    return { ...base, ok: false, reason: `${commandText(file, args)} exited with code ${exitCode}` };
  } catch (err) {
    return { ok: false, stdout: '', stderr: '', reason: `cannot run ${resolved}: ${(err as Error)?.message ?? String(err)}`, timedOut, durationMs: elapsed() };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

interface Collected {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

/** Feeds `input`, gathers both outputs, and resolves once the child has exited and its pipes are drained (or it failed to start). */
function collect(child: ChildProcess, input: string | undefined): Promise<Collected> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let error: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e;
    });
    if (child.stdin) {
      // A program that exits without reading its input closes the pipe: not an error of ours.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
    // 'close' comes after 'exit' and after stdio closed; it also follows a failed start.
    child.on('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode, signal, ...(error ? { error } : {}) });
    });
  });
}

function commandText(file: string, args: readonly string[]): string {
  return [path.basename(file), ...args].join(' ');
}

/**
 * The absolute path `name` resolves to on `env.PATH` (an executable regular
 * file, as execvp would take it), or null. A name with a slash is checked as is.
 */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (name === '') return null;
  if (name.includes('/')) return (await isExecutableFile(name)) ? path.resolve(name) : null;
  // An empty PATH element means the current directory, as for execvp.
  const dirs = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((d) => d || '.');
  const hits = await Promise.all(dirs.map((dir) => isExecutableFile(path.join(dir, name))));
  const index = hits.indexOf(true);
  return index < 0 ? null : path.resolve(dirs[index], name);
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Settles one probe into a Gathered<T>: its value, or `{ ok: false, reason }`
 * when it throws or does not finish within `timeoutMs`. `what` names what
 * could not be determined, for the reason's first words.
 */
export async function settle<T>(what: string, timeoutMs: number, probe: () => Promise<T>): Promise<Gathered<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Gathered<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `${what}: timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const attempt = (async (): Promise<Gathered<T>> => {
    try {
      return { ok: true, value: await probe() };
    } catch (err) {
      return { ok: false, reason: `${what}: ${describeError(err)}` };
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** A thrown thing in words: errno codes spelled out, messages kept. */
export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const where = e?.path ? ` (${e.path})` : '';
  switch (e?.code) {
    case 'ENOENT': return `no such file or directory${where}`;
    case 'EACCES': return `permission denied${where}`;
    case 'EPERM': return `operation not permitted${where}`;
    case 'ESRCH': return `no such process${where}`;
    default: return e?.message ?? String(err);
  }
}
