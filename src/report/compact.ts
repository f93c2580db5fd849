/**
 * One line per finding, for grep, editors' quickfix lists and `cut`:
 *   file:line:col: severity: message [rule-id]
 * A finding of a whole file (no line) is `file: severity: message [rule-id]`.
 */
import type { ReportContext } from './types.js';
import { displayPath } from './stylish.js';

export function formatCompact(ctx: ReportContext): string {
  const lines = ctx.results.flatMap((r) =>
    r.findings.map((f) => {
      const where = displayPath(f.location.file, ctx.cwd) + (f.location.line > 0 ? `:${f.location.line}:${f.location.column}` : '');
      return `${where}: ${f.severity}: ${f.message.replace(/\s*\n\s*/g, ' ')} [${f.ruleId}]`;
    }),
  );
  return lines.length ? lines.join('\n') + '\n' : '';
}
