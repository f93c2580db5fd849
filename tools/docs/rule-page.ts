/**
 * docs/rules/<id>.md: one page per rule. The head (summary, severity, scope,
 * messages, why, fix) and the tail (CRIU log lines, reference) are generated
 * from the rule module by `npm run docs`; between them, the part written by
 * hand: the problem (a config, the live facts or the CRIU log line that shows
 * it), the corrected version, and the exceptions. The hand part is kept when
 * a page is regenerated; a new rule gets empty sections to fill in (and
 * test/meta/rule-pages.test.ts fails until they are).
 */
import type { Rule } from '../../src/types.js';

export type PageRule = Pick<Rule, 'id' | 'severity' | 'summary' | 'scope' | 'docs' | 'messages' | 'fixable' | 'hasSuggestions' | 'logSignatures'>;

export const HAND_BEGIN = '<!-- written by hand: begin (npm run docs keeps this part) -->';
export const HAND_END = '<!-- written by hand: end -->';
export const HAND_SECTIONS = ['Problem', 'Corrected', 'Exceptions'] as const;

const SCOPE_WORDS: Record<Rule['scope'], string> = {
  static: 'static: `ctcr lint` and `ctcr doctor` check it from the files',
  live: 'live: `ctcr doctor` (and checkpoint/restore) check it on the running host and container',
  log: 'log: no fact shows it beforehand; `ctcr explain` recognises it in CRIU logs',
  target: 'target: `ctcr doctor NAME --target HOST` and `ctcr migrate` check it from both hosts\' facts',
};

function fixKinds(rule: PageRule): string {
  const kinds = [rule.fixable ? 'a fix (`ctcr fix`)' : '', rule.hasSuggestions ? 'a suggestion (`ctcr fix --suggestions`, or `--rule ' + rule.id + '`)' : ''].filter(Boolean);
  return kinds.length ? `Offers ${kinds.join(' and ')}.` : 'No automatic fix.';
}

export function pageHead(rule: PageRule): string {
  const out = [
    `<!-- Generated from rules/${rule.id}.ts by \`npm run docs\`, except the part written by hand. -->`,
    `# ${rule.id}`,
    '',
    `${rule.summary}`,
    '',
    `Severity ${rule.severity}; ${SCOPE_WORDS[rule.scope]}. ${fixKinds(rule)}`,
  ];
  if (rule.messages && Object.keys(rule.messages).length) {
    out.push('', 'Message ids (`messageId` in JSON, `message.id` in SARIF):', '');
    for (const [id, text] of Object.entries(rule.messages)) out.push(`- \`${id}\`: ${text}`);
  }
  out.push('', '## Why', '', rule.docs.why, '', '## Fix', '', rule.docs.fix, '');
  return out.join('\n');
}

export function pageTail(rule: PageRule): string {
  const out: string[] = [];
  const samples = (rule.logSignatures ?? []).flatMap((s) => s.samples);
  if (samples.length) {
    out.push('', '## CRIU log lines', '', 'Lines `ctcr explain` puts on this rule, with where each was seen:', '');
    for (const s of samples) out.push(`- \`${s.line.replace(/`/g, "'")}\`  `, `  (${s.source})`);
  }
  if (rule.docs.reference) out.push('', '## Reference', '', rule.docs.reference);
  return out.join('\n') + '\n';
}

export const EMPTY_HAND = HAND_SECTIONS.map((s) => `## ${s}\n\n`).join('');

/** The hand-written part of a page, without its markers; undefined when the page has none. */
export function handPartOf(page: string): string | undefined {
  const a = page.indexOf(HAND_BEGIN);
  const b = page.indexOf(HAND_END);
  if (a < 0 || b < a) return undefined;
  return page.slice(a + HAND_BEGIN.length, b).replace(/^\n/, '');
}

export function composePage(rule: PageRule, hand: string = EMPTY_HAND): string {
  return `${pageHead(rule)}\n${HAND_BEGIN}\n${hand.replace(/\n*$/, '\n')}${HAND_END}\n${pageTail(rule)}`;
}

/** The hand part's sections by title (`## Title` lines), in order. */
export function handSections(hand: string): { title: string; body: string }[] {
  const parts = hand.split(/^## /m).slice(1);
  return parts.map((p) => {
    const nl = p.indexOf('\n');
    return { title: (nl < 0 ? p : p.slice(0, nl)).trim(), body: nl < 0 ? '' : p.slice(nl + 1) };
  });
}

/** A fenced example: ```lxc fires / ```json passes / ```criu-log fires. */
export interface PageExample {
  lang: string;
  expect: 'fires' | 'passes';
  text: string;
  section: string;
}

export function examplesOf(hand: string): PageExample[] {
  const out: PageExample[] = [];
  for (const { title, body } of handSections(hand)) {
    for (const m of body.matchAll(/^```([\w-]+) (fires|passes)\n([\s\S]*?)^```$/gm)) {
      out.push({ lang: m[1]!, expect: m[2] as 'fires' | 'passes', text: m[3]!, section: title });
    }
  }
  return out;
}
