/** `ctcr fix`: applies the fixes rules return as data, safely; `ctcr lint --fix` runs the same code (runFix). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Rule, Snapshot } from '../types.js';
import type { Settings } from '../engine/settings.js';
import type { StaticTarget } from '../gather/static.js';
import type { RuleLevels } from '../engine/evaluate.js';
import type { FixOutcome, FixSubject } from '../fix/engine.js';
import type { TargetResult } from '../report/types.js';
import { EXIT, InputError } from '../errors.js';
import { isContainerName } from '../gather/lxcpath.js';
import { type ReportArgs, withReportOptions, loadSettings, loadRuleSetup, emitReport } from './common.js';

/** The flags that choose and show fixes, shared with `ctcr lint --fix`. */
export interface FixFlags {
  'dry-run'?: boolean;
  suggestions?: boolean;
  rule?: string[];
}

interface FixArgs extends ReportArgs, FixFlags {
  targets: string[];
  name?: string[];
  lxcpath?: string;
  rootfs?: string;
  image?: string;
  undo?: string;
  runs?: boolean;
  timeout?: number;
}

/** What `ctcr fix` was asked to fix: files (as lint reads them) or a container on this host (as the doctor inspects it). */
type FixTarget = { kind: 'path'; target: StaticTarget } | { kind: 'name'; name: string; lxcpath: string };

/** NAME (a container in the lxcpath) or PATH (config file, container directory, folder of containers, glob). */
async function resolveFixTargets(args: FixArgs): Promise<FixTarget[]> {
  const { resolveTargets } = await import('../engine/targets.js');
  const { resolveLxcpath } = await import('../gather/lxcpath.js');
  const defaultLxcpath = () => resolveLxcpath(process.env);
  let lxcpath: string | undefined = args.lxcpath ? path.resolve(args.lxcpath) : undefined;
  const byName = async (name: string): Promise<FixTarget> => {
    if (!isContainerName(name)) throw new InputError(`'${name}' is neither a file, a directory nor a container name`);
    if (args.rootfs || args.image) throw new InputError(`--rootfs and --image go with a PATH; a container name (${name}) is inspected where it lives`);
    lxcpath ??= await defaultLxcpath();
    const configPath = path.join(lxcpath, name, 'config');
    if (!existsSync(configPath)) throw new InputError(`no container '${name}' in ${lxcpath} (no ${configPath}; -P names another lxcpath)`);
    return { kind: 'name', name, lxcpath };
  };
  const targets: FixTarget[] = [];
  for (const t of args.targets) {
    // A bare word is a container of the lxcpath when there is one of that name, else a path if it exists; `./x` is always a path.
    const bare = isContainerName(t);
    if (bare && existsSync(path.join((lxcpath ??= await defaultLxcpath()), t, 'config'))) targets.push(await byName(t));
    else if (!bare || existsSync(t)) {
      for (const target of await resolveTargets([t], { rootfs: args.rootfs, image: args.image })) targets.push({ kind: 'path', target });
    } else targets.push(await byName(t));
  }
  for (const n of args.name ?? []) targets.push(await byName(n));
  return targets;
}

export interface FixContext {
  rules: readonly Rule[];
  levels: RuleLevels;
  assumptions: Snapshot['assumptions'];
  settings: Settings;
}

/** The subject of a file target; when its config is a container's, the fixer asks whether it runs once a fix touches it. */
async function pathSubject(target: StaticTarget, ctx: FixContext): Promise<FixSubject> {
  const { staticSubject } = await import('../fix/engine.js');
  const subject = staticSubject(target, ctx.rules, { levels: ctx.levels, assumptions: ctx.assumptions });
  const container = target.configPath ? containerOfConfig(target.configPath) : undefined;
  return container ? { ...subject, container } : subject;
}

/** Name and lxcpath of a container whose config is `<lxcpath>/<name>/config`, as LXC lays them out. */
function containerOfConfig(configPath: string): { name: string; lxcpath: string } | undefined {
  if (path.basename(configPath) !== 'config') return undefined;
  const dir = path.dirname(path.resolve(configPath));
  return { name: path.basename(dir), lxcpath: path.dirname(dir) };
}

