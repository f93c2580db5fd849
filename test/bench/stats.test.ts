/** The benchmark's statistics and run order: the figures in BENCHMARKS.md are only as good as these. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abbaOrder, atMost, median, pairedDifferences, pairedRatios, summarize } from '../../bench/harness/stats.js';
import { interleave, roundOrder, type Trial } from '../../bench/harness/trials.js';
import type { Sample } from '../../bench/harness/spawn.js';

test('median: middle value, mean of the two middle ones for an even count, input order irrelevant', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), RangeError);
});

test('summarize: median, min, max and count; a non-finite value is an error, not a figure', () => {
  assert.deepEqual(summarize([120, 100, 300, 110, 105]), { median: 110, min: 100, max: 300, n: 5 });
  assert.throws(() => summarize([1, Number.NaN]), RangeError);
  assert.throws(() => summarize([]), RangeError);
});

test('paired ratios and differences are taken run by run', () => {
  assert.deepEqual(pairedRatios([200, 150], [100, 50]), [2, 3]);
  assert.deepEqual(pairedDifferences([200, 150], [100, 50]), [100, 100]);
  assert.throws(() => pairedRatios([1, 2], [1]), RangeError);
  assert.throws(() => pairedRatios([1], [0]), RangeError);
});

test('ABBA order: each of two trials goes first in half of every 4 rounds', () => {
  const orders = [0, 1, 2, 3].map(abbaOrder);
  assert.deepEqual(orders, [[0, 1], [1, 0], [1, 0], [0, 1]]);
  // and the pattern repeats
  assert.deepEqual(abbaOrder(4), [0, 1]);
});

test('rotating order for three trials: each trial takes each position once in three rounds', () => {
  const rounds = [0, 1, 2].map((r) => roundOrder(3, r));
  for (let position = 0; position < 3; position++) {
    assert.deepEqual(rounds.map((o) => o[position]).sort(), [0, 1, 2]);
  }
});

test('interleave: warm-up runs are not counted, every trial gets `runs` samples, calls follow ABBA', async () => {
  const calls: string[] = [];
  const trial = (label: string, ms: number): Trial => ({
    label,
    run: async (): Promise<Sample> => {
      calls.push(label);
      return { ms, code: 0 };
    },
  });
  const [a, b] = await interleave([trial('A', 10), trial('B', 20)], { runs: 4, warmup: 1 });
  assert.equal(a!.length, 4);
  assert.equal(b!.length, 4);
  assert.deepEqual(calls, ['A', 'B', /* timed: */ 'A', 'B', 'B', 'A', 'B', 'A', 'A', 'B']);
  assert.ok(a!.every((s) => s.ms === 10) && b!.every((s) => s.ms === 20));
});

test('atMost: met within the limit, missed with the amount and the share over it', () => {
  const f = (v: number) => `${v} ms`;
  assert.deepEqual(atMost(1000, 1500, f), { met: true, text: '1000 ms ≤ 1500 ms' });
  assert.deepEqual(atMost(1500, 1500, f).met, true);
  const missed = atMost(1800, 1500, f);
  assert.equal(missed.met, false);
  assert.equal(missed.text, '1800 ms > 1500 ms: missed by 300 ms, 20% over');
});
