/**
 * Inline suppressions in LXC configs and fstabs:
 *   # ctcr-disable-next-line RULE[, RULE...] [-- reason]
 *   # ctcr-disable RULE[, RULE...] [-- reason]      (the whole file)
 * Without a rule id they cover every rule. A suppression that covers nothing
 * is reported, so stale ones do not pile up.
 */
import type { Finding, Snapshot } from '../types.js';

export interface Suppression {
  file: string;
  line: number;
  column: number;
  scope: 'next-line' | 'file';
  /** Empty: every rule. */
  ruleIds: string[];
  reason?: string;
  /** Offsets of the comment line including its EOL, for the fix that removes it. */
  start: number;
  end: number;
  used: boolean;
}

const DIRECTIVE = /^([ \t]*#[ \t]*)ctcr-disable(-next-line)?(?:[ \t]+(.*?))?[ \t]*$/;

export function readSuppressions(file: string, text: string): Suppression[] {
  // Most files have none: skip the line-by-line pass (every config of a fleet lint comes through here).
  if (!text.includes('ctcr-disable')) return [];
  const found: Suppression[] = [];
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  let line = 0;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text)) {
    line++;
    const d = DIRECTIVE.exec(m[1]);
    if (!d) continue;
    const [ids, reason] = (d[3] ?? '').split(/[ \t]+--[ \t]*/, 2);
    found.push({
      file,
      line,
      column: d[1].length + 1,
      scope: d[2] ? 'next-line' : 'file',
      ruleIds: ids.split(/[\s,]+/).filter(Boolean),
      reason: reason || undefined,
      start: m.index,
      end: m.index + m[0].length,
      used: false,
    });
  }
  return found;
}

/** Every text a finding can point into: the config documents and the fstabs. */
export function suppressionsOf(snapshot: Snapshot): Suppression[] {
  const texts: [string, string][] = [
    ...(snapshot.config?.documents ?? []).map((d): [string, string] => [d.path, d.text]),
    ...snapshot.fstabs.filter((f) => f.text !== undefined).map((f): [string, string] => [f.path, f.text!]),
  ];
  return texts.flatMap(([file, text]) => readSuppressions(file, text));
}

/** Drops suppressed findings, marking the suppressions that were used. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): Finding[] {
  return findings.filter((f) => {
    const hit = suppressions.find(
      (s) =>
        s.file === f.location.file &&
        (s.scope === 'file' || s.line === f.location.line - 1) &&
        (s.ruleIds.length === 0 || s.ruleIds.includes(f.ruleId)),
    );
    if (hit) hit.used = true;
    return !hit;
  });
}

export const UNUSED_SUPPRESSION = {
  id: 'unused-suppression',
  severity: 'warning' as const,
  summary: 'A ctcr-disable comment that suppresses nothing.',
  docs: {
    why: 'A suppression that no longer matches a finding hides nothing today and will silently hide a real problem tomorrow.',
    fix: 'Remove the comment (ctcr fix does), or correct the rule id it names.',
  },
};

export function unusedSuppressionFindings(suppressions: Suppression[]): Finding[] {
  return suppressions
    .filter((s) => !s.used)
    .map((s) => ({
      ruleId: UNUSED_SUPPRESSION.id,
      severity: UNUSED_SUPPRESSION.severity,
      message: s.ruleIds.length
        ? `'ctcr-disable${s.scope === 'next-line' ? '-next-line' : ''} ${s.ruleIds.join(', ')}' suppresses nothing`
        : `'ctcr-disable${s.scope === 'next-line' ? '-next-line' : ''}' suppresses nothing`,
      location: { file: s.file, line: s.line, column: s.column },
      fix: { description: 'remove the unused suppression comment', edits: [{ file: s.file, start: s.start, end: s.end, text: '' }] },
    }));
}
