/**
 * Finds and validates rule modules: the built-in ones compiled from rules/,
 * and a user's own from --rules-dir. A module that is not a valid rule is an
 * input error (exit 2), not a crash later.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readdir, stat } from 'node:fs/promises';
import type { Rule } from '../types.js';
import { SEVERITIES } from '../types.js';
import { InputError } from '../errors.js';
import { byId } from '../util/compare.js';

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
  if (rule.scope !== 'static' && rule.scope !== 'live' && rule.scope !== 'log' && rule.scope !== 'target') throw problem("scope must be 'static', 'live', 'log' or 'target'");
  if (rule.scope !== 'log' && typeof rule.check !== 'function') throw problem('check is not a function');
  if (rule.messages !== undefined && (typeof rule.messages !== 'object' || rule.messages === null || Object.values(rule.messages).some((m) => typeof m !== 'string' || m.includes('\n')))) {
    throw problem('messages must map message ids to one line of text each');
  }
  if (rule.logSignatures !== undefined && (!Array.isArray(rule.logSignatures) || rule.logSignatures.some((s) => !(s?.pattern instanceof RegExp) || typeof s.explain !== 'function'))) {
    throw problem('logSignatures must be a list of { pattern: RegExp, explain(match, ctx), samples }');
  }
  const area = rule.logArea;
  if (
    area !== undefined &&
    (typeof area?.name !== 'string' || !Array.isArray(area.files) || area.files.some((f) => typeof f !== 'string') || (area.mentions !== undefined && !(area.mentions instanceof RegExp)))
  ) {
    throw problem('logArea must be { name: string, files: string[], mentions?: RegExp, generic?: boolean }');
  }
  return rule as Rule;
}

const MODULE_NAME = /^[^.].*\.(c|m)?js$/;

/**
 * The rule modules in `dir`: `*.js`, `*.mjs`, `*.cjs`, not hidden, files or
 * links to files; none when the folder does not exist. A plain readdir, not
 * a glob: loading fast-glob cost ~25 ms of every start-up (BENCHMARKS.md).
 */
async function moduleFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: string[] = [];
  for (const e of entries) {
    if (!MODULE_NAME.test(e.name)) continue;
    const file = path.join(dir, e.name);
    if (e.isFile() || (e.isSymbolicLink() && (await stat(file).then((s) => s.isFile(), () => false)))) files.push(file);
  }
  return files.sort();
}

async function loadDir(dir: string): Promise<Rule[]> {
  const files = await moduleFiles(dir);
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
  const rules = new Map<string, Rule>();
  for (const rule of sets.flat()) {
    if (rules.has(rule.id)) throw new InputError(`two rules have the id '${rule.id}'`);
    rules.set(rule.id, rule);
  }
  return [...rules.values()].sort(byId);
}
