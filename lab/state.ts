/**
 * The lab's record of what it created, written after every step so that
 * `down` removes exactly that (and nothing of the host's) even after a crash.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LAB_STATE_FILE } from './paths.js';

/** How one CRIU candidate fared. */
export interface CriuCandidate {
  /** `preinstalled` (a criu already on PATH) or `suite:<name>`. */
  name: string;
  suite?: string;
  version?: string;
  ok: boolean;
  /** Where it stopped: download, check, trial-dump; `ok` when it passed. */
  stage: 'download' | 'check' | 'trial-dump' | 'ok';
  /** The evidence: CRIU's root error line, or what passed. */
  detail: string;
  ms: number;
}

export interface CriuChoice {
  version: string;
  /** What runs as `criu` on PATH. */
  path: string;
  suite?: string;
  /** Private prefix with the suite's libc; absent for a preinstalled criu. */
  prefix?: string;
  loader?: string;
  libraryPath?: string[];
  candidates: CriuCandidate[];
}

export interface LabState {
  createdAt: string;
  /** apt packages the lab installed (they stay after `down`). */
  aptInstalled: string[];
  bridge?: { name: string; created: boolean };
  criu?: CriuChoice;
  /** The wrapper we wrote, and where a foreign file at that path was moved to. */
  wrapper?: { path: string; backup?: string };
  /** Private CRIU prefixes we extracted. */
  prefixes: string[];
  /** LXC's parking cgroups (lxc.pivot) that did not exist before the lab. */
  pivotsBefore?: string[];
  upMs?: number;
  /** The loopback sshd of the migration target (lab/ssh-host.ts). */
  sshHost?: { port: number; pid: number };
}

export function readState(): LabState | undefined {
  try {
    return JSON.parse(readFileSync(LAB_STATE_FILE, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(s: LabState): void {
  mkdirSync(dirname(LAB_STATE_FILE), { recursive: true });
  const tmp = `${LAB_STATE_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n');
  renameSync(tmp, LAB_STATE_FILE);
}

export function newState(): LabState {
  return { createdAt: new Date().toISOString(), aptInstalled: [], prefixes: [] };
}
