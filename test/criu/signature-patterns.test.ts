/**
 * A signature pattern that starts with an unanchored greedy run (`(\S+) not running`) is tried again from every
 * character of a long run of non-blanks: quadratic in the line (the bench's 80,000-digit explain took 12 s). Each such
 * start must be pinned to a word boundary (`(?<!\S)`, `\b`, `^`) so that a run is entered once. Measured in `npm run
 * bench` (cost against input size); this test checks the patterns' shape, which is what makes the cost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_RULES } from '../helpers/signatures.js';

/** An unanchored greedy run at the start of a pattern: \S+, \d+, \w+, [^...]+, .+ or .*, maybe in a group. */
const UNPINNED_START = /^\(*(?:\\[Sdw]|\[\^[^\]]*\]|\.)[+*]/;

export function unpinnedStart(source: string): boolean {
  return UNPINNED_START.test(source);
}

test('the shape check can fail: it flags the patterns that were quadratic and passes their pinned forms', () => {
  assert.equal(unpinnedStart(String.raw`(\S+) not running, not checkpointing`), true);
  assert.equal(unpinnedStart(String.raw`\d+ killed by signal`), true);
  assert.equal(unpinnedStart(String.raw`(?<!\S)(\S+) not running, not checkpointing`), false);
  assert.equal(unpinnedStart(String.raw`\b(\d+) killed`), false);
  assert.equal(unpinnedStart(String.raw`Can't bind inet socket`), false);
});

test("no rule's log signature starts with an unpinned greedy run", () => {
  const bad = BUILTIN_RULES.flatMap((r) => (r.logSignatures ?? []).filter((s) => unpinnedStart(s.pattern.source)).map((s) => `${r.id}: /${s.pattern.source}/`));
  assert.deepEqual(bad, []);
});
