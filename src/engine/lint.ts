/**
 * `ctcr lint` without the CLI: static targets in, one result per target out.
 * Targets are gathered and checked concurrently; results keep the order the
 * targets were given in.
 */
import type { Rule, Snapshot } from '../types.js';
import type { TargetResult } from '../report/types.js';
import type { StaticTarget } from '../gather/static.js';
import { gatherStatic } from '../gather/static.js';
import { InputError } from '../errors.js';
import { mapLimit } from '../util/map-limit.js';
import { evaluate, type RuleLevels } from './evaluate.js';

export interface LintOptions {
  levels: RuleLevels;
  assumptions: Snapshot['assumptions'];
  concurrency?: number;
}

export interface LintOutcome {
  results: TargetResult[];
  /** Targets that could not be read: one input error each. */
  errors: InputError[];
  /** The snapshots, for the fixer (which needs the documents' texts). */
  snapshots: Snapshot[];
}

/** What a result says about parts that were not inspected, so that a skipped check is never a silent pass. */
export function notesFor(snapshot: Snapshot): string[] {
  const notes: string[] = [];
  if (snapshot.rootfs) notes.push(`rootfs: ${snapshot.rootfs.kind === 'image' ? 'image' : 'directory'} ${snapshot.rootfs.location}`);
  else if (!snapshot.rootfsProblem && snapshot.config) notes.push('rootfs: none named; rootfs rules skipped');
  return notes;
}

export function rootfsPathsOf(rules: readonly Rule[]): string[] {
  return [...new Set(rules.flatMap((r) => r.rootfsPaths ?? []))].sort();
}

export async function lintTargets(targets: readonly StaticTarget[], rules: readonly Rule[], opts: LintOptions): Promise<LintOutcome> {
  const rootfsPaths = rootfsPathsOf(rules);
  const outcomes = await mapLimit(targets, opts.concurrency ?? 32, async (target) => {
    try {
      const snapshot = await gatherStatic(target, { rootfsPaths, assumptions: opts.assumptions, purpose: 'lint' });
      const findings = evaluate(rules, snapshot, opts.levels);
      return { result: { target: target.label, findings, notes: notesFor(snapshot) }, snapshot };
    } catch (err) {
      if (err instanceof InputError) return { error: err };
      throw err;
    }
  });
  const outcome: LintOutcome = { results: [], errors: [], snapshots: [] };
  for (const o of outcomes) {
    if ('error' in o && o.error) outcome.errors.push(o.error);
    else if ('result' in o && o.result) {
      outcome.results.push(o.result);
      outcome.snapshots.push(o.snapshot);
    }
  }
  return outcome;
}
