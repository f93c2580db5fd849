/**
 * `ctcr checkpoint NAME -D DIR` and `ctcr restore NAME -D DIR`: the doctor
 * first (refusing while an error remains, unless --force), then CRIU with
 * the options the facts call for, through lxc-checkpoint (default: LXC keeps
 * managing the container) or criu itself (--engine criu). A failure is
 * explained from CRIU's own log, exit 3.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Finding } from '../types.js';
import { EXIT, InputError } from '../errors.js';
import { isContainerName } from '../gather/lxcpath.js';
import { type ReportArgs, withReportOptions, loadSettings, loadRuleSetup, emitReport } from './common.js';

type Action = 'dump' | 'restore';

interface CheckpointArgs extends ReportArgs {
  name?: string;
  'name-opt'?: string;
  lxcpath?: string;
  dir?: string;
  engine?: 'lxc' | 'criu';
  force?: boolean;
  'explain-options'?: boolean;
  'dry-run'?: boolean;
  'leave-running'?: boolean;
  verbose?: boolean;
  retries?: number;
  timeout?: number;
  'probe-timeout'?: number;
  'pre-dump'?: boolean;
  'predump-dir'?: string;
}

function builder(action: Action) {
  return (y: Argv) =>
    withReportOptions(
      y
        .positional('name', { type: 'string', describe: 'The container' })
        .option('n', { alias: 'name-opt', type: 'string', describe: 'The container (as lxc-checkpoint -n)', group: 'Inputs:' })
        .option('lxcpath', { alias: 'P', type: 'string', describe: "Where containers live (default: LXC's, lxc.lxcpath of /etc/lxc/lxc.conf, else /var/lib/lxc)", group: 'Inputs:' })
        .option('dir', { alias: 'D', type: 'string', describe: action === 'dump' ? 'Checkpoint directory (created; must not hold a checkpoint)' : 'Checkpoint directory to restore from', group: 'Inputs:' })
        .option('engine', { choices: ['lxc', 'criu'] as const, default: 'lxc' as const, describe: 'lxc: through lxc-checkpoint (LXC keeps managing the container); criu: criu itself, as on CRIU\'s LXC page', group: 'Run:' })
        .option('force', { type: 'boolean', describe: 'Go ahead even when the doctor finds errors (says which it overrode)', group: 'Run:' })
        .option('explain-options', { type: 'boolean', describe: 'Print each CRIU option with the finding or fact that asked for it', group: 'Run:' })
        .option('dry-run', { type: 'boolean', describe: 'Print the command it would run (and the CRIU config file), run nothing', group: 'Run:' })
        .option('verbose', { alias: 'v', type: 'boolean', describe: "CRIU log level 4 (lxc-checkpoint -v): more detail in the log, a slower freeze", group: 'Run:' })
        .option('retries', { type: 'number', default: 3, describe: 'Retries after a transient failure (netlink data pending)', group: 'Run:' })
        .option('timeout', { type: 'number', default: 120, describe: `Deadline for ${action === 'dump' ? 'lxc-checkpoint/criu dump' : 'the restore'}, seconds: then ctcr kills it (its whole process group), thaws the container and exits 3`, group: 'Run:' })
        .option('probe-timeout', { type: 'number', default: 5000, describe: 'Limit for each doctor probe, ms', group: 'Run:' })
        .option('pre-dump', { type: 'boolean', hidden: true, describe: 'Pre-dump the memory only (lxc-checkpoint -p): the container keeps running (ctcr migrate\'s iterations)', group: 'Run:' })
        .option('predump-dir', { type: 'string', hidden: true, describe: 'The images of the previous pre-dump, relative to -D (lxc-checkpoint --predump-dir): only pages dirtied since are written', group: 'Run:' })
        .option('leave-running', { type: 'boolean', hidden: action !== 'dump', describe: 'Keep the container running after the checkpoint', group: 'Run:' })
        .example(`$0 ${action === 'dump' ? 'checkpoint' : 'restore'} web1 -D /var/tmp/web1.ckpt`, action === 'dump' ? 'check, then checkpoint web1 (it stops)' : 'restore web1 where it was checkpointed')
        .example(`$0 ${action === 'dump' ? 'checkpoint' : 'restore'} web1 -D /var/tmp/web1.ckpt --explain-options --dry-run`, 'which CRIU options, and why; run nothing'),
    ) as Argv<CheckpointArgs>;
}

/** CTCR_TIMING=1: when each step ended, in ms since the process started (for the benchmark's questions). */
const mark = (what: string) => {
  if (process.env.CTCR_TIMING) process.stderr.write(`ctcr timing: ${what} at ${performance.now().toFixed(0)} ms\n`);
};

