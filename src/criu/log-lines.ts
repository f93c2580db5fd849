/**
 * Reads CRIU dump/restore logs line by line at any verbosity (team notes,
 * criu-facts.md §0): `(SS.uuuuuu) ` timestamps from -v3 up, restore pid
 * prefixes `%6d: ` and `pie: <pid>: `, `Error (file:line): ` / `Warn  (...)`
 * with absolute or relative source paths, and text as users paste it
 * (`>` quoting, leading blanks, CRLF, podman's `msg="..."` wrapping). Also
 * LXC's own error lines around the criu log.
 */
import type { VersionNumber } from '../types.js';
import { parseCriuVersionOutput } from './version.js';

export interface CriuLogLine {
  /** 1-based line number in the text given. */
  line: number;
  /** The line as given, without its end-of-line. */
  raw: string;
  level: 'error' | 'warn' | 'info';
  origin: 'criu' | 'lxc' | 'other';
  timestamp?: number;
  /** Restore child pid (`  1374: `). */
  pid?: number;
  /** Restorer/parasite pid (`pie: 1: `). */
  piePid?: number;
  /** Source file as printed: `criu/tty.c`, `/usr/src/debug/criu/4.1.1+git/criu/timer.c`. */
  file?: string;
  sourceLine?: number;
  /** The file's LOG_PREFIX without the colon: `tty`, `mnt`, `mnt-v2`. */
  prefix?: string;
  /** The message after `Error (file:line): ` (prefix included), or the line's text. */
  message: string;
}

const QUOTE_MARKS = /^\s*(?:>\s?)+/;
/** Unanchored: also finds lines wrapped by podman (`msg="..."`), zdtm (`b'...'`) or strace (`write(4, "...")`). */
const CRIU_LEVEL_LINE = /(?:\((\d+\.\d+)\)\s*)?(?:(\d+):\s+)?(?:pie:\s*(\d+):\s+)?(Error|Warn)\s+\(([^()\s]+?):(\d+)\):\s?(.*)$/;
const INFO_LINE = /^\((\d+\.\d+)\)\s*(?:(\d+):\s+)?(?:pie:\s*(\d+):\s+)?(.*)$/;
/** Helpers CRIU forks print `Error: ...` without a source position (compat vDSO helper). */
const BARE_ERROR = /^Error:\s+(.*)$/;
/** lxc-checkpoint's stderr: `lxc-checkpoint: c1: criu.c: do_dump: 1124 dump failed with 1`. */
const LXC_STDERR = /^lxc-[a-z-]+:\s+(?:[^:]+:\s+)?([\w./-]+\.c):\s+(\w+):\s+(\d+)\s+(.*)$/;
/** LXC's log file: `lxc-checkpoint c1 20190412122351.870 ERROR    criu - criu.c:do_dump:1328 - dump failed with 1`. */
const LXC_LOGFILE = /\b(ERROR|WARN)\s+\S+\s+-\s+([\w./-]+\.c):(\w+):(\d+)\s+-\s+(.*)$/;
/** CI logs prefix every line with a timestamp (GitHub Actions `2021-04-15T18:52:48.0085803Z `, zdtm's `11:55:43 `). */
const CI_TIMESTAMP = /^(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?:?|\d\d:\d\d:\d\d)\s+/;
const PREFIX = /^([a-z][a-z0-9_-]*):\s/;

