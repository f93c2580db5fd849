/** Machine output: stable keys and order, nothing else on stdout. */
import type { Finding } from '../types.js';
import { countBySeverity, type ReportContext } from './types.js';

function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    ...(f.messageId ? { messageId: f.messageId } : {}),
    severity: f.severity,
    message: f.message,
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    ...(f.fix ? { fix: f.fix } : {}),
    ...(f.suggestions?.length ? { suggestions: f.suggestions } : {}),
    ...(f.criuOptions?.length ? { criuOptions: f.criuOptions } : {}),
  };
}

export function formatJson(ctx: ReportContext): string {
  return (
    JSON.stringify(
      {
        version: ctx.version,
        results: ctx.results.map((r) => ({
          target: r.target,
          ...(r.verdict ? { verdict: r.verdict } : {}),
          ...(r.notes?.length ? { notes: r.notes } : {}),
          findings: r.findings.map(findingJson),
        })),
        summary: countBySeverity(ctx.results),
      },
      null,
      2,
    ) + '\n'
  );
}
