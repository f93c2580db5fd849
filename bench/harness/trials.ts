/**
 * Runs trials warm-up first, then interleaved: with two trials in ABBA order,
 * with more in rotating order, so that drift of a shared machine falls on
 * every trial alike.
 */
import { abbaOrder } from './stats.js';
import { runCommand, type Command, type Sample } from './spawn.js';

/** One timed attempt of something: a command, or a sequence timed as a whole. */
export interface Trial<S extends Sample = Sample> {
  label: string;
  run(): Promise<S>;
}

export function commandTrial(cmd: Command): Trial {
  return { label: cmd.label, run: () => runCommand(cmd) };
}

export interface SeriesOptions {
  runs: number;
  warmup: number;
  /** Called after each timed run, e.g. for progress. */
  progress?: (label: string, round: number, sample: Sample) => void;
}

/** The order of `count` trials in round `round`. */
export function roundOrder(count: number, round: number): number[] {
  if (count === 2) return abbaOrder(round);
  return Array.from({ length: count }, (_, i) => (i + round) % count);
}

/** Samples per trial, in the trials' order; samples[t][i] were taken in the same round i. */
export async function interleave<S extends Sample>(trials: readonly Trial<S>[], opts: SeriesOptions): Promise<S[][]> {
  if (opts.runs < 1) throw new RangeError('at least one run');
  for (let w = 0; w < opts.warmup; w++) for (const t of trials) await t.run();
  const samples: S[][] = trials.map(() => []);
  for (let round = 0; round < opts.runs; round++) {
    for (const i of roundOrder(trials.length, round)) {
      const s = await trials[i]!.run();
      samples[i]!.push(s);
      opts.progress?.(trials[i]!.label, round, s);
    }
  }
  return samples;
}
