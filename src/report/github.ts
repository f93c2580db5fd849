/** GitHub Actions workflow commands: one annotation per finding. */
import type { ReportContext } from './types.js';
import { displayPath } from './stylish.js';
import { escapeControl } from '../util/escape.js';

/** The runner's own escapes for % CR LF, then every other control character shown escaped (never raw in the log). */
const escapeData = (s: string) => escapeControl(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function formatGithub(ctx: ReportContext): string {
  const lines = ctx.results.flatMap((r) =>
    r.findings.map((f) => {
      const props = [`file=${escapeProperty(displayPath(f.location.file, ctx.cwd))}`];
      if (f.location.line > 0) props.push(`line=${f.location.line}`, `col=${f.location.column}`);
      props.push(`title=${escapeProperty(`ctcr ${f.ruleId}`)}`);
      return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
    }),
  );
  return lines.length ? lines.join('\n') + '\n' : '';
}
