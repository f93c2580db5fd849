/**
 * `ctcr explain`: finds the root error of a CRIU dump/restore log (not the
 * cascade after it) and maps it to a diagnosis with the rule id the doctor
 * uses for the same problem.
 */
import type { Severity, VersionNumber } from '../types.js';
import { classifyLine, failingRun, isCascade, isNoise, isTerminal, parseCriuLog, type CriuLogAction, type CriuLogLine, type ParsedCriuLog } from './log-lines.js';
import { matchSignature, NO_SIGNATURES, type SignatureTable } from './signatures.js';
import { areaForLine } from './areas.js';
import { helperOutputBefore } from './log-helpers.js';

export interface CriuLogDiagnosis {
  ruleId: string;
  severity: Severity;
  message: string;
  fix: string;
  /** 1-based line of the root error in the text given. */
  line: number;
  /** That line, without quoting marks and surrounding blanks. */
  excerpt: string;
  /** CRIU options that work around it, when an option does. */
  criuOptions?: string[];
}

export interface CriuLogExplanation {
  action?: CriuLogAction;
  outcome: ParsedCriuLog['outcome'];
  criuVersion?: VersionNumber;
  /** The line with `Dumping FAILED.`, `Restore finished successfully...`. */
  terminalLine?: number;
  root?: CriuLogLine;
  /** Empty for a successful log; otherwise the root cause first. */
  diagnoses: CriuLogDiagnosis[];
}

const KERNEL_FEATURES_FAILED = /Could not initialize kernel features detection/;
const HELPER_EXITED = /^exited, status=(-?\d+)/;

function excerptOf(line: CriuLogLine): string {
  const text = line.raw.replace(/^\s*(?:>\s?)+/, '').trim();
  return text.length > 400 ? text.slice(0, 397) + '...' : text;
}

/**
 * The line that caused the failure: in the run that failed (failingRun), the
 * first error that is neither noise nor a known consequence of another; failing that, the first consequence
 * (for `Could not initialize kernel features detection.`, the line before
 * it). Lines without CRIU's `Error (...)` form count when they carry a
 * known error message (excerpts quoted without it).
 */
export function findRootError(log: ParsedCriuLog, signatures: SignatureTable = NO_SIGNATURES): CriuLogLine | undefined {
  let firstWeak: CriuLogLine | undefined;
  let kernelFeatures: CriuLogLine | undefined;
  const run = failingRun(log);
  const lines = log.lines.slice(run.from, run.to);
  const strong: CriuLogLine[] = [];
  for (const line of lines) {
    if (isTerminal(line) || isNoise(line)) continue;
    const isError = line.level === 'error' || (line.origin === 'other' && line.message !== '' && matchSignature(signatures, line.message) !== undefined);
    if (!isError) continue;
    // A bare `Error: ...` is a helper's (compat vDSO) or a wrapper's (LXD's "Error: snapshot dump failed"): strong only when known.
    const unknownBare = line.origin === 'other' && matchSignature(signatures, line.message) === undefined;
    if (!isCascade(line) && !unknownBare) strong.push(line);
    else {
      firstWeak ??= line;
      if (KERNEL_FEATURES_FAILED.test(line.message)) kernelFeatures ??= line;
    }
  }
  if (strong.length) return failingTaskError(lines, strong, signatures) ?? strong[0];
  if (kernelFeatures) {
    const before = log.lines
      .slice(0, kernelFeatures.line - 1)
      .reverse()
      .find((l) => l.message !== '' && !isNoise(l));
    if (before) return before;
  }
  return firstWeak;
}

/** `48 exited, status=1`, `49 killed by signal 9` (cr-restore.c): a restored task whose end failed the restore. */
const TASK_ENDED = /(?<!\d)(\d+) (?:exited, status=-?\d+|killed by signal \d+)/;

/**
 * On restore every task logs with its pid (`    48: Error ...`), and the
 * restore fails when one of them ends: the first error of that task is the
 * cause, even when the main process logged an error that it survived
 * earlier (`Can't open sysctl net/ipv4/tcp_rmem`). Only when the first error
 * is not a known cause and is not that task's own.
 */
function failingTaskError(lines: readonly CriuLogLine[], strong: readonly CriuLogLine[], signatures: SignatureTable): CriuLogLine | undefined {
  const first = strong[0]!;
  if (matchSignature(signatures, first.message)) return undefined;
  for (const line of lines) {
    const ended = TASK_ENDED.exec(line.message);
    if (!ended || line.level !== 'error') continue;
    const pid = Number(ended[1]);
    if (first.pid === pid) return undefined;
    return strong.find((l) => l.pid === pid && l.line < line.line);
  }
  return undefined;
}

