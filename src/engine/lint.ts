/**
 * `ctcr lint` without the CLI: static targets in, one result per target out.
 * Targets are gathered and checked concurrently; results keep the order the
 * targets were given in. A target that cannot be read is a result too: one
 * `parse-error` finding on the file at fault.
 */
import type { Finding, Rule, Snapshot } from '../types.js';
import type { TargetResult } from '../report/types.js';
import type { StaticTarget } from '../gather/static.js';
import { gatherStatic } from '../gather/static.js';
import { InputError } from '../errors.js';
import { mapLimit } from '../util/map-limit.js';
import { evaluate, type RuleLevels } from './evaluate.js';
import { describeJudgedLxc, lxcVersionsToJudge } from '../live/facts.js';

export interface LintOptions {
  levels: RuleLevels;
  assumptions: Snapshot['assumptions'];
  concurrency?: number;
  /** Texts to read instead of files' contents (a config from standard input). */
  overlay?: ReadonlyMap<string, string>;
}

export interface LintOutcome {
  /** One per target, in the targets' order. */
  results: TargetResult[];
  /** The snapshots, for the fixer (which needs the documents' texts); undefined where the target could not be read. */
  snapshots: (Snapshot | undefined)[];
}

export const PARSE_ERROR = {
  id: 'parse-error',
  severity: 'error' as const,
  summary: 'A file ctcr could not read or parse (a config LXC rejects, an include cycle, a truncated image).',
  docs: {
    why:
      'What cannot be read cannot be checked: LXC refuses a config it cannot parse (the container neither starts nor restores), and ' +
      'no other rule could look at it. It is a finding of that file, so the other targets are still linted and CI shows where.',
    fix: 'Correct the line the message names (or restore the file); then lint again to see what the other rules say.',
  },
};

/** The finding a target's read failure becomes. */
export function parseErrorFinding(err: InputError, target: StaticTarget): Finding {
  const file = err.location?.file ?? target.configPath ?? target.image ?? target.rootfsDir ?? target.label;
  return {
    ruleId: PARSE_ERROR.id,
    severity: PARSE_ERROR.severity,
    messageId: 'parseError',
    message: err.message,
    location: { file, line: err.location?.line ?? 0, column: err.location?.line ? (err.location.column ?? 1) : 0 },
  };
}

/** What a result says about parts that were not inspected, so that a skipped check is never a silent pass. */
export function notesFor(snapshot: Snapshot): string[] {
  const notes: string[] = [];
  if (snapshot.rootfs) notes.push(`rootfs: ${snapshot.rootfs.kind === 'image' ? 'image' : 'directory'} ${snapshot.rootfs.location}`);
  else if (!snapshot.rootfsProblem && snapshot.config) notes.push('rootfs: none named; rootfs rules skipped');
  const legacy = lxcVersionsToJudge(snapshot).find((j) => j.reason === 'legacy-keys');
  if (legacy) notes.push(`pre-2.1 keys: also judged for ${describeJudgedLxc(legacy).replace(/ \(.*/, '')}, the LXC that reads them (--lxc-version to judge for one)`);
  return notes;
}

export function rootfsPathsOf(rules: readonly Rule[]): string[] {
  return [...new Set(rules.flatMap((r) => r.rootfsPaths ?? []))].sort();
}

export async function lintTargets(targets: readonly StaticTarget[], rules: readonly Rule[], opts: LintOptions): Promise<LintOutcome> {
  const rootfsPaths = rootfsPathsOf(rules);
  const known = new Set(rules.map((r) => r.id));
  const outcomes = await mapLimit(targets, opts.concurrency ?? 32, async (target) => {
    try {
      const snapshot = await gatherStatic(target, { rootfsPaths, assumptions: opts.assumptions, purpose: 'lint', overlay: opts.overlay });
      const findings = evaluate(rules, snapshot, opts.levels, known);
      return { result: { target: target.label, findings, notes: notesFor(snapshot) }, snapshot };
    } catch (err) {
      if (err instanceof InputError) return { result: { target: target.label, findings: [parseErrorFinding(err, target)] }, snapshot: undefined };
      throw err;
    }
  });
  return { results: outcomes.map((o) => o.result), snapshots: outcomes.map((o) => o.snapshot) };
}
