/**
 * Inline suppressions in LXC configs and fstabs:
 *   # ctcr-disable-next-line RULE[, RULE...] [-- reason]
 *   # ctcr-disable RULE[, RULE...] [-- reason]      (the whole file)
 * Without a rule id they cover every rule. A file-wide one in the container's
 * main config also covers the findings that point outside every config text
 * (a file in the rootfs, the image): there is no other place to put one.
 * A suppression that covers nothing is reported, so stale ones do not pile
 * up; but only when every rule it covers ran on what it covers (a live rule
 * in a static lint, a rootfs rule with no rootfs, a rule turned off did not
 * run, and their suppressions are kept: `ctcr fix` removes unused ones).
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
  const re = /([^\r\n]*)(\r\n|\n\r|\r|\n|$)/g; // line numbers as the parser counts them (lxc-document.ts)
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

/** The files whose text suppressions are read from, and the container's main config. */
export interface SuppressionFiles {
  texts: ReadonlySet<string>;
  mainConfig?: string;
}

export function suppressionFilesOf(snapshot: Snapshot): SuppressionFiles {
  return {
    texts: new Set([...(snapshot.config?.documents ?? []).map((d) => d.path), ...snapshot.fstabs.filter((f) => f.text !== undefined).map((f) => f.path)]),
    mainConfig: snapshot.config?.path,
  };
}

/** Drops suppressed findings, marking the suppressions that were used. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], files?: SuppressionFiles): Finding[] {
  return findings.filter((f) => {
    // A finding in no config text (a rootfs file, the image) can only be suppressed file-wide in the main config.
    const outside = files !== undefined && files.mainConfig !== undefined && !files.texts.has(f.location.file);
    const hit = suppressions.find(
      (s) =>
        (s.file === f.location.file || (outside && s.scope === 'file' && s.file === files.mainConfig)) &&
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
    why:
      'A suppression that no longer matches a finding hides nothing today and will silently hide a real problem tomorrow. It is reported ' +
      'only when every rule it covers ran on what it covers and found nothing there: a live rule in a static lint, a rootfs rule with no ' +
      'rootfs, or a rule turned off did not run, so its suppression may well be in use (one without rule ids covers every rule, and is ' +
      'judged only when all of them ran). An id that is not a rule is always reported.',
    fix: 'Remove the comment (ctcr fix does), or correct the rule id it names.',
  },
};

/**
 * Which rules ran on a snapshot: `ran` found what there was to find;
 * `skipped` (a live rule without live facts, a rootfs rule without a
 * rootfs, a rule turned off or crashed) did not, so a suppression of one
 * of them may well be in use.
 */
export interface RulesRun {
  ran: ReadonlySet<string>;
  skipped: ReadonlySet<string>;
}

/** Whether every rule `s` covers ran: only then can it be called unused. */
function judgeable(s: Suppression, run: RulesRun | undefined, known: ReadonlySet<string> | undefined): boolean {
  if (!run) return true;
  if (s.ruleIds.length === 0) return run.skipped.size === 0;
  // An id that is no rule is reported as such; the others decide.
  return s.ruleIds.every((id) => run.ran.has(id) || (known !== undefined && !known.has(id)));
}

/**
 * Suppressions that hid nothing although every rule they cover ran, and
 * those naming a rule that does not exist (a typo hides nothing and would
 * look like it did): findings of unused-suppression. `known` is every rule
 * id of the run; `run` says which rules ran (without it, all are taken to
 * have run).
 */
export function unusedSuppressionFindings(suppressions: Suppression[], known?: ReadonlySet<string>, run?: RulesRun): Finding[] {
  const findings: Finding[] = [];
  for (const s of suppressions) {
    const directive = `'ctcr-disable${s.scope === 'next-line' ? '-next-line' : ''}${s.ruleIds.length ? ' ' + s.ruleIds.join(', ') : ''}'`;
    const unknown = known ? s.ruleIds.filter((id) => !known.has(id)) : [];
    const unused = !s.used && judgeable(s, run, known);
    if (!unknown.length && !unused) continue;
    findings.push({
      ruleId: UNUSED_SUPPRESSION.id,
      severity: UNUSED_SUPPRESSION.severity,
      messageId: unknown.length ? 'unknownRule' : 'unused',
      message: unknown.length
        ? `${directive} names ${unknown.map((id) => `'${id}'`).join(', ')}, which ${unknown.length === 1 ? 'is not a rule' : 'are not rules'} (ctcr rules lists them)`
        : `${directive} suppresses nothing`,
      location: { file: s.file, line: s.line, column: s.column },
      ...(!unused ? {} : { fix: { description: 'remove the unused suppression comment', edits: [{ file: s.file, start: s.start, end: s.end, text: '' }] } }),
    });
  }
  return findings;
}
