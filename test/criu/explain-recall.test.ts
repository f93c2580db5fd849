/**
 * explain on real logs nobody here tuned it to (fixtures/explain-recall/:
 * excerpts pasted in public threads, each with the cause its thread
 * settled): prints the recall and fails below a floor. Also: no log that
 * has an error line is left at the bare `criu-error`, here or in
 * fixtures/criu-logs/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCriuLog, notACriuLog } from '../../src/criu/log.js';
import { isTerminal, parseCriuLog } from '../../src/criu/log-lines.js';
import { BUILTIN_RULES, SIGNATURES } from '../helpers/signatures.js';
import { listFixtures, readFixture } from './fixtures.js';

/** Set from what explain reached when the fixtures were collected (see the printed line); raise it, never lower it to pass. */
const RECALL_FLOOR = 82;
/**
 * The held-out logs (held-out/): labelled from their threads before explain first ran on them, in two batches.
 * The first runs named 9 of 13 and 4 of 5; two generic bugs the first batch showed were fixed since (a "sockets: "
 * prefix on a noise line, and strerror texts like "No such file or directory" read as naming the files area),
 * giving 14 of 18. Nothing else was tuned to them; their misses are printed.
 */
const HELD_OUT_FLOOR = 14;

const logs = listFixtures('explain-recall').filter((f) => f.endsWith('.log'));
const tunedTo = logs.filter((f) => !f.startsWith('held-out/'));
const heldOut = logs.filter((f) => f.startsWith('held-out/'));
const ruleIds = new Set(BUILTIN_RULES.map((r) => r.id));

function header(text: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.+)$`, 'm').exec(text)?.[1]?.trim();
}

test('there are at least 60 public logs, each with its source and a settled cause that is a rule', () => {
  assert.ok(tunedTo.length >= 60, `${tunedTo.length} logs`);
  assert.ok(heldOut.length >= 10, `${heldOut.length} held-out logs`);
  for (const f of logs) {
    const text = readFixture(`explain-recall/${f}`);
    assert.match(header(text, 'source') ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/, `${f}: # source:`);
    const cause = header(text, 'cause');
    assert.ok(cause && ruleIds.has(cause), `${f}: # cause: ${cause} is not a rule id`);
    assert.equal(notACriuLog(text, SIGNATURES), undefined, `${f} is taken for a CRIU or LXC log`);
  }
});

function recall(files: readonly string[]): { hits: number; misses: string[] } {
  const misses: string[] = [];
  for (const f of files) {
    const text = readFixture(`explain-recall/${f}`);
    const got = explainCriuLog(text, SIGNATURES).diagnoses[0]?.ruleId ?? '(none)';
    if (got !== header(text, 'cause')) misses.push(`${f}: settled ${header(text, 'cause')}, explain says ${got}`);
  }
  return { hits: files.length - misses.length, misses };
}

test('explain names the settled cause of the public logs (recall printed)', () => {
  const all = recall(logs);
  const held = recall(heldOut);
  console.log(`explain recall: ${all.hits}/${logs.length} fixture logs name the settled cause`);
  console.log(`explain recall, held out (labelled before explain ran on them; 13/18 at those first runs): ${held.hits}/${heldOut.length}; logs collected while tuning: ${all.hits - held.hits}/${tunedTo.length}`);
  for (const m of all.misses) console.log(`  miss: ${m}`);
  assert.ok(all.hits >= RECALL_FLOOR, `recall ${all.hits}/${logs.length} fell below the floor of ${RECALL_FLOOR}`);
  assert.ok(held.hits >= HELD_OUT_FLOOR, `held-out recall ${held.hits}/${heldOut.length} fell below the floor of ${HELD_OUT_FLOOR}`);
});

test('no fixture log with an error line gets the bare criu-error', () => {
  const all = [...logs.map((f) => `explain-recall/${f}`), ...listFixtures('criu-logs').filter((f) => f.endsWith('.log')).map((f) => `criu-logs/${f}`)];
  const bare: string[] = [];
  for (const f of all) {
    const text = readFixture(f);
    const hasErrorLine = parseCriuLog(text).lines.some((l) => l.level === 'error' && l.origin !== 'other' && !isTerminal(l));
    if (!hasErrorLine) continue;
    const d = explainCriuLog(text, SIGNATURES).diagnoses[0];
    if (d?.ruleId === 'criu-error') bare.push(`${f}: ${d.message}`);
  }
  assert.deepEqual(bare, []);
});
