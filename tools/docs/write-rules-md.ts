/** `npm run docs`: regenerates docs/rules.md and the generated parts of docs/rules/<id>.md (keeping their hand-written part). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadRules } from '../../src/engine/load-rules.js';
import { rulesMarkdown } from './rules-md.js';
import { composePage, handPartOf } from './rule-page.js';

const docs = fileURLToPath(new URL('../../../docs/', import.meta.url));
const rules = await loadRules();
await writeFile(path.join(docs, 'rules.md'), rulesMarkdown(rules));
process.stdout.write(`wrote ${path.join(docs, 'rules.md')}\n`);
await mkdir(path.join(docs, 'rules'), { recursive: true });
let created = 0;
for (const rule of rules) {
  const file = path.join(docs, 'rules', `${rule.id}.md`);
  const old = await readFile(file, 'utf8').catch(() => undefined);
  const hand = old === undefined ? undefined : handPartOf(old);
  if (old !== undefined && hand === undefined) throw new Error(`${file}: no hand-written markers; not overwritten`);
  if (old === undefined) created++;
  await writeFile(file, composePage(rule, hand));
}
process.stdout.write(`wrote ${rules.length} pages in ${path.join(docs, 'rules')}${created ? ` (${created} new: write their Problem, Corrected and Exceptions)` : ''}\n`);
