/**
 * The log half of a rule, tested as ESLint's RuleTester tests code: `invalid`
 * lines are root errors that ctcr explain must put on this rule (with the
 * message expected, where given); `valid` lines must not be put on it. The
 * lines run through the whole table of built-in signatures, in explain's
 * order, so an earlier rule taking a line fails the case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from '../../src/types.js';
import { explainCriuLog } from '../../src/criu/log.js';
import { SIGNATURES } from './signatures.js';

export interface LogCase {
  /** A CRIU (or lxc-checkpoint) line; bare messages get CRIU's `Error (file:line):` form. */
  line: string;
  message?: RegExp;
}

/** A root-error line as a whole failed log (bare messages get CRIU's `Error (file:line):` form). */
export const asLog = (line: string): string =>
  `${/Error \(|^lxc-|^\S+: /.test(line) ? line : `(00.100000) Error (criu/x.c:1): ${line}`}\n(00.200000) Error (criu/cr-dump.c:2000): Dumping FAILED.\n`;

export function testLogRule(rule: Rule, cases: { valid: (string | LogCase)[]; invalid: (string | LogCase)[] }): void {
  for (const c of cases.invalid.map((x) => (typeof x === 'string' ? { line: x } : x))) {
    test(`${rule.id}: explain names it for "${c.line.slice(0, 80)}"`, () => {
      const d = explainCriuLog(asLog(c.line), SIGNATURES).diagnoses[0];
      assert.equal(d?.ruleId, rule.id, JSON.stringify(d));
      if (c.message) assert.match(d!.message, c.message);
      assert.ok(d!.fix.length > 10, 'a diagnosis carries a fix');
    });
  }
  for (const c of cases.valid.map((x) => (typeof x === 'string' ? { line: x } : x))) {
    test(`${rule.id}: explain does not name it for "${c.line.slice(0, 80)}"`, () => {
      const d = explainCriuLog(asLog(c.line), SIGNATURES).diagnoses[0];
      assert.notEqual(d?.ruleId, rule.id, JSON.stringify(d));
    });
  }
}
