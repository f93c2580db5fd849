/**
 * The tool's own settings file, `.ctcrrc` (INI): rules turned off or
 * re-ranked, the default format and failure threshold. Each target gets the
 * one nearest to it (walking up from the target), unless --config names one.
 *
 *   format = json
 *   fail-on = warning
 *   max-warnings = 0
 *   criu-version = 4.2
 *   lxc-version = 6.0
 *   rules-dir = ./ctcr-rules
 *   ignore-patterns = vendor/**, *.orig.conf
 *
 *   [rules]
 *   tty-nonzero = off
 *   console-enabled = warning
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import ini from 'ini';
import { readRegularFile, TEXT_FILE_CAP } from '../config/load.js';
import type { Severity } from '../types.js';
import { SEVERITIES } from '../types.js';
import { InputError } from '../errors.js';

export const FORMATS = ['stylish', 'compact', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface Settings {
  /** The file they came from, if any. */
  file?: string;
  format?: Format;
  failOn?: Severity;
  maxWarnings?: number;
  criuVersion?: string;
  lxcVersion?: string;
  rulesDirs: string[];
  /** Globs of paths not to lint, absolute (resolved from the settings file's folder). */
  ignorePatterns: string[];
  /** Rule id -> 'off' or a severity. */
  rules: Record<string, Severity | 'off'>;
}

export const RC_NAME = '.ctcrrc';
const TOP_KEYS = ['format', 'fail-on', 'max-warnings', 'criu-version', 'lxc-version', 'rules-dir', 'ignore-patterns'];

/** The nearest .ctcrrc at or above `start` (a file or directory). */
export function findSettingsFile(start: string): string | undefined {
  let dir = path.resolve(start);
  if (!existsSync(dir) || !isDirSync(dir)) dir = path.dirname(dir);
  for (;;) {
    const candidate = path.join(dir, RC_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDirSync(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function lineOf(text: string, needle: RegExp): number | undefined {
  const i = text.split(/\r?\n/).findIndex((l) => needle.test(l));
  return i < 0 ? undefined : i + 1;
}

export async function readSettings(file: string): Promise<Settings> {
  // A FIFO or device named as settings must not hang or fill memory: only a regular file, capped as configs are.
  const text = readRegularFile(file, TEXT_FILE_CAP, { file }, 'a settings file').toString('utf8');
  const data = ini.parse(text) as Record<string, unknown>;
  const fail = (key: string, what: string): never => {
    const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    throw new InputError(what, { file, line: lineOf(text, new RegExp(`^\\s*${esc}\\s*=`)) ?? lineOf(text, new RegExp(esc)), column: 1 });
  };
  const settings: Settings = { file, rulesDirs: [], ignorePatterns: [], rules: {} };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'rules') continue;
    if (!TOP_KEYS.includes(key)) fail(key, `unknown setting '${key}' (known: ${TOP_KEYS.join(', ')}, [rules])`);
    if (typeof value !== 'string') fail(key, `'${key}' needs a value`);
    const v = value as string;
    switch (key) {
      case 'format':
        if (!FORMATS.includes(v as Format)) fail(key, `format '${v}' is not one of ${FORMATS.join(', ')}`);
        settings.format = v as Format;
        break;
      case 'fail-on':
        if (!SEVERITIES.includes(v as Severity)) fail(key, `fail-on '${v}' is not one of ${SEVERITIES.join(', ')}`);
        settings.failOn = v as Severity;
        break;
      case 'max-warnings':
        if (!/^-?\d+$/.test(v)) fail(key, `max-warnings '${v}' is not a whole number`);
        settings.maxWarnings = Number(v);
        break;
      case 'criu-version':
        settings.criuVersion = v;
        break;
      case 'lxc-version':
        settings.lxcVersion = v;
        break;
      case 'rules-dir':
        settings.rulesDirs.push(path.resolve(path.dirname(file), v));
        break;
      case 'ignore-patterns':
        settings.ignorePatterns.push(...v.split(',').map((g) => g.trim()).filter(Boolean).map((g) => absoluteGlob(g, path.dirname(file))));
        break;
    }
  }
  const rules = data.rules;
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null) fail('rules', '[rules] must be a section');
    for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
      if (value !== 'off' && !SEVERITIES.includes(value as Severity)) {
        fail(id, `rule '${id}' = '${String(value)}': use off, ${SEVERITIES.join(', ')}`);
      }
      settings.rules[id] = value as Severity | 'off';
    }
  }
  return settings;
}

/** A glob relative to `base` made absolute; a pattern without a slash matches at any depth, as in .gitignore. */
export function absoluteGlob(glob: string, base: string): string {
  const bare = glob.replace(/\/+$/, '');
  const g = bare === glob ? glob : `${bare}/**`;
  if (path.isAbsolute(g)) return g;
  return path.join(base, bare.includes('/') ? g : `**/${g}`);
}

export const NO_SETTINGS: Settings = { rulesDirs: [], ignorePatterns: [], rules: {} };
