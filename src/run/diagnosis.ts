/**
 * `ctcr explain`'s findings: a CRIU log's root-cause diagnosis, or a legacy
 * command line's options, as the same Findings lint and the doctor report
 * (rule ids shared with the doctor where one applies).
 */
import type { Finding, Rule, Severity } from '../types.js';
import type { CriuLogExplanation } from '../criu/log.js';
import type { LegacyCommandAnalysis } from '../criu/legacy-command.js';

/** A finding's fix in words only (no edits): the stylish output prints it as `↳ fix: ...`. */
function textFix(description: string) {
  return { description, edits: [] };
}

/** The diagnoses of a log as findings located in `file` (the log's path, or `<stdin>`). */
export function logFindings(explanation: CriuLogExplanation, file: string): Finding[] {
  return explanation.diagnoses.map((d) => ({
    ruleId: d.ruleId,
    severity: d.severity,
    message: d.message,
    location: { file, line: d.line, column: 1 },
    fix: textFix(d.fix),
    ...(d.criuOptions?.length ? { criuOptions: d.criuOptions } : {}),
  }));
}

/** The rule id for problems with options on a criu command line (shared with the log signature of `unrecognized option`). */
export const CRIU_OPTION_RULE = 'criu-option';

const VERDICT_SEVERITY: Record<string, Severity | undefined> = {
  removed: 'error',
  'never-released': 'error',
  'not-yet-available': 'error',
  unknown: 'error',
  'invalid-value': 'error',
  'restore-only-used-on-dump': 'error',
  deprecated: 'warning',
  'dump-only-used-on-restore': 'warning',
  'wrong-command': 'warning',
};

/**
 * One finding per option a CRIU would reject, ignore or only accept as a
 * legacy spelling, at the option's word in the command line; the fix names
 * the replacement and the whole command rewritten.
 */
export function commandFindings(analysis: LegacyCommandAnalysis, commandLine: string, file: string): Finding[] {
  const findings: Finding[] = [];
  let searchFrom = 0;
  for (const opt of analysis.options) {
    const word = opt.words[0]!;
    const at = commandLine.indexOf(word, searchFrom);
    if (at >= 0) searchFrom = at + word.length;
    const severity = VERDICT_SEVERITY[opt.status.verdict] ?? (opt.status.fatal ? 'error' : undefined);
    if (!severity) continue;
    // misplaced options that CRIU only ignores are errors only when CRIU refuses them
    const effective: Severity = opt.status.verdict === 'restore-only-used-on-dump' && !opt.status.fatal ? 'warning' : severity;
    const before = at >= 0 ? commandLine.slice(0, at) : '';
    const line = before.split('\n').length;
    const column = at >= 0 ? at - before.lastIndexOf('\n') : 1;
    const instead = opt.suggested.length === 0 ? 'drop it' : opt.suggested.join(' ') === opt.words.join(' ') ? undefined : `write ${opt.suggested.join(' ')}`;
    const replacement = opt.status.replacement && !instead?.includes(opt.status.replacement) ? ` (${opt.status.replacement})` : '';
    findings.push({
      ruleId: CRIU_OPTION_RULE,
      severity: effective,
      message: `${opt.words.join(' ')}: ${opt.status.message}`,
      location: { file, line, column },
      fix: textFix(`${instead ? `${instead[0]!.toUpperCase()}${instead.slice(1)}${replacement}` : `Use ${opt.status.replacement ?? 'the current spelling'}`}; the whole command: ${analysis.suggestedCommandLine}`),
    });
  }
  return findings;
}
