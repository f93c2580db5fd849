/** The default human format, after ESLint's stylish: grouped by file, `line:col severity message rule`. */
import path from 'node:path';
import { Chalk } from 'chalk';
import type { Finding, Fix } from '../types.js';
import { countBySeverity, type ReportContext } from './types.js';
import { escapeControl } from '../util/escape.js';

export function formatStylish(ctx: ReportContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const paint = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  for (const result of ctx.results) {
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const list = byFile.get(f.location.file) ?? [];
      list.push(f);
      byFile.set(f.location.file, list);
    }
    if (result.verdict) {
      const verdict = result.verdict === 'READY' ? c.green.bold('READY') : c.red.bold('NOT READY');
      out.push(`${c.bold(escapeControl(result.target))}: ${verdict}`);
    }
    for (const note of result.notes ?? []) out.push(c.dim(escapeControl(`${result.target}: ${note}`)));
    for (const [file, findings] of byFile) {
      out.push('', c.underline(escapeControl(displayPath(file, ctx.cwd))));
      const rows = findings.map((f) => [
        f.location.line > 0 ? `${f.location.line}:${f.location.column}` : '',
        f.severity,
        escapeControl(f.message),
        escapeControl(f.ruleId),
      ]);
      const w0 = Math.max(...rows.map((r) => r[0].length));
      const w1 = Math.max(...rows.map((r) => r[1].length));
      findings.forEach((f, i) => {
        const [pos, sev, msg, id] = rows[i];
        out.push(`  ${c.dim(pos.padEnd(w0))}  ${paint[f.severity](sev.padEnd(w1))}  ${msg}  ${c.dim(id)}`);
        const fixes = [...(f.fix ? [`fix: ${f.fix.description}`] : []), ...(f.suggestions ?? []).map((s) => `suggestion: ${s.description}`)];
        for (const line of fixes) out.push(`  ${' '.repeat(w0)}  ${' '.repeat(w1)}  ${c.dim('↳ ' + escapeControl(line))}`);
      });
    }
  }
  const n = countBySeverity(ctx.results);
  const total = n.error + n.warning + n.info;
  if (total > 0) {
    // Only fixes that change something count: explain's advice in words carries no edits.
    const applicable = (x: Fix) => x.edits.length > 0 || (x.rootfsOps?.length ?? 0) > 0;
    const all = ctx.results.flatMap((r) => r.findings);
    const fixable = all.filter((f) => f.fix && applicable(f.fix)).length;
    const suggestible = all.filter((f) => !(f.fix && applicable(f.fix)) && f.suggestions?.some(applicable)).length;
    const mark = n.error ? c.red.bold('✖') : n.warning ? c.yellow.bold('⚠') : c.blue.bold('ℹ');
    out.push('', `${mark} ${c.bold(`${total} problem${total === 1 ? '' : 's'} (${n.error} error${n.error === 1 ? '' : 's'}, ${n.warning} warning${n.warning === 1 ? '' : 's'}, ${n.info} info)`)}`);
    if (fixable) out.push(c.dim(`  ${fixable} fixable with --fix`));
    if (suggestible) out.push(c.dim(`  ${suggestible} with suggestions: --fix --suggestions (they change the container's behaviour)`));
  } else {
    out.push(c.green(`✔ no problems in ${ctx.results.length} target${ctx.results.length === 1 ? '' : 's'}`));
  }
  return out.join('\n') + '\n';
}

export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}
