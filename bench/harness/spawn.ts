/**
 * Runs one command as a separate process and measures it: wall time from
 * just before spawn to its exit (process.hrtime), and peak resident memory.
 * Peak memory comes from the kernel's own accounting, read by GNU time
 * (wait4's ru_maxrss) when /usr/bin/time is there; otherwise from VmHWM in
 * /proc/PID/status, sampled every few milliseconds (a lower bound: growth
 * in the last few milliseconds can be missed), which the sample says.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Command {
  /** Shown in the table and in errors. */
  label: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Exit codes that mean the command did its job (lint exits 1 when it finds problems). Default [0]. */
  okCodes?: number[];
  /** Measure peak memory too. */
  memory?: boolean;
}

export interface Sample {
  ms: number;
  code: number;
  peakRssKiB?: number;
  /** How the peak was read: exact (ru_maxrss) or sampled (VmHWM polling, a lower bound). */
  peakHow?: 'ru_maxrss' | 'sampled';
}

export interface RunOutput extends Sample {
  stdout: string;
  stderr: string;
}

const KEEP = 64 * 1024;
let seq = 0;

function baseEnv(extra: Command['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function readHwmKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** GNU time's output file: its last line is %M (it may write "Command exited with non-zero status N" first). */
export function parseTimeOutput(text: string): number | undefined {
  const lines = text.trim().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  return /^\d+$/.test(last) ? Number(last) : undefined;
}

/** The last KEEP bytes of a file, as text. */
function tail(fd: number): string {
  const size = fstatSync(fd).size;
  const length = Math.min(size, KEEP);
  const buf = Buffer.alloc(length);
  readSync(fd, buf, 0, length, size - length);
  return buf.toString();
}

/**
 * Runs `cmd` once. Throws when it cannot start or exits with a code not in
 * okCodes. Its stderr goes to a file, not a pipe: `lxc-checkpoint -r` leaves
 * the restored container's monitor holding what it inherited, and a pipe
 * held open would never report its end. stdout is a pipe only when captured.
 */
export async function runCommand(cmd: Command, opts: { captureStdout?: boolean } = {}): Promise<RunOutput> {
  const useTime = cmd.memory === true && existsSync(GNU_TIME);
  const scratch = path.join(os.tmpdir(), `ctcr-bench-${process.pid}-${++seq}`);
  const timeFile = `${scratch}.time`;
  const argv = useTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, ...cmd.argv] : cmd.argv;
  const errFd = openSync(`${scratch}.stderr`, 'w+');
  let sampled: number | undefined;
  try {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: cmd.cwd,
      env: baseEnv(cmd.env),
      stdio: ['ignore', opts.captureStdout ? 'pipe' : 'ignore', errFd],
    });
    let poll: NodeJS.Timeout | undefined;
    if (cmd.memory && !useTime && child.pid) {
      const pid = child.pid;
      poll = setInterval(() => {
        const v = readHwmKiB(pid);
        if (v !== undefined) sampled = Math.max(sampled ?? 0, v);
      }, 5);
    }
    const out: Buffer[] = [];
    const stdoutDone = child.stdout ? new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => out.push(d)).once('close', () => resolve())) : Promise.resolve();
    const { code, signal, end } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; end: bigint }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, sig) => resolve({ code: c, signal: sig, end: process.hrtime.bigint() }));
    });
    if (poll) clearInterval(poll);
    await stdoutDone;
    const ms = Number(end - start) / 1e6;
    const stderr = tail(errFd);
    let peakRssKiB: number | undefined = sampled;
    let peakHow: Sample['peakHow'] = sampled !== undefined ? 'sampled' : undefined;
    if (useTime) {
      try {
        peakRssKiB = parseTimeOutput(readFileSync(timeFile, 'utf8'));
        peakHow = 'ru_maxrss';
      } catch {
        /* time wrote nothing: the command could not start (reported below) */
      }
    }
    const exit = code ?? -1;
    const ok = cmd.okCodes ?? [0];
    if (signal || !ok.includes(exit)) {
      const why = signal ? `killed by ${signal}` : `exit ${exit}`;
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`${cmd.label}: ${why}${last ? `: ${last}` : ''}`);
    }
    return { ms, code: exit, peakRssKiB, peakHow, stdout: Buffer.concat(out).toString(), stderr };
  } finally {
    closeSync(errFd);
    rmSync(`${scratch}.stderr`, { force: true });
    rmSync(timeFile, { force: true });
  }
}
