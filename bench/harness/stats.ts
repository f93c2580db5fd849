/**
 * The statistics the benchmark reports: every figure is a median of several
 * runs with the smallest and largest beside it, because these machines are
 * shared and one run says little.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many values the summary is of. */
  n: number;
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of no values');
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite value: ${v}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { median: median(values), min, max, n: values.length };
}

function pairwise(a: readonly number[], b: readonly number[], op: (x: number, y: number) => number): number[] {
  if (a.length !== b.length) throw new RangeError(`paired values of unequal length (${a.length} and ${b.length})`);
  return a.map((x, i) => op(x, b[i]!));
}

/**
 * measured[i] / reference[i] for runs taken side by side: drift of the
 * machine (another job starting, the CPU's clock) hits both of a pair alike,
 * so the ratio of a pair is steadier than the ratio of two medians.
 */
export function pairedRatios(measured: readonly number[], reference: readonly number[]): number[] {
  return pairwise(measured, reference, (x, y) => {
    if (y <= 0) throw new RangeError(`reference value ${y} is not positive`);
    return x / y;
  });
}

/** measured[i] - reference[i], for targets stated as "reference + a margin". */
export function pairedDifferences(measured: readonly number[], reference: readonly number[]): number[] {
  return pairwise(measured, reference, (x, y) => x - y);
}

/**
 * The order of two commands in round `round` of an interleaved series:
 * A B, B A, B A, A B, ... (ABBA), so that neither always runs first after
 * the other has warmed the caches, and linear drift cancels over 4 rounds.
 */
export function abbaOrder(round: number): [0, 1] | [1, 0] {
  const phase = round % 4;
  return phase === 0 || phase === 3 ? [0, 1] : [1, 0];
}

/** What a target check says: met, or missed and by how much (in the target's unit and as a share of the limit). */
export interface Verdict {
  met: boolean;
  /** e.g. "met (0.62 of the limit)" or "missed by 0.31 s (21%)". */
  text: string;
}

/**
 * A value compared with an upper limit. `format` renders values in the
 * figure's unit; `formatExcess` the amount over (default: `format`; a ratio's
 * excess reads better as a plain number).
 */
export function atMost(value: number, limit: number, format: (v: number) => string, formatExcess: (v: number) => string = format): Verdict {
  if (value <= limit) return { met: true, text: `${format(value)} ≤ ${format(limit)}` };
  const over = value - limit;
  const share = limit > 0 ? `, ${Math.round((over / limit) * 100)}% over` : '';
  return { met: false, text: `${format(value)} > ${format(limit)}: missed by ${formatExcess(over)}${share}` };
}