async function handle(action: Action, args: CheckpointArgs, setExit: (code: number) => void): Promise<void> {
  const started = performance.now();
  mark('command parsed');
  const name = args.name ?? args['name-opt'];
  if (!name) throw new InputError(`name the container: ctcr ${action === 'dump' ? 'checkpoint' : 'restore'} NAME -D DIR`);
  if (!isContainerName(name)) throw new InputError(`'${name}' is not a container name`);
  if (!args.dir) throw new InputError('-D DIR is required: the checkpoint directory');
  const dir = path.resolve(args.dir);
  const engine = args.engine ?? 'lxc';
  const timeoutS = args.timeout ?? 120;
  if (!(timeoutS > 0)) throw new InputError(`--timeout ${args.timeout}: give a number of seconds above 0`);
  if (!((args['probe-timeout'] ?? 5000) > 0)) throw new InputError(`--probe-timeout ${args['probe-timeout']}: give a number of milliseconds above 0`);

  // The doctor's probes start first: the other modules compile while criu check and friends run.
  const [{ resolveLxcpath }, { preflight }] = await Promise.all([import('../engine/inspect.js'), import('../run/preflight.js')]);
  // LXC's global config names the lxcpath (as the doctor reads it): no lxc-config to wait for.
  const lxcpath = args.lxcpath ? path.resolve(args.lxcpath) : await resolveLxcpath(process.env);
  // Rules load while the probes run.
  const setup = (async () => {
    const settings = await loadSettings(args, path.join(lxcpath, name));
    return { settings, ...(await loadRuleSetup(args, settings)) };
  })();
  setup.catch(() => undefined); // reported where it is awaited
  const checking = preflight({ name, lxcpath, dir, action, env: process.env, timeoutMs: args['probe-timeout'] ?? 5000, setup });
  checking.catch(() => undefined); // reported where it is awaited
  mark('doctor started');
  const [
    { buildCriuCommand, workedAround },
    { runCriuCommand },
    { listImages, readDumpRecord, writeDumpRecord },
    { progressWanted, quietProgress, terminalProgress },
    result,
    { logFindings },
    { signatureTable },
    { VERSION },
    { criuVersionOf },
  ] = await Promise.all([
    import('../criu/command.js'),
    import('../run/runner.js'),
    import('../run/images.js'),
    import('../run/progress.js'),
    import('../run/result.js'),
    import('../run/diagnosis.js'),
    import('../criu/signatures.js'),
    import('../version.js'),
    import('../live/facts.js'),
  ]);
  mark('modules loaded');
  const say = (line: string) => process.stderr.write(line + '\n');
  const label = action === 'dump' ? 'checkpoint' : 'restore';
  const progress = progressWanted(process.stderr) && !args['dry-run'] ? terminalProgress(process.stderr, `${label} ${name}`) : quietProgress(say);

  try {
    progress.phase('doctor');
    const [checked, images, record] = await Promise.all([
      checking,
      action === 'restore' ? listImages(dir) : Promise.resolve([] as string[]),
      action === 'restore' ? readDumpRecord(dir) : Promise.resolve(undefined),
    ]);
    const { snapshot, findings } = checked;
    const { settings, rules } = await setup;
    mark(`doctor done (${checked.durationMs.toFixed(0)} ms)`);
    const container = snapshot.container!;
    if (!container.defined) throw new InputError(`no container '${name}' in ${lxcpath} (-P names another lxcpath)`);
    let inherited: { path: string; text: string } | undefined;
    const envConfig = process.env.CRIU_CONFIG_FILE;
    if (envConfig) {
      try {
        inherited = { path: envConfig, text: await readFile(envConfig, 'utf8') };
      } catch (err) {
        throw new InputError(`CRIU_CONFIG_FILE=${envConfig} cannot be read: ${(err as Error).message}`);
      }
    }
    const criuFacts = snapshot.host?.criu.ok ? snapshot.host.criu.value : null;
    const command = buildCriuCommand({
      action,
      engine,
      criuVersion: criuVersionOf(snapshot),
      name,
      lxcpath,
      dir,
      snapshot,
      findings,
      images,
      record,
      leaveRunning: args['leave-running'],
      verbose: Boolean(args.verbose),
      criuPath: criuFacts?.path,
      vethSuffix: Math.random().toString(36).slice(2, 8),
      ...(inherited ? { inheritedConfigFile: inherited } : {}),
      ...(args['pre-dump'] ? { leaveRunning: true } : {}),
    });
    if (action === 'dump' && (args['pre-dump'] || args['predump-dir'] !== undefined)) {
      // ctcr migrate's iterations: lxc-checkpoint's own pre-dump options (lxc src/lxc/criu.c: -p runs criu pre-dump; --predump-dir
      // adds --prev-images-dir DIR --track-mem), so LXC still builds the rest of the command line.
      if (engine !== 'lxc') throw new InputError('--pre-dump and --predump-dir go through lxc-checkpoint: use --engine lxc');
      if (args['pre-dump']) {
        command.args.push('-p');
        command.logFile = path.join(dir, 'pre-dump.log');
      }
      if (args['predump-dir'] !== undefined) command.args.push('--predump-dir', args['predump-dir']);
    }

    // Errors whose CRIU option the command carries are worked around, not in the way.
    const errors = findings.filter((f) => f.severity === 'error' && !workedAround(f, command));
    const solved = findings.filter((f) => f.severity === 'error' && workedAround(f, command));
    for (const f of solved) progress.note(`ctcr: ${f.ruleId}: worked around with ${f.criuOptions!.join(' ')} (${f.message})`);
    const target = { target: name, findings, verdict: (errors.length ? 'NOT READY' : 'READY') as 'READY' | 'NOT READY' };
    if (errors.length && !args.force) {
      progress.stop();
      await emitReport([target], rules, args, settings);
      say(`ctcr: not ${action === 'dump' ? 'checkpointing' : 'restoring'} ${name}: ${errors.length} error${errors.length === 1 ? ' remains' : 's remain'} (${[...new Set(errors.map((e) => e.ruleId))].join(', ')}); fix them (ctcr fix ${name} -P ${lxcpath} --suggestions applies the suggestions) or pass --force`);
      return setExit(EXIT.findings);
    }
    if (errors.length) {
      progress.note(`ctcr: --force: ${action === 'dump' ? 'checkpointing' : 'restoring'} ${name} despite ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((e) => `${e.ruleId} (${e.message})`).join('; ')}`);
    }

    // Not even --force makes these work: lxc-checkpoint refuses them before CRIU runs.
    if (action === 'dump' && container.state !== 'RUNNING' && container.state !== 'FROZEN') {
      throw new InputError(`container ${name} is ${container.state}: only a running container can be checkpointed`);
    }
    if (action === 'restore' && container.state !== 'STOPPED') {
      throw new InputError(`container ${name} is ${container.state}: stop it before restoring (lxc-stop -n ${name})`);
    }
    if (action === 'restore' && !images.includes('inventory.img')) {
      throw new InputError(`${dir} holds no checkpoint (no inventory.img)`);
    }

    if (args['explain-options'] || args['dry-run']) progress.stop();
    if (args['explain-options']) process.stdout.write(result.formatOptions(command));
    if (args['dry-run']) {
      process.stdout.write(result.formatDryRun(command));
      return setExit(EXIT.ok);
    }

    if (action === 'dump') {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    mark('command built');
    const outcome = await runCriuCommand({
      command,
      env: process.env,
      progress,
      signatures: signatureTable(rules),
      maxRetries: args.retries ?? 3,
      timeoutMs: timeoutS * 1000,
      container: { name, initPid: action === 'dump' ? container.initPid : null },
    });
    progress.stop();
    if (outcome.watchdog) {
      const w = outcome.watchdog;
      const thaw = w.thawed.length ? `thawed ${w.thawed.join(', ')}` : 'it was not frozen';
      const state = w.cgroups === 0 && !w.errors.length ? `${name} has no freezer cgroup (nothing to thaw)` : w.running ? `${name} runs again (not frozen)` : `${name} is STILL FROZEN (${[...w.stillFrozen, ...w.errors].join('; ') || 'no freezer cgroup found'}): thaw it by hand`;
      say(`ctcr: ${action} of ${name} ran past --timeout ${timeoutS} s: killed ${command.program} and its criu; ${thaw}; ${state}; CRIU's log: ${outcome.logFile}`);
      return setExit(EXIT.failed);
    }
    mark(`${command.program} done (${outcome.durationMs.toFixed(0)} ms)`);
    if (!outcome.ok) {
      const explanation = outcome.explanation!;
      const file = outcome.explained === 'log' ? outcome.logFile : `${command.program} output`;
      const failed = logFindings(explanation, file);
      const last = outcome.attempts[outcome.attempts.length - 1]!.result;
      const why = last.error ?? (last.signal ? `killed by ${last.signal}` : `exit code ${last.exitCode}`);
      say(`ctcr: ${action} of ${name} failed (${command.program}: ${why}); CRIU's log: ${outcome.logFile}`);
      const shown: Finding[] = failed.length
        ? failed
        : [{ ruleId: 'criu-error', severity: 'error', message: `${command.program} failed (${why}) and its log names no cause`, location: { file, line: 0, column: 0 } }];
      await emitReport([{ target: name, findings: shown, notes: [`${action} failed; explained from ${outcome.explained === 'log' ? outcome.logFile : `${command.program}'s error output`}`] }], rules, args, settings);
      return setExit(EXIT.failed);
    }
    if (action === 'dump') {
      await writeDumpRecord(dir, {
        ctcr: VERSION,
        engine,
        container: { name, lxcpath },
        criuVersion: command.criuVersion,
        options: command.options.filter((o) => o.route !== 'lxc-checkpoint' && o.source !== 'engine').map((o) => ({ words: o.words, why: o.why, ...(o.ruleId ? { ruleId: o.ruleId } : {}) })),
        at: new Date().toISOString(),
      });
    }
    const summary = result.summarize(outcome, { action, engine, container: name, lxcpath, dir, criuVersion: command.criuVersion }, performance.now() - started, checked.durationMs);
    if ((args.format ?? settings.format) === 'json') {
      const { writeFile } = await import('node:fs/promises');
      const text = JSON.stringify({ version: VERSION, result: summary, options: command.options, skipped: command.skipped, findings: findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message })) }, null, 2) + '\n';
      if (args.output) await writeFile(args.output, text);
      else process.stdout.write(text);
    } else {
      process.stdout.write(result.formatSummaryText(summary));
      const warnings = findings.filter((f) => f.severity === 'warning').length;
      if (warnings && !args.quiet) say(`ctcr: the doctor had ${warnings} warning${warnings === 1 ? '' : 's'} (ctcr doctor ${name} shows them)`);
    }
    setExit(EXIT.ok);
  } finally {
    progress.stop();
  }
}

function command(action: Action, setExit: (code: number) => void): CommandModule<object, CheckpointArgs> {
  const verb = action === 'dump' ? 'checkpoint' : 'restore';
  return {
    command: `${verb} [name]`,
    describe:
      action === 'dump'
        ? 'Check a running container, then checkpoint it with CRIU (the options the facts call for, each with its reason)'
        : 'Check, then restore a checkpointed container with CRIU',
    builder: builder(action),
    handler: (args) => handle(action, args, setExit),
  };
}

export function checkpointCommand(setExit: (code: number) => void): CommandModule<object, CheckpointArgs> {
  return command('dump', setExit);
}

export function restoreCommand(setExit: (code: number) => void): CommandModule<object, CheckpointArgs> {
  return command('restore', setExit);
}
