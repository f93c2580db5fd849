/**
 * What lint, doctor and fix share: the report options, the settings file,
 * the rules and assumptions, and printing a report with the exit code it means.
 */
import { writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import type { Assumptions, Finding, Rule, Severity } from '../types.js';
import { SEVERITIES } from '../types.js';
import { FORMATS, type Format, type Settings, NO_SETTINGS, findSettingsFile, readSettings } from '../engine/settings.js';
import type { ReportContext, TargetResult } from '../report/types.js';
import { exitCodeFor, reaches } from '../engine/outcome.js';
import { InputError } from '../errors.js';
import { VERSION } from '../version.js';

/** yargs drops a bare `-` (or makes it ''): main hands it to the commands as this token, "read standard input". */
export const STDIN_ARG = '<stdin>';

export interface ReportArgs {
  format?: Format;
  output?: string;
  'fail-on'?: Severity;
  'max-warnings'?: number;
  config?: string;
  'rules-dir'?: string[];
  'criu-version'?: string;
  'lxc-version'?: string;
  color?: boolean;
  quiet?: boolean;
}

/** How the target of a migration is reached and where things go there: the same options for doctor --target and migrate. */
export function withTargetOptions<T>(y: Argv<T>): Argv<T & { 'target-lxcpath'?: string; 'target-images-dir'?: string; 'ssh-command'?: string; 'remote-ctcr'?: string }> {
  return y
    .option('target-lxcpath', { type: 'string', describe: "The lxcpath on the target (default: the target's LXC default)", group: 'Migration:' })
    .option('target-images-dir', { type: 'string', describe: 'Where the images go on the target (default /var/tmp/ctcr-migrate/NAME)', group: 'Migration:' })
    .option('ssh-command', { type: 'string', describe: 'The ssh program and its options (default $CTCR_SSH, else ssh): e.g. "ssh -p 2222 -i KEY"', group: 'Migration:' })
    .option('remote-ctcr', { type: 'string', describe: 'The ctcr to run on the target (default $CTCR_REMOTE, else ctcr)', group: 'Migration:' });
}

export function withReportOptions<T>(y: Argv<T>): Argv<T & ReportArgs> {
  return y
    .option('format', { alias: 'f', choices: FORMATS, describe: 'Output format (default stylish, or the settings file\'s)', group: 'Output:' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout', group: 'Output:' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Report errors only', group: 'Output:' })
    .option('color', { type: 'boolean', describe: 'Colour the stylish output (default: on a terminal, never with NO_COLOR)', group: 'Output:' })
    .option('fail-on', { choices: SEVERITIES, describe: 'Exit 1 when a finding of this severity or worse remains (default error)', group: 'Gate:' })
    .option('max-warnings', { type: 'string', requiresArg: true, coerce: wholeNumber('--max-warnings'), describe: 'Exit 1 when there are more warnings than this (default: no limit)', group: 'Gate:' })
    .option('config', { alias: 'c', type: 'string', describe: 'Settings file (default: the nearest .ctcrrc above the target)', group: 'Rules:' })
    .option('rules-dir', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'Also load the rule modules (*.js) in this directory (repeat the flag for more)', group: 'Rules:' })
    .option('criu-version', { type: 'string', describe: 'CRIU version static checks judge for (default: the newest ctcr knows, never the installed one)', group: 'Rules:' })
    .option('lxc-version', { type: 'string', describe: 'LXC version static checks judge for (default 6.0, never the installed one)', group: 'Rules:' }) as Argv<T & ReportArgs>;
}

/** A whole number >= 0 (yargs' own number type turns 'abc' into NaN, silently). */
function wholeNumber(flag: string): (v: unknown) => number | undefined {
  return (v) => {
    if (v === undefined) return undefined;
    const text = String(Array.isArray(v) ? v[v.length - 1] : v);
    if (!/^\d+$/.test(text)) throw new InputError(`${flag} '${text}' is not a whole number (0 or more)`);
    return Number(text);
  };
}

/** The settings file in effect for `near`: --config, else the nearest .ctcrrc above it (or above the working directory). */
export function settingsFileFor(args: ReportArgs, near: string | undefined): string | undefined {
  return args.config ? path.resolve(args.config) : findSettingsFile(near ?? process.cwd());
}

const settingsCache = new Map<string, Promise<Settings>>();

export async function loadSettings(args: ReportArgs, near: string | undefined): Promise<Settings> {
  const file = settingsFileFor(args, near);
  if (!file) return NO_SETTINGS;
  let s = settingsCache.get(file);
  if (!s) settingsCache.set(file, (s = readSettings(file)));
  return s;
}

/** Settings' rule levels, with ids checked against the rules that exist. */
export function ruleLevels(settings: Settings, rules: readonly Rule[]): Settings['rules'] {
  const known = new Set(rules.map((r) => r.id));
  for (const id of Object.keys(settings.rules)) {
    if (!known.has(id)) throw new InputError(`[rules] names '${id}', which is not a rule (ctcr rules lists them)`, { file: settings.file });
  }
  return settings.rules;
}

