/**
 * Runs rules over one snapshot: the only place where rule output becomes
 * findings (ids and effective severities attached, suppressions applied,
 * order made stable).
 */
import type { Finding, Rule, Severity, Snapshot } from '../types.js';
import { applySuppressions, suppressionFilesOf, suppressionsOf, unusedSuppressionFindings, UNUSED_SUPPRESSION } from './suppressions.js';
import { compareText } from '../util/compare.js';

export class RuleCrashError extends Error {
  constructor(readonly ruleId: string, readonly target: string, cause: unknown) {
    super(`rule '${ruleId}' failed on ${target}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'RuleCrashError';
  }
}

export type RuleLevels = Record<string, Severity | 'off'>;

/** Rules that apply to this snapshot: live rules need live facts. */
export function applicableRules(rules: readonly Rule[], snapshot: Snapshot, levels: RuleLevels): Rule[] {
  const live = snapshot.host !== undefined || snapshot.container !== undefined;
  const move = snapshot.move !== undefined;
  return rules.filter((r) => levels[r.id] !== 'off' && r.scope !== 'log' && r.check !== undefined && (r.scope === 'static' || (r.scope === 'target' ? move : live)));
}

/**
 * A rule that threw: an error finding of this target, naming the rule and the
 * target, never the end of the run (the other rules and targets still report).
 * Not subject to suppressions: a crash is ctcr's bug, not the config's.
 */
function crashFinding(rule: Rule, snapshot: Snapshot, err: unknown): Finding {
  const crash = new RuleCrashError(rule.id, snapshot.target, err);
  return {
    ruleId: rule.id,
    severity: 'error',
    message: `${crash.message} (a bug in ctcr: this rule's checks of this target did not run; please report it)`,
    location: { file: snapshot.config?.path ?? snapshot.target, line: 1, column: 1 },
  };
}

/** `knownIds`: every rule id of the run, so that a suppression naming another id is reported (lint passes it; a RuleTester's one-rule run does not). */
export function evaluate(rules: readonly Rule[], snapshot: Snapshot, levels: RuleLevels = {}, knownIds?: ReadonlySet<string>): Finding[] {
  const raw: Finding[] = [];
  const crashes: Finding[] = [];
  const ran = new Set<string>();
  for (const rule of applicableRules(rules, snapshot, levels)) {
    let reports;
    try {
      reports = rule.check!(snapshot);
    } catch (err) {
      crashes.push(crashFinding(rule, snapshot, err));
      continue;
    }
    // A rootfs rule with no rootfs to look at has run on nothing.
    if (!(rule.rootfsPaths?.length && !snapshot.rootfs)) ran.add(rule.id);
    const level = levels[rule.id];
    for (const report of reports) {
      raw.push({ ...report, ruleId: rule.id, severity: level && level !== 'off' ? level : report.severity ?? rule.severity });
    }
  }
  const suppressions = suppressionsOf(snapshot);
  const kept = applySuppressions(raw, suppressions, suppressionFilesOf(snapshot));
  // Rules that could have run here and did not: their suppressions cannot be judged unused.
  const skipped = new Set(rules.filter((r) => r.check !== undefined && r.scope !== 'log' && !ran.has(r.id)).map((r) => r.id));
  // The engine's own rule: its findings exist only once the others have run; its level comes from the settings as any rule's.
  const unusedLevel = levels[UNUSED_SUPPRESSION.id];
  const unused = unusedLevel === 'off' ? [] : unusedSuppressionFindings(suppressions, knownIds, { ran, skipped }).map((f) => (unusedLevel ? { ...f, severity: unusedLevel } : f));
  return sortFindings([...crashes, ...kept, ...unused]);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compareText(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.message, b.message),
  );
}
