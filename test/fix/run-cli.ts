/** The CLI run as in ../helpers/cli.ts, but with stdout kept exactly (a diff's final newline matters to patch). */
import { execa } from 'execa';
import { CLI } from '../helpers/cli.js';

export interface RawResult {
  exitCode: number;
  signal?: string;
  stdout: string;
  stderr: string;
}

export async function ctcrRaw(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<RawResult> {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
  const r = await execa(process.execPath, [CLI, ...args], { cwd: opts.cwd, env, extendEnv: false, reject: false, stripFinalNewline: false, input: '', timeout: 60_000 });
  return { exitCode: r.exitCode ?? -1, signal: r.signal ?? undefined, stdout: String(r.stdout), stderr: String(r.stderr) };
}
