/**
 * Rules declare their messages and fix kinds, as ESLint's `meta.messages`,
 * `meta.fixable` and `meta.hasSuggestions`. Here: every rule that checks
 * declares its message ids; and the RuleTester's guard, which holds every
 * finding of every rule test to those declarations, really fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import type { Finding, Rule } from '../../src/types.js';
import { assertDeclaredMeta, assertExpected } from '../helpers/rule-tester.js';

const rules = await loadRules();

for (const rule of rules) {
  test(`${rule.id}: declares its message ids (one line each) and its fix kinds`, () => {
    for (const key of ['fixable', 'hasSuggestions'] as const) {
      if (rule[key] !== undefined) assert.equal(typeof rule[key], 'boolean', `${key} is a boolean`);
    }
    if (rule.scope === 'log') {
      // No check, so no findings to name: explain's results are the signatures' own.
      assert.equal(rule.messages, undefined, 'a log-only rule reports nothing itself, so it declares no messages');
      assert.ok(!rule.fixable && !rule.hasSuggestions, 'a log-only rule has no fixes');
      return;
    }
    assert.ok(rule.messages && Object.keys(rule.messages).length > 0, 'declares messages: { id: what the message says }');
    for (const [id, text] of Object.entries(rule.messages)) {
      assert.match(id, /^[a-z][A-Za-z0-9]*$/, `message id ${id} is camelCase`);
      assert.ok(text.length > 5 && !/[\r\n]/.test(text), `message ${id} is one line of words`);
    }
  });
}

const fake: Rule = { id: 'fake', severity: 'error', summary: 'a fake rule', scope: 'static', docs: { why: 'x', fix: 'y' }, messages: { known: 'the known message' }, check: () => [] };
const finding = (extra: Partial<Finding>): Finding => ({ ruleId: 'fake', severity: 'error', message: 'one line', messageId: 'known', location: { file: 'f', line: 1, column: 1 }, ...extra });

test('the RuleTester guard accepts a finding that keeps to its rule\'s declarations', () => {
  assertDeclaredMeta(fake, finding({}));
  assertDeclaredMeta({ ...fake, fixable: true, hasSuggestions: true }, finding({ fix: { description: 'd', edits: [] }, suggestions: [{ description: 's', edits: [] }] }));
});

test('the RuleTester guard fails on an undeclared or missing message id, a multi-line message, an undeclared fix or suggestion', () => {
  assert.throws(() => assertDeclaredMeta(fake, finding({ messageId: 'other' })), /'other' is not one of fake's messages/);
  assert.throws(() => assertDeclaredMeta(fake, finding({ messageId: undefined })), /no messageId/);
  assert.throws(() => assertDeclaredMeta(fake, finding({ message: 'two\nlines' })), /one line/);
  assert.throws(() => assertDeclaredMeta(fake, finding({ fix: { description: 'd', edits: [] } })), /does not declare fixable/);
  assert.throws(() => assertDeclaredMeta(fake, finding({ suggestions: [{ description: 's', edits: [] }] })), /does not declare hasSuggestions/);
});

test('an expected finding must name its message id when the rule declares messages, and the id must match', () => {
  assertExpected(fake, '/tmp', { messageId: 'known' }, finding({}), 1);
  assert.throws(() => assertExpected(fake, '/tmp', { line: 1 }, finding({}), 1), /give its messageId/);
  assert.throws(() => assertExpected(fake, '/tmp', { messageId: 'other' }, finding({}), 1), /messageId/);
});

test("explain's diagnoses are one line too: every signature's sample, through explain", async () => {
  const { explainCriuLog } = await import('../../src/criu/log.js');
  const { SIGNATURES } = await import('../helpers/signatures.js');
  const { asLog } = await import('../helpers/log-rule-tester.js');
  let checked = 0;
  for (const rule of rules) {
    for (const sample of (rule.logSignatures ?? []).flatMap((s) => s.samples)) {
      for (const d of explainCriuLog(asLog(sample.line), SIGNATURES).diagnoses) {
        assert.ok(!/[\r\n]/.test(d.message), `${rule.id}: diagnosis of "${sample.line}" is not one line: ${JSON.stringify(d.message)}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} diagnoses checked`);
});
