/**
 * What lint, doctor and fix share: the report options, the settings file,
 * the rules and assumptions, and printing a report with the exit code it means.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv } from 'yargs';
import type { Assumptions, Rule, Severity } from '../types.js';
import { SEVERITIES } from '../types.js';
import { FORMATS, type Format, type Settings, findSettingsFile, readSettings } from '../engine/settings.js';
import type { ReportContext, TargetResult } from '../report/types.js';
import { exitCodeFor } from '../engine/outcome.js';
import { InputError } from '../errors.js';
import { VERSION } from '../version.js';

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

export function withReportOptions<T>(y: Argv<T>): Argv<T & ReportArgs> {
  return y
    .option('format', { alias: 'f', choices: FORMATS, describe: 'Output format (default stylish, or the settings file\'s)', group: 'Output:' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout', group: 'Output:' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Report errors only', group: 'Output:' })
    .option('color', { type: 'boolean', describe: 'Colour the stylish output (default: on a terminal, never with NO_COLOR)', group: 'Output:' })
    .option('fail-on', { choices: SEVERITIES, describe: 'Exit 1 when a finding of this severity or worse remains (default error)', group: 'Gate:' })
    .option('max-warnings', { type: 'number', describe: 'Exit 1 when there are more warnings than this (default: no limit)', group: 'Gate:' })
    .option('config', { alias: 'c', type: 'string', describe: 'Settings file (default: the nearest .ctcrrc above the target)', group: 'Rules:' })
    .option('rules-dir', { type: 'string', array: true, describe: 'Also load the rule modules (*.js) in this directory', group: 'Rules:' })
    .option('criu-version', { type: 'string', describe: 'CRIU version to judge against when none is installed (default: newest known)', group: 'Rules:' })
    .option('lxc-version', { type: 'string', describe: 'LXC version to judge against (default 6.0)', group: 'Rules:' }) as Argv<T & ReportArgs>;
}

export async function loadSettings(args: ReportArgs, near: string | undefined): Promise<Settings> {
  const file = args.config ? path.resolve(args.config) : near ? findSettingsFile(near) : findSettingsFile(process.cwd());
  return file ? readSettings(file) : { rulesDirs: [], rules: {} };
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
export async function loadRuleSetup(args: ReportArgs, settings: Settings): Promise<{ rules: Rule[]; levels: Settings['rules']; assumptions: Assumptions }> {
  const [{ loadRules }, { resolveAssumptions }] = await Promise.all([import('../engine/load-rules.js'), import('../engine/assumptions.js')]);
  const rules = await loadRules([...settings.rulesDirs, ...(args['rules-dir'] ?? []).map((d) => path.resolve(d))]);
  const levels = ruleLevels(settings, rules);
  const assumptions = resolveAssumptions(args['criu-version'] ?? settings.criuVersion, args['lxc-version'] ?? settings.lxcVersion);
  return { rules, levels, assumptions };
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
    default:
      return (await import('../report/stylish.js')).formatStylish(ctx);
  }
}

/** Prints (or writes) the report and returns the exit code its findings mean. */
export async function emitReport(results: TargetResult[], rules: readonly Rule[], args: ReportArgs, settings: Settings): Promise<number> {
  const shown = args.quiet ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) : results;
  const format = args.format ?? settings.format ?? 'stylish';
  const ctx: ReportContext = {
    results: shown,
    rules,
    color: !args.output && format === 'stylish' && useColor(process.stdout, args.color),
    cwd: process.cwd(),
    version: VERSION,
  };
  const text = await render(format, ctx);
  if (args.output) await writeFile(args.output, text);
  else process.stdout.write(text);
  return exitCodeFor(
    results.flatMap((r) => r.findings),
    args['fail-on'] ?? settings.failOn ?? 'error',
    args['max-warnings'] ?? settings.maxWarnings ?? -1,
  );
}
