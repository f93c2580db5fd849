/**
 * Running ctcr on a migration's target over OpenSSH: `ssh [opts] -- HOST
 * ctcr ARGS...`, started with an argument array (no local shell). ssh itself
 * joins the remote words into one line for the remote user's shell, so each
 * word is single-quoted here. The user's ssh config and keys apply;
 * `--ssh-command` / CTCR_SSH replace `ssh` (a test's own key and port), and
 * `--remote-ctcr` / CTCR_REMOTE the program run there.
 */
import type { Gathered } from '../types.js';
import { InputError } from '../errors.js';
import { splitShellWords } from '../criu/shell-words.js';
import { run, type ExecResult } from '../gather/exec.js';
import { FACTS_SCHEMA, FACTS_VERSION, type MachineFacts } from './facts-types.js';

export interface RemoteHost {
  /** `[user@]host`. */
  host: string;
  /** The ssh program and its options, as words. */
  ssh: string[];
  /** The ctcr to run there, as words (`ctcr`, or `node /path/dist/src/cli.js`). */
  ctcr: string[];
}

/** A word the remote shell reads back as itself. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function words(text: string, what: string): string[] {
  const split = splitShellWords(text);
  if (split.rest !== undefined || split.words.length === 0) throw new InputError(`${what} '${text}': give a program and its options, without ; | or &`);
  return split.words;
}

/** The remote host from the options and the environment; a host that looks like an option is refused (ssh would read it as one). */
export function remoteHost(host: string, opts: { sshCommand?: string; remoteCtcr?: string; env: NodeJS.ProcessEnv }): RemoteHost {
  if (host === '' || host.startsWith('-') || /\s/.test(host)) throw new InputError(`target '${host}': give [user@]host`);
  return {
    host,
    ssh: words(opts.sshCommand ?? opts.env.CTCR_SSH ?? 'ssh', '--ssh-command'),
    ctcr: words(opts.remoteCtcr ?? opts.env.CTCR_REMOTE ?? 'ctcr', '--remote-ctcr'),
  };
}

/** The argv that runs `args` of some program on the remote host. BatchMode: a password prompt would hang a run that has no terminal to ask on. */
export function sshArgv(remote: RemoteHost, remoteWords: readonly string[]): { file: string; args: string[] } {
  return { file: remote.ssh[0]!, args: [...remote.ssh.slice(1), '-o', 'BatchMode=yes', '--', remote.host, remoteWords.map(shellQuote).join(' ')] };
}

export async function runRemote(remote: RemoteHost, remoteWords: readonly string[], opts: { env: NodeJS.ProcessEnv; timeoutMs: number; input?: string }): Promise<ExecResult> {
  const { file, args } = sshArgv(remote, remoteWords);
  return run(file, args, opts);
}

export interface TargetFactsRequest {
  lxcpath?: string;
  imagesDir?: string;
  paths?: readonly string[];
  cpuinfoImage?: string;
  probeTimeoutMs: number;
}

/** `ctcr facts` on the target, read and checked for its schema. Never throws. */
export async function fetchTargetFacts(remote: RemoteHost, req: TargetFactsRequest, env: NodeJS.ProcessEnv): Promise<Gathered<MachineFacts>> {
  const args = [...remote.ctcr, 'facts', '--format', 'json', '--probe-timeout', String(req.probeTimeoutMs)];
  if (req.lxcpath) args.push('--lxcpath', req.lxcpath);
  if (req.imagesDir) args.push('--images-dir', req.imagesDir);
  for (const p of req.paths ?? []) args.push('--path', p);
  if (req.cpuinfoImage) args.push('--check-cpuinfo', req.cpuinfoImage);
  // The remote probes have their own limit; ssh's connection and ctcr's start get a margin on top.
  const r = await runRemote(remote, args, { env, timeoutMs: req.probeTimeoutMs + 20_000 });
  const said = (r.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | '));
  if (!r.ok) return { ok: false, reason: `${r.reason}${said ? `: ${said}` : ''}` };
  return parseFacts(r.stdout, `${remote.host}`);
}

export function parseFacts(text: string, from: string): Gathered<MachineFacts> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `ctcr facts on ${from} printed no JSON: "${text.trim().slice(0, 80)}"` };
  }
  const v = value as Partial<MachineFacts> | null;
  if (!v || v.schema !== FACTS_SCHEMA) return { ok: false, reason: `ctcr facts on ${from} printed JSON that is not ${FACTS_SCHEMA}` };
  if (v.version !== FACTS_VERSION) return { ok: false, reason: `ctcr facts on ${from} speaks ${FACTS_SCHEMA} version ${String(v.version)}, this ctcr reads version ${FACTS_VERSION}: install the same ctcr on both hosts` };
  return { ok: true, value: v as MachineFacts };
}
