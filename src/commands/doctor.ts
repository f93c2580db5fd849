/**
 * `ctcr doctor [NAME...]`: the live preflight. Gathers the host and the
 * containers at once, runs every rule (static and live) and says, per
 * target, READY or NOT READY with the fix for each error. Same formats and
 * exit codes as `ctcr lint`.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Rule, Snapshot } from '../types.js';
import type { RuleLevels } from '../engine/evaluate.js';
import type { Inspection } from '../engine/inspect.js';
import type { Settings } from '../engine/settings.js';
import type { TargetResult } from '../report/types.js';
import { EXIT, InputError } from '../errors.js';
import { type ReportArgs, withReportOptions, withTargetOptions, loadSettings, loadRuleSetup, emitReport } from './common.js';
import { type FixFlags, fixAndSummarize, reportAfterFix, withFixOptions } from './fix.js';
import { escapeControl } from '../util/escape.js';

interface DoctorArgs extends ReportArgs, FixFlags {
  names: string[];
  name?: string[];
  lxcpath?: string;
  'checkpoint-dir'?: string;
  restore?: boolean;
  'probe-timeout': number;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  target?: string;
  'target-lxcpath'?: string;
  'target-images-dir'?: string;
  'ssh-command'?: string;
  'remote-ctcr'?: string;
}

interface DoctorContext {
  rules: readonly Rule[];
  levels: RuleLevels;
  settings: Settings;
  timeoutMs: number;
}

const say = (line: string) => process.stderr.write(`ctcr doctor: ${escapeControl(line)}\n`);

/**
 * `--fix`: the fixer's loop over each container (as `ctcr fix NAME` runs
 * it), judged with the doctor's rules on each pass, then the verdicts.
 */
async function fixAndJudge(inspection: Inspection, ctx: DoctorContext, args: DoctorArgs & { 'dry-run': boolean }): Promise<TargetResult[]> {
  const [{ inspectedSubject }, doctor] = await Promise.all([import('../fix/live-subject.js'), import('../engine/doctor.js')]);
  const findings = (snapshot: Snapshot) => doctor.containerFindings(ctx.rules, snapshot, ctx.levels);
  const subjects = inspection.containers.map((base) => inspectedSubject(base, inspection.lxcpath, ctx.rules, { levels: ctx.levels, timeoutMs: ctx.timeoutMs, findings }));
  const outcome = await fixAndSummarize(subjects, ctx, args, 'doctor');
  const containers = outcome.subjects.map((o, i) => ({ ...o.result, notes: [...doctor.containerNotes(inspection.containers[i]!).slice(0, 1), ...(o.result.notes ?? [])] }));
  return doctor.verdicts(doctor.hostResult(inspection.host, ctx.rules, ctx.levels), containers);
}

