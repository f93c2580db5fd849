/**
 * One cause, one rule: each rule's CRIU log signatures carry real sample
 * lines. Each sample must be matched by its own rule's signature and by no
 * signature before it in the order ctcr explain tries them, so that what
 * the doctor predicts and what explain recognises cannot drift apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCriuLog } from '../../src/criu/log-lines.js';
import { explainCriuLog } from '../../src/criu/log.js';
import { SIGNATURE_ORDER } from '../../src/criu/signature-order.js';
import { BUILTIN_RULES, SIGNATURES } from '../helpers/signatures.js';

/** The message part of a sample line, as explain reads it (`(00.1) Error (criu/x.c:1): msg` -> `msg`). */
const messageOf = (line: string): string => parseCriuLog(line).lines[0]?.message || line;

test('every signature of every rule has at least one sample with a source', () => {
  for (const r of BUILTIN_RULES) {
    for (const [i, s] of (r.logSignatures ?? []).entries()) {
      assert.ok(s.samples.length > 0, `${r.id} signature #${i} (${s.pattern}) has no sample`);
      for (const sample of s.samples) assert.ok(sample.source.trim() !== '' && sample.line.trim() !== '', `${r.id}: ${JSON.stringify(sample)}`);
    }
  }
});

test('each sample is matched by its own signature and by none before it in the order explain tries them', () => {
  SIGNATURES.forEach(({ ruleId, signature }, index) => {
    for (const sample of signature.samples) {
      const message = messageOf(sample.line);
      assert.ok(signature.pattern.test(message), `${ruleId}: its own pattern ${signature.pattern} misses its sample "${message}"`);
      const earlier = SIGNATURES.slice(0, index).find((s) => s.signature.pattern.test(message));
      assert.equal(earlier, undefined, `${ruleId}'s sample "${message}" is taken first by ${earlier?.ruleId} (${earlier?.signature.pattern})`);
    }
  });
});

test('explain names the rule of each sample when the sample is the root error of a failed log', () => {
  for (const { ruleId, signature } of SIGNATURES) {
    for (const sample of signature.samples) {
      const line = /Error \(/.test(sample.line) ? sample.line : `(00.100000) Error (criu/x.c:1): ${messageOf(sample.line)}`;
      const d = explainCriuLog(`${line}\n(00.200000) Error (criu/cr-dump.c:2000): Dumping FAILED.\n`, SIGNATURES).diagnoses[0];
      assert.ok(d, `${ruleId}: no diagnosis for "${line}"`);
      // A signature may name another rule for one of its messages (a tty master that is the console): that rule must exist.
      assert.ok(BUILTIN_RULES.some((r) => r.id === d.ruleId), `${ruleId}: explain named ${d.ruleId}, which is not a rule`);
      const own = signature.explain(signature.pattern.exec(messageOf(sample.line))!, { log: parseCriuLog(line), root: parseCriuLog(line).lines[0]! }).ruleId ?? ruleId;
      assert.equal(d.ruleId, own, `${ruleId}: "${line}"`);
    }
  }
});

test('the order lists only rules that carry signatures, each once', () => {
  const withSignatures = new Set(BUILTIN_RULES.filter((r) => r.logSignatures?.length).map((r) => r.id));
  assert.equal(new Set(SIGNATURE_ORDER).size, SIGNATURE_ORDER.length);
  for (const id of SIGNATURE_ORDER) assert.ok(withSignatures.has(id), `${id} is in the order but carries no signature`);
});

test('every id explain can print is a rule module with docs', () => {
  const ids = new Map(BUILTIN_RULES.map((r) => [r.id, r]));
  const printable = new Set(['criu-error', ...SIGNATURES.map((s) => s.ruleId)]);
  for (const id of printable) {
    const r = ids.get(id);
    assert.ok(r, `${id} is not a rule`);
    assert.ok(r.docs.why.length > 20 && r.docs.fix.length > 10, `${id} has no docs`);
  }
});
