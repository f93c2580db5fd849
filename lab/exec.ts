/** Thin execa wrappers: every command has a timeout and never throws unless asked. */
import { execa, execaSync } from 'execa';
import { accessSync, closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RunResult {
  ok: boolean;
  code: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
  command: string;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * Send stdout/stderr to files instead of pipes. Needed for commands that leave
   * a daemon behind holding their stdio (`lxc-checkpoint -r` does: the restored
   * container's monitor keeps the pipes open, so waiting for them never ends).
   */
  outputToFiles?: boolean;
}

export async function run(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const dir = opts.outputToFiles ? mkdtempSync(join(tmpdir(), 'ctcr-run-')) : undefined;
  // Plain file descriptors, not execa's { file } targets: those are fed through
  // pipes that a leftover daemon would keep open.
  const fds = dir ? [openSync(join(dir, 'out'), 'w'), openSync(join(dir, 'err'), 'w')] : undefined;
  const r = await execa(file, args, {
    reject: false,
    stdin: 'ignore',
    // execa accepts any open file descriptor at run time; its types only list 3..9
    ...(fds ? { stdout: fds[0] as 3, stderr: fds[1] as 3 } : {}),
    timeout: opts.timeoutMs ?? 60_000,
    cwd: opts.cwd,
    env: opts.env,
    forceKillAfterDelay: 3_000,
  });
  let stdout = String(r.stdout ?? '');
  let stderr = String(r.stderr ?? '');
  if (dir) {
    for (const fd of fds!) closeSync(fd);
    stdout = readFileSync(join(dir, 'out'), 'utf8').replace(/\n$/, '');
    stderr = readFileSync(join(dir, 'err'), 'utf8').replace(/\n$/, '');
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    ok: r.exitCode === 0 && !r.timedOut,
    code: r.exitCode,
    stdout,
    stderr,
    timedOut: Boolean(r.timedOut),
    ms: performance.now() - t0,
    command: [file, ...args].join(' '),
  };
}

/** Like run(), but throws with the command's stderr when it fails. */
export async function runOk(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(file, args, opts);
  if (!r.ok) throw new Error(failureText(r));
  return r;
}

export function runSync(file: string, args: string[], timeoutMs = 10_000): { ok: boolean; stdout: string; stderr: string } {
  try {
    const r = execaSync(file, args, { reject: false, stdin: 'ignore', timeout: timeoutMs });
    return { ok: r.exitCode === 0 && !r.timedOut, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  } catch (e) {
    return { ok: false, stdout: '', stderr: (e as Error).message };
  }
}

export function failureText(r: RunResult): string {
  const why = r.timedOut ? `timed out after ${Math.round(r.ms)} ms` : `exit ${r.code}`;
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n');
  return `${r.command}: ${why}${tail ? `\n${tail}` : ''}`;
}

/** The first executable named `name` on PATH (what a shell or LXC's on_path() would run). */
export function which(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}