/** Whether the containers whose configs a fix touched run (their config is read again only at the next start). Asked of those alone. */
async function askWhetherRunning(outcome: FixOutcome): Promise<void> {
  const asking = outcome.subjects.filter((s) => s.subject.container && s.subject.running === undefined && (s.plan.changedFiles.length > 0 || s.rootfsOps.length > 0));
  if (asking.length === 0) return;
  const { findContainerInit } = await import('../gather/container.js');
  await Promise.all(asking.map(async (s) => {
    const { name, lxcpath } = s.subject.container!;
    s.subject.running = (await findContainerInit(name, lxcpath, { timeoutMs: 10_000 })).state !== 'STOPPED';
  }));
}

/** Fixes file `targets` and reports what remains; returns the exit code. Used by `ctcr lint --fix`. */
export async function runFix(targets: readonly StaticTarget[], ctx: FixContext, args: ReportArgs & FixFlags): Promise<number> {
  const subjects = await Promise.all(targets.map((t) => pathSubject(t, ctx)));
  const outcome = await fixAndSummarize(subjects, ctx, args);
  return reportAfterFix(outcome.results, outcome.dryRun, ctx, args);
}

/**
 * The fixer with its CLI output, for any subjects (`ctcr doctor --fix` passes
 * live ones): says what it does (stderr, each line after `ctcr COMMAND:`),
 * prints the diff of a dry run (stdout), writes the run. The caller reports
 * what remains (reportAfterFix).
 */
export async function fixAndSummarize(subjects: readonly FixSubject[], ctx: Pick<FixContext, 'rules'>, args: ReportArgs & FixFlags, command = 'fix'): Promise<FixOutcome> {
  const [{ fixSubjects }, { formatFixSummary }, { interruptedRuns }] = await Promise.all([
    import('../fix/engine.js'),
    import('../fix/summary.js'),
    import('../fix/write.js'),
  ]);
  const say = (line: string) => process.stderr.write(line + '\n');
  const dryRun = Boolean(args['dry-run']);
  for (const run of await interruptedRuns({ tidy: !dryRun })) {
    say(`ctcr ${command}: note: run ${run.runId} was interrupted (process ${run.pid} ended before it finished); every file it touched is whole, old or new; ctcr fix --undo ${run.runId} puts back what it changed`);
  }
  const selection = { suggestions: Boolean(args.suggestions), rules: args.rule ?? [] };
  const known = new Set(ctx.rules.map((r) => r.id));
  for (const id of selection.rules) if (!known.has(id)) throw new InputError(`--rule ${id}: no such rule (ctcr rules lists them)`);
  const outcome = await fixSubjects(subjects, { selection, dryRun, argv: process.argv.slice(2), note: (l) => say(`ctcr ${command}: ${l}`) });
  if (dryRun) process.stdout.write(outcome.diff);
  await askWhetherRunning(outcome);
  for (const line of formatFixSummary(outcome, selection, process.cwd())) say(line);
  return outcome;
}

/**
 * Reports what remains after fixing (`results`) and returns the exit code; a
 * dry run keeps stdout for the diff, so its report goes to -o FILE or stderr.
 */
export async function reportAfterFix(results: TargetResult[], dryRun: boolean, ctx: Pick<FixContext, 'rules' | 'settings'>, args: ReportArgs & FixFlags): Promise<number> {
  if (!dryRun || args.output) return emitReport(results, ctx.rules, args, ctx.settings);
  const [{ formatStylish }, { VERSION }, { exitCodeFor }] = await Promise.all([import('../report/stylish.js'), import('../version.js'), import('../engine/outcome.js')]);
  const shown = args.quiet ? results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) : results;
  process.stderr.write(formatStylish({ results: shown, rules: ctx.rules, color: false, cwd: process.cwd(), version: VERSION }));
  return exitCodeFor(
    results.flatMap((r) => r.findings),
    args['fail-on'] ?? ctx.settings.failOn ?? 'error',
    args['max-warnings'] ?? ctx.settings.maxWarnings ?? -1,
  );
}

