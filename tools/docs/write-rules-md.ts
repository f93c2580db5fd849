/** `npm run docs`: regenerates docs/rules.md. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../../src/engine/load-rules.js';
import { rulesMarkdown } from './rules-md.js';

const target = fileURLToPath(new URL('../../../docs/rules.md', import.meta.url));
await writeFile(target, rulesMarkdown(await loadRules()));
process.stdout.write(`wrote ${target}\n`);
