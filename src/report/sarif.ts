/**
 * SARIF 2.1.0, as GitHub code scanning takes it: rule metadata with help
 * text, one result per finding, paths relative to the working directory
 * (the repository root in CI), fixes as artifact changes.
 */
import path from 'node:path';
import type { Finding, Fix } from '../types.js';
import type { ReportContext } from './types.js';
import { byId } from '../util/compare.js';
import { rulePageLink, rulePagePath } from '../rule-page.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function uri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (!path.isAbsolute(file)) return { uri: file.split(path.sep).join('/') };
  const rel = path.relative(cwd, file);
  if (!rel.startsWith('..')) return { uri: rel.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: 'file://' + file.split(path.sep).map(encodeURIComponent).join('/') };
}

/** Replacements are character ranges of the file as it was read. */
function sarifFix(fix: Fix, cwd: string) {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return {
    description: { text: fix.description },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: uri(file, cwd),
      replacements: edits.map((e) => ({
        deletedRegion: { charOffset: e.start, charLength: e.end - e.start },
        insertedContent: { text: e.text },
      })),
    })),
  };
}

export function formatSarif(ctx: ReportContext): string {
  const rules = [...ctx.rules].sort(byId);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = ctx.results.flatMap((r) =>
    r.findings.map((f: Finding) => {
      const region = f.location.line > 0 ? { region: { startLine: f.location.line, startColumn: Math.max(1, f.location.column) } } : {};
      const fixes = [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])].filter((x) => x.edits.length > 0);
      return {
        ruleId: f.ruleId,
        ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
        level: LEVEL[f.severity],
        // SARIF 2.1.0 §3.11: a message may carry both its text and the id of the rule's message string (reportingDescriptor.messageStrings).
        message: { text: f.message, ...(f.messageId ? { id: f.messageId } : {}) },
        locations: [{ physicalLocation: { artifactLocation: uri(f.location.file, ctx.cwd), ...region } }],
        ...(fixes.length ? { fixes: fixes.map((x) => sarifFix(x, ctx.cwd)) } : {}),
      };
    }),
  );
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ctcr',
            version: ctx.version,
            rules: rules.map((r) => {
              // helpUri must be an absolute URI (the schema's format "uri"): the repository's page, else the installed one (file:).
              const url = rulePageLink(r.id, ctx.repositoryUrl, ctx.version);
              const page = url ?? rulePagePath(r.id);
              return {
                id: r.id,
                name: r.id.replace(/(^|-)([a-z])/g, (_, __, ch: string) => ch.toUpperCase()),
                shortDescription: { text: r.summary },
                fullDescription: { text: r.docs.why },
                help: {
                  text: `${r.docs.why}\n\nFix: ${r.docs.fix}\n\nExamples and exceptions: ${page}`,
                  markdown: `${r.docs.why}\n\n**Fix:** ${r.docs.fix}${r.docs.reference ? `\n\nSee ${r.docs.reference}` : ''}\n\nExamples and exceptions: [${rulePagePath(r.id)}](${page})`,
                },
                ...(url ? { helpUri: url } : {}),
                ...(r.messages ? { messageStrings: Object.fromEntries(Object.entries(r.messages).map(([id, text]) => [id, { text }])) } : {}),
                defaultConfiguration: { level: LEVEL[r.severity] },
              };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + ctx.cwd.split(path.sep).map(encodeURIComponent).join('/') + '/' } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