/** In a CI job (CI set, or standard input not a terminal) a bare `--undo` is an error, as a bare `ctcr lint` is: "the last run of this machine" is nobody's intent there. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  return (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') || !process.stdin.isTTY;
}

/**
 * What `--undo` names: `--undo RUNID`; `ctcr fix FILE --undo` (also `--undo
 * FILE`), the newest run that touched FILE (or, for a folder, anything under
 * it); `ctcr fix NAME --undo`, the newest run on that container; with no
 * target, on a terminal only, the newest run recorded.
 */
async function undoSelector(args: FixArgs): Promise<import('../fix/write.js').UndoSelector> {
  const { isRunId } = await import('../fix/write.js');
  const value = args.undo ?? '';
  const named = [...args.targets, ...(value && !isRunId(value) ? [value] : [])];
  const names = args.name ?? [];
  if (value && isRunId(value)) {
    if (named.length || names.length) throw new InputError(`--undo ${value} names a run; drop the targets (${[...named, ...names].join(' ')}) or the run id`);
    return { kind: 'run', runId: value };
  }
  if (named.length + names.length > 1) throw new InputError(`--undo undoes one run: name one file, container or run id (got ${[...named, ...names].join(' ')})`);
  const { resolveLxcpath } = await import('../gather/lxcpath.js');
  const lxcpath = args.lxcpath ? path.resolve(args.lxcpath) : undefined;
  const container = async (name: string) => {
    const dir = path.join(lxcpath ?? (await resolveLxcpath(process.env)), name);
    return { kind: 'container' as const, name, dir };
  };
  if (names.length) return container(names[0]);
  if (named.length) {
    const t = named[0];
    // As for fixing: a bare word is a container of the lxcpath when there is one of that name, else a path.
    if (isContainerName(t)) {
      const c = await container(t);
      if (existsSync(path.join(c.dir, 'config')) || !existsSync(t)) return c;
    }
    return { kind: 'path', path: path.resolve(t) };
  }
  if (inCi(process.env)) {
    throw new InputError(
      '--undo needs what to undo: ctcr fix FILE --undo, ctcr fix NAME --undo or ctcr fix --undo RUNID (ctcr fix --runs lists them); in CI (CI set, or stdin not a terminal) ctcr does not undo the last run of the machine',
    );
  }
  return { kind: 'last' };
}

async function undo(args: FixArgs): Promise<number> {
  const { undoRun } = await import('../fix/write.js');
  const { formatUndo } = await import('../fix/summary.js');
  const report = await undoRun(await undoSelector(args));
  for (const line of formatUndo(report, process.cwd())) process.stderr.write(line + '\n');
  return report.skipped.length ? EXIT.input : EXIT.ok;
}

async function listRecordedRuns(): Promise<number> {
  const { listRuns, runsDir } = await import('../fix/write.js');
  const runs = await listRuns();
  if (runs.length === 0) process.stdout.write(`no runs recorded in ${runsDir()}\n`);
  for (const r of runs) {
    process.stdout.write(`${r.runId}  ${r.status.padEnd(11)}  ${[...r.files.map((f) => f.file), ...r.rootfsOps.map((o) => `${o.rootDir}:${o.op.from}`)].join(' ')}\n`);
  }
  return EXIT.ok;
}

export function withFixOptions<T>(y: Argv<T>): Argv<T & FixFlags> {
  return y
    .option('dry-run', { type: 'boolean', describe: 'Print the unified diff of every file it would change and the rootfs operations it would do (stdout; the report goes to stderr or -o FILE); write nothing', group: 'Fixing:' })
    .option('suggestions', { type: 'boolean', describe: "Also apply every suggestion (fixes that change the container's behaviour: console off, ttys to 0...)", group: 'Fixing:' })
    .option('rule', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: "Also apply this rule's suggestions (repeat the flag for more: --rule A --rule B)", group: 'Fixing:' }) as Argv<T & FixFlags>;
}

