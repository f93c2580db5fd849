/**
 * Every log in fixtures/criu-logs/ (lab/ included) against its sidecar
 * `<log>.expected.json`. New real logs need only a sidecar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCriuLog, notACriuLog } from '../../src/criu/log.js';
import { SIGNATURES } from '../helpers/signatures.js';
import { listFixtures, readFixture } from './fixtures.js';

interface Expected {
  ruleId: string | null;
  line: number | null;
  outcome?: string;
  action?: string;
  criuOptions?: string[];
  messageIncludes?: string;
  fixIncludes?: string;
}

const all = listFixtures('criu-logs');
const logs = all.filter((f) => f.endsWith('.log'));

test('there are log fixtures', () => {
  assert.ok(logs.length >= 30, `${logs.length} logs`);
});

for (const log of logs) {
  test(`criu-logs/${log}`, () => {
    assert.ok(all.includes(`${log}.expected.json`), `missing sidecar ${log}.expected.json`);
    const expected = JSON.parse(readFixture(`criu-logs/${log}.expected.json`)) as Expected;
    const text = readFixture(`criu-logs/${log}`);
    assert.equal(notACriuLog(text, SIGNATURES), undefined, 'explain takes it for a CRIU or LXC log');
    const result = explainCriuLog(text, SIGNATURES);
    const first = result.diagnoses[0];
    assert.equal(first?.ruleId ?? null, expected.ruleId, first ? `${first.ruleId}: ${first.message}` : 'no diagnosis');
    assert.equal(first?.line ?? null, expected.line);
    if (expected.outcome) assert.equal(result.outcome, expected.outcome);
    if (expected.action) assert.equal(result.action, expected.action);
    if (expected.criuOptions) assert.deepEqual(first?.criuOptions, expected.criuOptions);
    if (expected.messageIncludes) assert.ok(first?.message.includes(expected.messageIncludes), first?.message);
    if (expected.fixIncludes) assert.ok(first?.fix.includes(expected.fixIncludes), first?.fix);
  });
}

test('every sidecar has its log', () => {
  for (const sidecar of all.filter((f) => f.endsWith('.expected.json'))) assert.ok(all.includes(sidecar.replace(/\.expected\.json$/, '')), sidecar);
});
