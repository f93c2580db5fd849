/** What a measurement is and what it hands back to the harness. */
import type { Summary, Verdict } from './stats.js';
import type { BenchLab } from './lab.js';

export type Unit = 'ms' | 'ratio' | 'MiB' | 'per-second' | 'count';

export interface Figure {
  value: Summary;
  unit: Unit;
  /** For 'per-second' and 'count': what is counted (e.g. "configs"). */
  of?: string;
}

export interface Row {
  /** What this row measures, e.g. "ctcr lint, 1,000 configs: wall". */
  what: string;
  figure: Figure;
  /** What it is compared with, measured in the same run. */
  reference?: { what: string; figure: Figure };
  target?: { text: string; verdict: Verdict };
}

export interface MeasurementResult {
  rows: Row[];
  /** Facts worth a line under the table (input sizes, caveats). */
  notes: string[];
}

export interface BenchContext {
  /** Timed runs per command (after the warm-up). */
  runs: number;
  /** Untimed runs per command before the timed ones. */
  warmup: number;
  quick: boolean;
  /** The repository root (where package.json is). */
  repo: string;
  /** argv that runs the built ctcr: [node, dist/src/cli.js]. */
  ctcr: string[];
  /** A temporary folder of this run, removed at the end. */
  tmp: string;
  log(message: string): void;
  /** Registers something to undo when the run ends, even after a failure (run in reverse order). */
  onCleanup(fn: () => Promise<void> | void): void;
  /** The lab, brought up on first use; throws Skip when it cannot run here. */
  lab(): Promise<BenchLab>;
}

export interface Measurement {
  /** Short name for --only, e.g. "lint". */
  id: string;
  /** Heading, e.g. "Lint throughput". */
  title: string;
  /** The target as the issue states it. */
  target: string;
  run(ctx: BenchContext): Promise<MeasurementResult>;
}

/** Thrown by a measurement that cannot run here; the reason goes in the table. */
export class Skip extends Error {
  override name = 'Skip';
}
