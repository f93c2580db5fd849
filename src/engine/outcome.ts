import type { Finding, Severity } from '../types.js';
import { EXIT } from '../errors.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function reaches(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/**
 * 1 when a finding reaches --fail-on, or warnings exceed --max-warnings (-1: no limit); else 0.
 * The output format never changes this.
 */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity, maxWarnings: number): number {
  if (findings.some((f) => reaches(f.severity, failOn))) return EXIT.findings;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (maxWarnings >= 0 && warnings > maxWarnings) return EXIT.findings;
  return EXIT.ok;
}