export function fixCommand(setExit: (code: number) => void): CommandModule<object, FixArgs> {
  return {
    command: 'fix [targets..]',
    describe: 'Apply the fixes rules offer to container configs (and rootfs), atomically, with backups; undo a run',
    builder: (y: Argv) =>
      withReportOptions(
        withFixOptions(
          y
            .positional('targets', {
              type: 'string',
              array: true,
              default: [],
              describe: 'Container names (in the lxcpath: judged with their live facts, as the doctor does), or config files, container directories, globs (their files only, as lint does)',
            })
            .option('name', { alias: 'n', type: 'string', array: true, describe: 'A container name (repeatable)', group: 'Inputs:' })
            .option('lxcpath', { alias: 'P', type: 'string', describe: "Where containers live (default: LXC's, lxc.lxcpath of /etc/lxc/lxc.conf, else /var/lib/lxc)", group: 'Inputs:' })
            .option('rootfs', { type: 'string', describe: 'The root filesystem directory to inspect and fix instead of the one the config names', group: 'Inputs:' })
            .option('image', { type: 'string', describe: 'A rootfs image (read only: rootfs operations are listed, not done)', group: 'Inputs:' })
            .conflicts('rootfs', 'image')
            .option('timeout', { type: 'number', describe: 'Limit for each live probe of a container given by name, in ms (default 5000)', group: 'Inputs:' })
            .option('undo', {
              type: 'string',
              describe:
                'Put back what a run changed, from its backups, and remove them: --undo RUNID that run; FILE --undo the newest run that touched FILE; ' +
                'NAME --undo the newest run on that container; a bare --undo, on a terminal only, the newest run recorded (in CI an error)',
              group: 'Fixing:',
            })
            .option('runs', { type: 'boolean', describe: 'List the recorded runs (the journal: $CTCR_STATE_DIR/runs, else /var/lib/ctcr/runs for root, else ${XDG_STATE_HOME:-~/.local/state}/ctcr/runs)', group: 'Fixing:' })
            .example('$0 fix web1', 'fix the container web1 in /var/lib/lxc (behaviour-keeping fixes only)')
            .example('$0 fix web1 --dry-run | less', 'see the diff first')
            .example('$0 fix web1 --suggestions', "also apply the suggestions (they change the container's behaviour)")
            .example('$0 fix web1 --rule tty-nonzero', "also apply one rule's suggestions")
            .example('$0 fix web1 --undo', 'put back what the newest run on web1 changed')
            .example('$0 fix --undo 20260827T101112345Z-3f2a', 'put back one run (ctcr fix --runs lists them)')
            .epilog(
              'Every run is recorded (what it changed, where the backups are) in $CTCR_STATE_DIR/runs, else /var/lib/ctcr/runs for root, ' +
                'else ${XDG_STATE_HOME:-~/.local/state}/ctcr/runs; set CTCR_STATE_DIR to keep the journal elsewhere.',
            ),
        ),
      ) as Argv<FixArgs>,
    handler: async (args) => {
      if (args.runs) return setExit(await listRecordedRuns());
      if (args.undo !== undefined) return setExit(await undo(args));
      const targets = await resolveFixTargets(args);
      if (targets.length === 0) throw new InputError('name what to fix: ctcr fix NAME, ctcr fix PATH..., or ctcr fix -n NAME');
      const { liveSubject } = await import('../fix/live-subject.js');
      const first = targets[0];
      const settings = await loadSettings(args, first.kind === 'name' ? path.join(first.lxcpath, first.name) : first.target.configPath ?? first.target.image ?? first.target.rootfsDir);
      const { rules, levels, assumptions } = await loadRuleSetup(args, settings);
      const ctx: FixContext = { rules, levels, assumptions, settings };
      const subjects = await Promise.all(
        targets.map((t) =>
          t.kind === 'name'
            ? liveSubject(t.name, t.lxcpath, rules, { levels, assumptions, env: process.env, timeoutMs: args.timeout ?? 5000 })
            : pathSubject(t.target, ctx),
        ),
      );
      const outcome = await fixAndSummarize(subjects, ctx, args);
      setExit(await reportAfterFix(outcome.results, outcome.dryRun, ctx, args));
    },
  };
}