/**
 * What a command judges with: the rules (built-in, the settings' rule
 * folders, --rules-dir), their levels from the settings, and the CRIU and
 * LXC versions to assume (--criu-version/--lxc-version, else the settings').
 */
export async function loadRuleSetup(args: ReportArgs, settings: Settings): Promise<{ rules: Rule[]; levels: Settings['rules']; assumptions: Assumptions; versionsNote: string }> {
  const [{ loadRules }, { resolveAssumptions, defaultVersions }] = await Promise.all([import('../engine/load-rules.js'), import('../engine/assumptions.js')]);
  const given = (args['rules-dir'] ?? []).map((d) => ({ dir: path.resolve(d), from: `--rules-dir ${d}`, file: undefined as string | undefined }));
  const dirs = [...settings.rulesDirs.map((dir) => ({ dir, from: `rules-dir ${dir}`, file: settings.file })), ...given];
  for (const d of dirs) {
    if (!existsSync(d.dir) || !statSync(d.dir).isDirectory()) throw new InputError(`${d.from}: no such directory`, d.file ? { file: d.file } : undefined);
  }
  const rules = await loadRules(dirs.map((d) => d.dir));
  const levels = ruleLevels(settings, rules);
  const assumptions = resolveAssumptions(args['criu-version'] ?? settings.criuVersion, args['lxc-version'] ?? settings.lxcVersion);
  return { rules, levels, assumptions, versionsNote: versionsNote(args, settings, defaultVersions()) };
}

/** Which versions a static run judged for, and where each came from: never the machine's installed CRIU or LXC. */
export function versionsNote(args: ReportArgs, settings: Settings, defaults: { criu: string; lxc: string }): string {
  const from = (flag: string | undefined, set: string | undefined, def: string, name: string) =>
    flag ? `${flag} (--${name})` : set ? `${set} (${name} in ${settings.file})` : `${def} (default)`;
  return `judged for CRIU ${from(args['criu-version'], settings.criuVersion, defaults.criu, 'criu-version')}, LXC ${from(args['lxc-version'], settings.lxcVersion, defaults.lxc, 'lxc-version')}`;
}

export function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined, env = process.env): boolean {
  if (flag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (flag === true || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0')) return true;
  return Boolean(stream.isTTY);
}

async function render(format: Format, ctx: ReportContext): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../report/json.js')).formatJson(ctx);
    case 'sarif':
      return (await import('../report/sarif.js')).formatSarif(ctx);
    case 'github':
      return (await import('../report/github.js')).formatGithub(ctx);
    case 'compact':
      return (await import('../report/compact.js')).formatCompact(ctx);
    default:
      return (await import('../report/stylish.js')).formatStylish(ctx);
  }
}

/** -o into a folder that is not there: a one-line error before any work, not a crash after it. */
export function checkOutputPath(file: string | undefined): void {
  if (!file) return;
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir)) throw new InputError(`cannot write the report: no folder ${dir}`, { file });
  if (!statSync(dir).isDirectory()) throw new InputError(`cannot write the report: ${dir} is not a folder`, { file });
}

/** The one line said when warnings exceed --max-warnings (as ESLint says it), or undefined. */
export function tooManyWarnings(findings: readonly Finding[], failOn: Severity, maxWarnings: number): string | undefined {
  if (maxWarnings < 0 || findings.some((f) => reaches(f.severity, failOn))) return undefined;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return warnings > maxWarnings ? `ctcr: too many warnings: ${warnings}, more than --max-warnings ${maxWarnings}` : undefined;
}

/**
 * Prints (or writes) the report and returns the exit code its findings mean.
 * --quiet, as ESLint's, shows errors only and counts only them: a hidden warning never fails the gate.
 */
export async function emitReport(results: TargetResult[], rules: readonly Rule[], args: ReportArgs, settings: Settings): Promise<number> {
  const shown = args.quiet ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) : results;
  const format = args.format ?? settings.format ?? 'stylish';
  checkOutputPath(args.output);
  const ctx: ReportContext = {
    results: shown,
    rules,
    color: !args.output && format === 'stylish' && useColor(process.stdout, args.color),
    cwd: process.cwd(),
    version: VERSION,
    repositoryUrl: (await import('../rule-page.js')).ownRepositoryUrl(),
  };
  const text = await render(format, ctx);
  if (args.output) {
    await writeFile(args.output, text).catch((err: Error) => {
      throw new InputError(`cannot write the report: ${err.message.replace(/^[A-Z]+: /, '')}`, { file: args.output });
    });
  } else process.stdout.write(text);
  const counted = shown.flatMap((r) => r.findings);
  const failOn = args['fail-on'] ?? settings.failOn ?? 'error';
  const maxWarnings = args['max-warnings'] ?? settings.maxWarnings ?? -1;
  const tooMany = tooManyWarnings(counted, failOn, maxWarnings);
  if (tooMany) process.stderr.write(tooMany + '\n');
  return exitCodeFor(counted, failOn, maxWarnings);
}
