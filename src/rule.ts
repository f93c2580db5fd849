import type { Rule } from './types.js';

/** Identity with a type: lets a rule file be checked against the Rule contract where it is written. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The location of a config entry, for a report. */
export function at(entry: { file: string; line: number; column: number }): { file: string; line: number; column: number } {
  return { file: entry.file, line: entry.line, column: entry.column };
}
