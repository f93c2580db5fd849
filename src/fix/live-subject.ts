/**
 * The subject of `ctcr fix NAME` and `ctcr doctor --fix`: a container on
 * this host, judged as the doctor judges it (its files and its live facts, so that live rules'
 * fixes apply too: a bind-mount source that is a symlink, an AppArmor
 * profile on a kernel without AppArmor). The live facts are gathered once;
 * each later pass reads the files again through the fixer's overlay, and the
 * facts that depend on the files (the bind-mount sources the new text names).
 */
import path from 'node:path';
import type { Finding, Rule, Snapshot } from '../types.js';
import type { RuleLevels } from '../engine/evaluate.js';
import { evaluate } from '../engine/evaluate.js';
import { rootfsPathsOf } from '../engine/lint.js';
import { inspect } from '../engine/inspect.js';
import { gatherStatic, type StaticTarget } from '../gather/static.js';
import { gatherBindSources } from '../gather/doctor-probes.js';
import { simulateRootfsOps } from './plan.js';
import { lintPassOf, type FixSubject } from './engine.js';

export interface LiveSubjectOptions {
  levels: RuleLevels;
  assumptions: Snapshot['assumptions'];
  env: NodeJS.ProcessEnv;
  /** Limit for each probe. */
  timeoutMs: number;
}

/** The subject of a container inspected by name (inspect() in src/engine/inspect.ts). */
export async function liveSubject(name: string, lxcpath: string, rules: readonly Rule[], opts: LiveSubjectOptions): Promise<FixSubject> {
  const inspection = await inspect({
    lxcpath,
    names: [name],
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    purpose: 'doctor',
    assumptions: opts.assumptions,
    rootfsPaths: rootfsPathsOf(rules),
  });
  if (inspection.errors.length) throw inspection.errors[0];
  return inspectedSubject(inspection.containers[0], lxcpath, rules, opts);
}

/** What judging an inspected container again needs. */
export interface InspectedSubjectOptions {
  levels: RuleLevels;
  /** Limit for each probe. */
  timeoutMs: number;
  /**
   * The findings of one pass (default: every rule's). The doctor leaves out
   * the host's, which it reports once on its host target.
   */
  findings?: (snapshot: Snapshot) => Finding[];
}

/**
 * The subject of a container already inspected (`first`: its snapshot with
 * live facts, as inspect() returns it), for `ctcr fix NAME` and `ctcr doctor
 * --fix`: the first pass judges that snapshot; later ones read the files
 * again through the overlay (with the assumptions and purpose it was
 * inspected for) and look up the host paths of its bind mounts again (a fix
 * changes them).
 */
export function inspectedSubject(first: Snapshot, lxcpath: string, rules: readonly Rule[], opts: InspectedSubjectOptions): FixSubject {
  const rootfsPaths = rootfsPathsOf(rules);
  const findings = opts.findings ?? ((snapshot: Snapshot) => evaluate(rules, snapshot, opts.levels));
  const name = first.container?.name ?? first.target;
  const target: StaticTarget = { label: first.target, configPath: path.join(lxcpath, name, 'config'), expectRootfs: true };
  const state = first.container?.state;
  return {
    label: first.target,
    container: { name, lxcpath },
    running: state !== undefined && state !== 'STOPPED',
    lint: async (overlay) => {
      let snapshot = first;
      if (overlay.texts.size > 0) {
        const files = await gatherStatic(target, { rootfsPaths, assumptions: first.assumptions, purpose: first.purpose, overlay: overlay.texts });
        const bindSources = await gatherBindSources(files.mounts, opts.timeoutMs);
        snapshot = { ...files, host: first.host, container: first.container && { ...first.container, bindSources }, checkpointDir: first.checkpointDir };
      }
      if (snapshot.rootfs) snapshot = { ...snapshot, rootfs: simulateRootfsOps(snapshot.rootfs, overlay.rootfsOps) };
      return lintPassOf(snapshot, findings(snapshot));
    },
  };
}
