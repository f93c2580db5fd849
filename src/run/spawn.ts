/**
 * Starts CRIU or lxc-checkpoint: the only place ctcr executes them. Never
 * throws; a program that cannot start is a result that says why.
 */
import { spawn } from 'node:child_process';

export interface SpawnResult {
  /** null when killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why it did not run or was stopped (not found, timed out). */
  error?: string;
  timedOut?: boolean;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /**
   * The program keeps running after its work (a keeper process): start it in
   * its own session, and be done when its stdout and stderr end; exitCode is
   * then null unless it already exited.
   */
  untilOutputEnds?: boolean;
  /**
   * Start it in its own process group and, on timeout or kill(), end the
   * whole group (lxc-checkpoint and the criu it runs), not only the program.
   */
  group?: boolean;
  /** Called once it started, with a function that kills it (its group with `group`) at once. */
  onStart?: (kill: () => void) => void;
}

export type Spawner = (program: string, args: readonly string[], opts: SpawnOptions) => Promise<SpawnResult>;

/** Output kept per stream: a CRIU that prints a lot must not fill memory. */
const MAX_OUTPUT = 1 << 20;

export const spawnProgram: Spawner = (program, args, opts) =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    let timedOut = false;
    const child = spawn(program, [...args], { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.untilOutputEnds === true || opts.group === true });
    const killAll = () => {
      try {
        if (opts.group && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    if (child.pid) opts.onStart?.(killAll);
    if (opts.untilOutputEnds) {
      let ended = 0;
      const onEnd = () => {
        if (++ended === 2) finish({ exitCode: child.exitCode, signal: child.signalCode });
      };
      child.stdout.on('end', onEnd);
      child.stderr.on('end', onEnd);
    }
    const keep = (current: string, chunk: Buffer) => (current.length < MAX_OUTPUT ? current + chunk.toString('utf8') : current);
    child.stdout.on('data', (c: Buffer) => (stdout = keep(stdout, c)));
    child.stderr.on('data', (c: Buffer) => (stderr = keep(stderr, c)));
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, opts.timeoutMs);
    const finish = (r: Omit<SpawnResult, 'stdout' | 'stderr'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Let go of the pipes: a daemon it left (LXC's monitor of a restored container) may hold them open for as long as it lives.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
      resolve({ ...r, stdout, stderr, ...(timedOut ? { timedOut, error: `${program} timed out after ${opts.timeoutMs / 1000} s` } : {}) });
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish({ exitCode: null, signal: null, error: err.code === 'ENOENT' ? `${program}: not found on PATH` : `${program}: ${err.message}` });
    });
    child.on('exit', (code, signal) => {
      // A daemon it left behind (the container LXC restored) may still hold the pipes: give the output a moment, not forever.
      const done = () => finish({ exitCode: code, signal });
      if (child.stdout.readableEnded && child.stderr.readableEnded) return done();
      const grace = setTimeout(done, 100);
      child.on('close', () => {
        clearTimeout(grace);
        done();
      });
    });
  });
