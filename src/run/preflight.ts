/**
 * The doctor run before a checkpoint or a restore: the container's config,
 * the host, the running container and the checkpoint directory, gathered at
 * once (the slowest probe sets the time), then the rules. It all happens
 * before CRIU freezes anything, so it adds nothing to the frozen time.
 */
import path from 'node:path';
import type { Assumptions, Finding, Rule, Snapshot } from '../types.js';
import type { RuleLevels } from '../engine/evaluate.js';
import { evaluate } from '../engine/evaluate.js';
import { rootfsPathsOf } from '../engine/lint.js';
import { gatherStatic } from '../gather/static.js';
import { gatherHost } from '../gather/host.js';
import { gatherContainer } from '../gather/container.js';
import { gatherCheckpointDir } from '../gather/checkpoint-dir.js';

export interface PreflightRequest {
  name: string;
  lxcpath: string;
  /** The checkpoint directory (absolute). */
  dir: string;
  action: 'dump' | 'restore';
  env: NodeJS.ProcessEnv;
  /** Limit for each probe. */
  timeoutMs: number;
  rules: readonly Rule[];
  levels: RuleLevels;
  assumptions: Assumptions;
}

export interface Preflight {
  snapshot: Snapshot;
  findings: Finding[];
  durationMs: number;
}

function withoutConfigFile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CRIU_CONFIG_FILE: _ignored, ...rest } = env;
  return rest;
}

/** Gathers and evaluates. Throws InputError when the container's config cannot be read (exit 2). */
export async function preflight(req: PreflightRequest): Promise<Preflight> {
  const started = performance.now();
  const configPath = path.join(req.lxcpath, req.name, 'config');
  const [base, host, container, checkpointDir] = await Promise.all([
    gatherStatic({ label: req.name, configPath, expectRootfs: true }, { rootfsPaths: rootfsPathsOf(req.rules), assumptions: req.assumptions, purpose: req.action }),
    // The host is judged without a CRIU_CONFIG_FILE: that one belongs to a command (a restore-only option in it makes
    // `criu check` fail), and the command builder carries its valid options over. The fact that it is set stays.
    gatherHost({ env: withoutConfigFile(req.env), timeoutMs: req.timeoutMs }).then((h) => ({ ...h, env: { ...h.env, CRIU_CONFIG_FILE: req.env.CRIU_CONFIG_FILE } })),
    gatherContainer(req.name, req.lxcpath, { env: req.env, timeoutMs: req.timeoutMs }),
    gatherCheckpointDir(req.dir),
  ]);
  const snapshot: Snapshot = { ...base, host, container, checkpointDir };
  const findings = evaluate(req.rules, snapshot, req.levels);
  return { snapshot, findings, durationMs: performance.now() - started };
}
