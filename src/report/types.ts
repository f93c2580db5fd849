import type { Finding, Rule } from '../types.js';

/** The findings for one thing inspected: a config, a container directory, a running container. */
export interface TargetResult {
  target: string;
  findings: Finding[];
  /** Doctor only: READY when no error remains. */
  verdict?: 'READY' | 'NOT READY';
  /** Lines said about the target (what was inspected, what was skipped and why). */
  notes?: string[];
}

export interface ReportContext {
  results: TargetResult[];
  /** Metadata of every rule that ran, for SARIF and links. */
  rules: readonly (Pick<Rule, 'id' | 'severity' | 'summary' | 'docs'> & Partial<Pick<Rule, 'messages'>>)[];
  color: boolean;
  cwd: string;
  version: string;
  /** The repository's web address (package.json `repository`), for links to the rule pages; absent when unset. */
  repositoryUrl?: string;
}

export function countBySeverity(results: TargetResult[]): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of results) for (const f of r.findings) counts[f.severity]++;
  return counts;
}
