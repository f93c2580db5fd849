/**
 * The doctor run before a checkpoint or a restore (the same inspect() and
 * rules as `ctcr doctor`, for one container and its checkpoint directory):
 * host, files, live container and directory gathered at once, the slowest
 * probe setting the time. It all happens before CRIU freezes anything, so it
 * adds nothing to the frozen time.
 */
import type { Assumptions, Finding, Rule, Snapshot } from '../types.js';
import type { RuleLevels } from '../engine/evaluate.js';
import { inspect, startHostFacts } from '../engine/inspect.js';
import { doctorFindings } from '../engine/doctor.js';
import { rootfsPathsOf } from '../engine/lint.js';

export interface PreflightRequest {
  name: string;
  lxcpath: string;
  /** The checkpoint directory (absolute). */
  dir: string;
  action: 'dump' | 'restore';
  env: NodeJS.ProcessEnv;
  /** Limit for each probe. */
  timeoutMs: number;
  /** Rules, levels and assumptions; a promise lets the probes start while the rules load. */
  setup: PreflightSetup | Promise<PreflightSetup>;
}

export interface PreflightSetup {
  rules: readonly Rule[];
  levels: RuleLevels;
  assumptions: Assumptions;
}

export interface Preflight {
  snapshot: Snapshot;
  /** The container's findings and the host's. */
  findings: Finding[];
  durationMs: number;
}

/** Gathers and evaluates. Throws InputError when the container does not exist or its config cannot be read (exit 2). */
export async function preflight(req: PreflightRequest): Promise<Preflight> {
  const started = performance.now();
  const setup = Promise.resolve(req.setup);
  const inspection = await inspect({
    lxcpath: req.lxcpath,
    names: [req.name],
    env: req.env,
    timeoutMs: req.timeoutMs,
    checkpointDir: req.dir,
    purpose: req.action,
    files: setup.then((s) => ({ assumptions: s.assumptions, rootfsPaths: rootfsPathsOf(s.rules) })),
    host: startHostFacts(req.env, req.timeoutMs),
  });
  if (inspection.errors.length) throw inspection.errors[0]!;
  const snapshot = inspection.containers[0]!;
  const { rules, levels } = await setup;
  return { snapshot, findings: doctorFindings(rules, snapshot, levels), durationMs: performance.now() - started };
}
