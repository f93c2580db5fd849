/**
 * Finds and validates rule modules: the built-in ones compiled from rules/,
 * and a user's own from --rules-dir. A module that is not a valid rule is an
 * input error (exit 2), not a crash later.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fg from 'fast-glob';
import type { Rule } from '../types.js';
import { SEVERITIES } from '../types.js';
import { InputError } from '../errors.js';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function validate(candidate: unknown, file: string): Rule {
  const rule = candidate as Partial<Rule> | undefined;
  const problem = (what: string) => new InputError(`not a ctcr rule: ${what}`, { file });
  if (!rule || typeof rule !== 'object') throw problem('the module has no default export object');
  if (typeof rule.id !== 'string' || !KEBAB.test(rule.id)) throw problem(`id '${String(rule.id)}' is not kebab-case`);
  const base = path.basename(file).replace(/\.(c|m)?js$/, '');
  if (base !== rule.id) throw problem(`id '${rule.id}' differs from the file name '${base}'`);
  if (!SEVERITIES.includes(rule.severity as never)) throw problem(`severity '${String(rule.severity)}' is not one of ${SEVERITIES.join(', ')}`);
  if (typeof rule.summary !== 'string' || rule.summary.includes('\n')) throw problem('summary must be one line of text');
  if (!rule.docs || typeof rule.docs.why !== 'string' || typeof rule.docs.fix !== 'string') throw problem('docs.why and docs.fix are required');
  if (rule.scope !== 'static' && rule.scope !== 'live') throw problem("scope must be 'static' or 'live'");
  if (typeof rule.check !== 'function') throw problem('check is not a function');
  return rule as Rule;
}

async function loadDir(dir: string): Promise<Rule[]> {
  const files = (await fg(['*.js', '*.mjs', '*.cjs'], { cwd: dir, absolute: true, onlyFiles: true })).sort();
  return Promise.all(
    files.map(async (file) => {
      let mod: { default?: unknown };
      try {
        mod = await import(pathToFileURL(file).href);
      } catch (err) {
        throw new InputError(`cannot load rule module: ${(err as Error).message.split('\n')[0]}`, { file });
      }
      return validate(mod.default, file);
    }),
  );
}

/** Built-in rules plus those in `extraDirs`, sorted by id; ids must be unique. */
export async function loadRules(extraDirs: readonly string[] = []): Promise<Rule[]> {
  const sets = await Promise.all([BUILTIN_RULES_DIR, ...extraDirs].map(loadDir));
  const byId = new Map<string, Rule>();
  for (const rule of sets.flat()) {
    if (byId.has(rule.id)) throw new InputError(`two rules have the id '${rule.id}'`);
    byId.set(rule.id, rule);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