export function doctorCommand(setExit: (code: number) => void): CommandModule<object, DoctorArgs> {
  return {
    command: 'doctor [names..]',
    describe: 'Check this host and running containers, live, for what will make a checkpoint or restore fail: READY or NOT READY, with the fix for each',
    builder: (y: Argv) =>
      withReportOptions(
        withFixOptions(
          withTargetOptions(y)
            .positional('names', { type: 'string', array: true, default: [], describe: 'Containers to check (default: every container in the lxcpath)' })
            .option('name', { alias: 'n', type: 'string', array: true, describe: 'A container name (repeatable; same as a positional name)', group: 'Inputs:' })
            .option('lxcpath', { alias: 'P', type: 'string', describe: "Where the containers live (default: LXC's, lxc.lxcpath of /etc/lxc/lxc.conf, else /var/lib/lxc)", group: 'Inputs:' })
            .option('checkpoint-dir', { alias: 'D', type: 'string', describe: 'Also check this checkpoint directory: free for a dump, or (with --restore) restorable here', group: 'Inputs:' })
            .option('restore', { alias: 'r', type: 'boolean', describe: 'Check a restore from --checkpoint-dir (the container must be stopped) instead of a dump', group: 'Inputs:' })
            .option('probe-timeout', { type: 'number', default: 10_000, describe: 'Limit for each probe, ms (a probe that hits it becomes a facts-unavailable finding); the same option as ctcr checkpoint\'s', group: 'Inputs:' })
            .option('target', { alias: 't', type: 'string', describe: 'Also judge a migration to this host ([user@]host): reads its facts with ssh HOST ctcr facts and adds the target rules', group: 'Migration:' })
            .option('fix', { type: 'boolean', describe: 'Apply the fixes to the containers\' configs (as ctcr fix does); restart them to take effect', group: 'Fixing:' })
            .option('fix-dry-run', { type: 'boolean', describe: 'Same as --fix --dry-run', group: 'Fixing:' })
            .example('$0 doctor', 'the host and every container in the lxcpath')
            .example('$0 doctor web1 -f json', 'one container, for a script: verdict and findings with their fixes')
            .example('$0 doctor web1 --fix --suggestions', 'apply every fix and suggestion, then restart web1')
            .example('$0 doctor web1 -D /srv/ckpt/web1 --restore', 'can this checkpoint be restored here?')
            .example('$0 doctor web1 --target root@host2', 'can web1 move to host2? both sides, READY or NOT READY for the move'),
        ),
      ) as Argv<DoctorArgs>,
    handler: async (args) => {
      const names = [...args.names, ...(args.name ?? [])];
      if (args.restore && !args['checkpoint-dir']) throw new InputError('--restore checks a restore from a checkpoint directory: name it with -D DIR');
      if (args['checkpoint-dir'] !== undefined && names.length !== 1) throw new InputError('-D names the checkpoint directory of one container: name exactly one');
      if (!(args['probe-timeout'] > 0)) throw new InputError(`--probe-timeout ${args['probe-timeout']}: give a number of milliseconds above 0`);
      const fixing = Boolean(args.fix || args['fix-dry-run']);
      if (!fixing && (args['dry-run'] || args.suggestions || args.rule?.length)) throw new InputError('--dry-run, --suggestions and --rule choose what --fix does: add --fix');

      if (args.target !== undefined) {
        if (names.length !== 1) throw new InputError('--target judges the move of one container: name exactly one');
        if (fixing || args['checkpoint-dir'] !== undefined) throw new InputError('--target does not combine with --fix or -D: run those on their own');
      }
      for (const flag of ['target-lxcpath', 'target-images-dir', 'ssh-command', 'remote-ctcr'] as const) {
        if (args[flag] !== undefined && args.target === undefined) throw new InputError(`--${flag} belongs to a migration's target: add --target HOST`);
      }
      const remote = args.target !== undefined
        ? (await import('../migrate/remote.js')).remoteHost(args.target, { sshCommand: args['ssh-command'], remoteCtcr: args['remote-ctcr'], env: process.env })
        : undefined;
      // The host probes start first: they take longest (criu check), and need neither the rules nor the settings.
      const { inspect, resolveLxcpath, startHostFacts } = await import('../engine/inspect.js');
      const host = startHostFacts(process.env, args['probe-timeout']);
      const lxcpath = args.lxcpath ? path.resolve(args.lxcpath) : await resolveLxcpath(process.env);
      const prepared = (async () => {
        const { rootfsPathsOf } = await import('../engine/lint.js');
        const settings = await loadSettings(args, names.length === 1 ? path.join(lxcpath, names[0]!) : undefined);
        const { rules, levels, assumptions } = await loadRuleSetup(args, settings);
        return { settings, rules, levels, assumptions, rootfsPaths: rootfsPathsOf(rules) };
      })();
      // A bad settings file or rule module is an input error; the probes already started must not outlive it silently.
      prepared.catch(() => undefined);
      const inspecting = inspect({
        lxcpath,
        names: names.length ? names : undefined,
        env: process.env,
        timeoutMs: args['probe-timeout'],
        checkpointDir: args['checkpoint-dir'] && path.resolve(args['checkpoint-dir']),
        purpose: args.restore ? 'restore' : 'doctor',
        files: prepared,
        host,
      });
      // The target's facts are read over ssh while this host is inspected.
      const moving = remote
        ? import('../migrate/preflight.js').then((m) => m.gatherMove({
          name: names[0]!, lxcpath, remote, env: process.env, timeoutMs: args['probe-timeout'],
          targetLxcpath: args['target-lxcpath'], imagesDir: args['target-images-dir'],
        }, inspecting.then((i) => i.containers[0]?.container?.initPid, () => undefined)))
        : undefined;
      moving?.catch(() => undefined);
      const inspection = await inspecting;
      const { settings, rules, levels } = await prepared;
      const { judge } = await import('../engine/doctor.js');
      for (const note of inspection.notes) say(note);
      for (const err of inspection.errors) process.stderr.write(`ctcr: ${err.format()}\n`);

      const ctx: DoctorContext = { rules, levels, settings, timeoutMs: args['probe-timeout'] };
      if (fixing) {
        const dryRun = Boolean(args['dry-run'] || args['fix-dry-run']);
        // A dry run's stdout carries the diff alone (it pipes to patch); the verdicts then go to stderr.
        const code = await reportAfterFix(await fixAndJudge(inspection, ctx, { ...args, 'dry-run': dryRun }), dryRun, ctx, args);
        return setExit(inspection.errors.length ? EXIT.input : code);
      }
      const results = moving ? (await import('../migrate/preflight.js')).judgeMove(inspection, await moving, rules, levels) : judge(inspection, rules, levels);
      const code = await emitReport(results, rules, args, settings);
      setExit(inspection.errors.length ? EXIT.input : code);
    },
  };
}