export function diagnoseLine(log: ParsedCriuLog, root: CriuLogLine, signatures: SignatureTable = NO_SIGNATURES): CriuLogDiagnosis {
  const base = { severity: 'error' as Severity, line: root.line, excerpt: excerptOf(root) };
  const found = matchSignature(signatures, root.message);
  if (found) {
    const r = found.ranked.signature.explain(found.match, { log, root });
    return {
      ...base,
      ruleId: r.ruleId ?? found.ranked.ruleId,
      ...(r.severity ? { severity: r.severity } : {}),
      message: r.message,
      fix: r.fix,
      ...(r.criuOptions ? { criuOptions: r.criuOptions } : {}),
    };
  }
  if (isTerminal(root)) {
    return {
      ...base,
      ruleId: 'criu-error',
      message: `CRIU failed without logging the cause (${root.message})`,
      fix: 'Run it again with -v4 and -o FILE (lxc-checkpoint -v) and explain that log.',
    };
  }
  const helper = HELPER_EXITED.test(root.message) ? helperOutputBefore(log, root) : undefined;
  const area = root.origin !== 'other' && root.file && signatures.areas ? areaForLine(signatures.areas, root.file, root.message, root.origin) : undefined;
  if (area) {
    const what = helper ? `a program CRIU ran failed (${root.message}): ${helper.message}` : root.message;
    return {
      ...base,
      ruleId: area.area.ruleId,
      message: `CRIU failed in ${area.area.name} (${area.file}:${root.sourceLine}): ${what}`,
      fix: area.area.fix,
    };
  }
  return {
    ...base,
    ruleId: 'criu-error',
    message: helper ? `a program CRIU ran failed (${root.message}): ${helper.message}` : `CRIU failed: ${root.message}`,
    fix: "ctcr knows no fix for this message; search it in CRIU's issues (https://github.com/checkpoint-restore/criu/issues) and look at the -v4 log lines above it.",
  };
}

/** Explains a log (full, or an excerpt as pasted) with the rules' signatures (signatureTable). A successful log gives no diagnoses. */
export function explainCriuLog(text: string, signatures: SignatureTable): CriuLogExplanation {
  const log = parseCriuLog(text);
  const head = {
    ...(log.action ? { action: log.action } : {}),
    outcome: log.outcome,
    ...(log.criuVersion ? { criuVersion: log.criuVersion } : {}),
    ...(log.terminal ? { terminalLine: log.terminal.line } : {}),
  };
  if (log.outcome === 'succeeded') return { ...head, diagnoses: [] };
  const root = findRootError(log, signatures) ?? (log.outcome === 'failed' ? log.terminal : undefined);
  if (!root) return { ...head, diagnoses: [] };
  return { ...head, root, diagnoses: [diagnoseLine(log, root, signatures)] };
}

/** What `criu --version` and `criu check` print (nothing to explain, but CRIU's). */
const CRIU_OWN_OUTPUT = /^(?:Version: \d+\.\d+|GitID: \S|Looks good\.|\w+ is supported$)/;

/** A NUL byte, or more than one in ten characters undecodable or control characters: not a text log. */
function looksBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  let odd = 0;
  for (const ch of text) if (ch === '\uFFFD' || (ch < ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t')) odd++;
  return odd * 10 > text.length;
}

/**
 * Why `text` is not a CRIU or LXC log, or undefined when it is one: some line
 * must be CRIU's (`Error (file:line)`, `Warn (...)`, a `(SS.uuuuuu)` line),
 * LXC's (lxc-checkpoint's stderr, LXC's log file), an end marker, or a
 * message a rule knows (an excerpt pasted without CRIU's prefix). A text
 * with none of those would otherwise pass for "nothing to explain".
 */
export function notACriuLog(text: string, signatures: SignatureTable = NO_SIGNATURES): string | undefined {
  if (looksBinary(text)) return 'not a CRIU or LXC log: binary data';
  // Stops at the first line it knows: a -v4 log has tens of thousands, and CRIU's first line settles it.
  const recognised = text.split('\n').some((raw, i) => {
    const l = classifyLine(raw.replace(/\r$/, ''), i + 1);
    return (
      l.origin !== 'other' ||
      isTerminal(l) ||
      isCascade(l) ||
      CRIU_OWN_OUTPUT.test(l.message) ||
      (l.message !== '' && matchSignature(signatures, l.message) !== undefined)
    );
  });
  return recognised ? undefined : 'not a CRIU or LXC log: no line of it is CRIU\'s (Error (file:line): ..., (00.000123) ...) or LXC\'s (lxc-checkpoint: ..., ERROR ... criu.c:...)';
}