/** zdtm prints grepped lines as Python bytes (`b'(00.1) Error ...'`), runc and podman inside `msg="..."`: the quotes are not the message's. */
function unwrap(text: string): string {
  const bytes = /^b(['"])(.*)\1$/.exec(text);
  if (bytes) return bytes[2]!.replace(/\\t/g, '\t').replace(/\\(['"\\])/g, '$1');
  const msg = /^(.*\bmsg=)"(.*)"\s*$/.exec(text);
  if (msg) return `${msg[1]}${msg[2]!.replace(/\\"/g, '"')}`;
  return text;
}

/** One line as parseCriuLog reads it (for callers that stop at the first line they need). */
export function classifyLine(raw: string, lineNumber: number): CriuLogLine {
  return classify(raw, lineNumber);
}

function classify(raw: string, lineNumber: number): CriuLogLine {
  const text = unwrap(raw.replace(/\r$/, '').replace(QUOTE_MARKS, '').trim().replace(CI_TIMESTAMP, ''));
  const criu = CRIU_LEVEL_LINE.exec(text);
  if (criu) {
    const message = criu[7]!.trim();
    const prefix = PREFIX.exec(message)?.[1];
    return {
      line: lineNumber,
      raw,
      level: criu[4] === 'Error' ? 'error' : 'warn',
      origin: 'criu',
      ...(criu[1] ? { timestamp: Number(criu[1]) } : {}),
      ...(criu[2] ? { pid: Number(criu[2]) } : {}),
      ...(criu[3] ? { piePid: Number(criu[3]) } : {}),
      file: criu[5]!,
      sourceLine: Number(criu[6]),
      ...(prefix ? { prefix } : {}),
      message,
    };
  }
  const lxcLog = LXC_LOGFILE.exec(text);
  if (lxcLog) {
    return { line: lineNumber, raw, level: lxcLog[1] === 'ERROR' ? 'error' : 'warn', origin: 'lxc', file: lxcLog[2]!, sourceLine: Number(lxcLog[4]), message: lxcLog[5]!.trim() };
  }
  const lxcErr = LXC_STDERR.exec(text);
  if (lxcErr) return { line: lineNumber, raw, level: 'error', origin: 'lxc', file: lxcErr[1]!, sourceLine: Number(lxcErr[3]), message: lxcErr[4]!.trim() };
  const bare = BARE_ERROR.exec(text);
  if (bare) return { line: lineNumber, raw, level: 'error', origin: 'other', message: bare[1]!.trim() };
  const info = INFO_LINE.exec(text);
  if (info) {
    const message = info[4]!.trim();
    const prefix = PREFIX.exec(message)?.[1];
    return {
      line: lineNumber,
      raw,
      level: 'info',
      origin: 'criu',
      timestamp: Number(info[1]),
      ...(info[2] ? { pid: Number(info[2]) } : {}),
      ...(info[3] ? { piePid: Number(info[3]) } : {}),
      ...(prefix ? { prefix } : {}),
      message,
    };
  }
  return { line: lineNumber, raw, level: 'info', origin: 'other', message: text };
}

/** True when the printed source path is `suffix` or ends with `/suffix` (distro builds print absolute paths). */
export function sourceIs(line: CriuLogLine, suffix: string): boolean {
  return line.file !== undefined && (line.file === suffix || line.file.endsWith('/' + suffix));
}

export type CriuLogAction = 'dump' | 'pre-dump' | 'restore';

export interface ParsedCriuLog {
  lines: CriuLogLine[];
  action?: CriuLogAction;
  outcome: 'failed' | 'succeeded' | 'unknown';
  /** The `Dumping FAILED.` / `Restore finished successfully...` line. */
  terminal?: CriuLogLine;
  /** From the `Version: X` line CRIU logs at -v4. */
  criuVersion?: VersionNumber;
}

const TERMINALS: readonly { pattern: RegExp; action: CriuLogAction; outcome: 'failed' | 'succeeded' }[] = [
  { pattern: /Pre-dumping FAILED\./, action: 'pre-dump', outcome: 'failed' },
  { pattern: /Pre-dumping finished successfully/, action: 'pre-dump', outcome: 'succeeded' },
  { pattern: /Dumping FAILED\./, action: 'dump', outcome: 'failed' },
  { pattern: /Dumping finished successfully/, action: 'dump', outcome: 'succeeded' },
  { pattern: /Restoring FAILED\./, action: 'restore', outcome: 'failed' },
  { pattern: /Restore finished successfully/, action: 'restore', outcome: 'succeeded' },
];

/** Lines that say which action ran when no terminal marker was pasted. */
const ACTION_HINTS: readonly { pattern: RegExp; action: CriuLogAction }[] = [
  { pattern: /^Dumping processes \(pid:/, action: 'dump' },
  { pattern: /^Pre-dumping processes/, action: 'pre-dump' },
  { pattern: /^Reading image tree|^Restoring processes|^Forking task with/, action: 'restore' },
];

export function isTerminal(line: CriuLogLine): boolean {
  return TERMINALS.some((t) => t.pattern.test(line.message));
}

export function parseCriuLog(text: string): ParsedCriuLog {
  const lines = text.split('\n').map((raw, i) => classify(raw.replace(/\r$/, ''), i + 1));
  // A pasted log ending in a newline gives one empty last line; keep numbering, drop nothing.
  let terminal: CriuLogLine | undefined;
  let action: CriuLogAction | undefined;
  let outcome: ParsedCriuLog['outcome'] = 'unknown';
  for (const l of lines) {
    const t = TERMINALS.find((x) => x.pattern.test(l.message));
    if (t) {
      terminal = l;
      action = t.action;
      outcome = t.outcome;
    }
  }
  if (!action) {
    for (const l of lines) {
      const hint = ACTION_HINTS.find((h) => h.pattern.test(l.message));
      if (hint) {
        action = hint.action;
        break;
      }
    }
  }
  let criuVersion: VersionNumber | undefined;
  for (const l of lines) {
    if (/^Version:\s/.test(l.message)) {
      criuVersion = parseCriuVersionOutput(l.message) ?? undefined;
      break;
    }
  }
  return { lines, outcome, ...(action ? { action } : {}), ...(terminal ? { terminal } : {}), ...(criuVersion ? { criuVersion } : {}) };
}

/** Harmless on the machines ctcr runs on; never the cause. */
export const NOISE_PATTERNS: readonly RegExp[] = [
  /rlimit: Can't setup RLIMIT_NOFILE for self/,
  /Can't keep kdat cache/,
  /ERROR -2 reported by netlink/,
  // `ip addr restore` / `ip route restore` say so for addresses and routes the
  // new netns already has; CRIU goes on and the restore succeeds (seen on every lab restore).
  /^(Error: )?ipv[46]: [Aa]ddress already assigned\.$/,
  /^(RTNETLINK answers: )?File exists$/,
  // criu/sockets.c preload_socket_modules() only probes the sock_diag modules and goes on (a void function);
  // a missing module that matters fails later with "The sock diag infrastructure is incomplete".
  /^(?:sockets: )?Diag module missing \(-?\d+\)$/,
];

/** Consequences of an earlier error (criu-facts.md §0, plus CRIU's own follow-ups): the cause is above them. */
export const CASCADE_PATTERNS: readonly RegExp[] = [
  /Dump files \(pid: \d+\) failed/,
  /Collect mappings \(pid: \d+\) failed/,
  /Can't infect \(pid: \d+\) with parasite/,
  /Dump core \(pid: \d+\) failed|Dump core .*failed/,
  /Unable to open fd=\d+ id=/,
  /A few mount points can't be mounted/,
  // (?<!\d): a number starts here, so a long run of digits is not rescanned from each of its digits (linear, not quadratic).
  // A kill (9, 15 ...) follows the failure; a crash signal is a cause of its own (rules/criu-crashed.ts).
  /(?<!\d)\d+ killed by signal (?!(?:4|5|6|7|8|11|31)(?!\d))\d+/,
  /(?<!\d)\d+ exited, status=\d+/,
  /^exited, status=-?\d+/,
  /Killing processes because of failure on restore/,
  /Could not initialize kernel features detection/,
  /failed when initializing kerndat/,
  /Failed to fill (?:self|compat) vdso symtable/,
  /Failed to mmap compatible vdso with helper process/,
  /Compat vdso helper (?:exited|failed)/,
  /Can't make \w+ id/,
  /Can't inject syscall blob/,
  /munmap for remote map/,
  /Can't open \d+'s mapfile link/,
  /Failed to switch restore stage/,
  // The restorer's summary of a failed thread or task: the thread prints the cause itself ("Thread pid mismatch").
  /Unable to create a thread: \d+/,
  /Restorer fail \d+|Restorer abnormal termination/,
  /Can't create net_ns/,
  /Can't wait or bad status/,
  /Can't open master pty/,
  /irmap: Can't stat /,
  // LXD's and LXC's wrapping of criu's failure
  /^(?:snapshot|migration) (?:dump|restore) failed/,
  /dump failed with \d+|restore failed with \d+|criu output:|Checkpointing \S+ failed|Restoring \S+ failed/,
  // LXC's criu.c on restore: the restore's own output follows, or CRIU's restore.log has the cause.
  /criu process exited -?\d+, output:|restore process died|unknown dump exit -?\d+/,
];

export function isNoise(line: CriuLogLine): boolean {
  return NOISE_PATTERNS.some((p) => p.test(line.message));
}

export function isCascade(line: CriuLogLine): boolean {
  return CASCADE_PATTERNS.some((p) => p.test(line.message));
}

/**
 * The lines of the CRIU run that failed, as 0-based [from, to) indexes into
 * `log.lines`. One file can hold several runs (a pre-dump then the dump, a
 * log CRIU appended to, lxc-checkpoint retrying): a run starts at CRIU's
 * `Version:` line or where the timestamps start again from zero. The failing
 * run is the one with the last `FAILED.` marker, which also ends it (what
 * follows is cleanup); without a marker, the last run.
 */
export function failingRun(log: ParsedCriuLog): { from: number; to: number } {
  const starts = [0];
  let last: number | undefined;
  log.lines.forEach((l, i) => {
    // A run's first lines are stamped (00.0000xx); a later, smaller stamp elsewhere is lines of processes interleaving.
    const restarted = l.timestamp !== undefined && last !== undefined && l.timestamp < 0.01 && last >= l.timestamp + 0.01;
    if (i > 0 && (restarted || (/^Version:\s/.test(l.message) && l.timestamp !== undefined && last !== undefined))) starts.push(i);
    if (l.timestamp !== undefined) last = l.timestamp;
  });
  let failed: number | undefined;
  log.lines.forEach((l, i) => {
    if (/(?:[Dd]umping|Restoring) FAILED\./.test(l.message)) failed = i;
  });
  if (failed === undefined) return { from: starts[starts.length - 1]!, to: log.lines.length };
  const from = starts.filter((s) => s <= failed!).pop()!;
  return { from, to: failed + 1 };
}
