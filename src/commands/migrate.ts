/**
 * `ctcr migrate NAME --to HOST`: the doctor on both sides (refusing on an
 * error unless --force, which says what it overrides), then the move
 * (src/migrate/move.ts) with its rollback, progress per phase on stderr and
 * at the end downtime, frozen time, bytes sent and pre-dump iterations.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import { EXIT, InputError } from '../errors.js';
import { isContainerName } from '../gather/lxcpath.js';
import { escapeControl } from '../util/escape.js';
import { type ReportArgs, withReportOptions, withTargetOptions, loadSettings, loadRuleSetup, emitReport } from './common.js';

interface MigrateArgs extends ReportArgs {
  name: string;
  lxcpath?: string;
  to: string;
  'target-lxcpath'?: string;
  'target-images-dir'?: string;
  'images-dir'?: string;
  'ssh-command'?: string;
  'remote-ctcr'?: string;
  force?: boolean;
  'remove-source'?: boolean;
  timeout: number;
  'probe-timeout': number;
  'pre-dumps': number;
}

const say = (line: string) => process.stderr.write(`ctcr migrate: ${escapeControl(line)}\n`);
const seconds = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);

export function migrateCommand(setExit: (code: number) => void): CommandModule<object, MigrateArgs> {
  return {
    command: 'migrate <name>',
    describe: 'Move a running container to another host: doctor on both sides, copy, checkpoint, send, restore there; rolls back to this host on a failure',
    builder: (y: Argv) =>
      withReportOptions(
        withTargetOptions(y)
          .positional('name', { type: 'string', describe: 'The running container' })
          .option('to', { type: 'string', demandOption: true, describe: 'The target host ([user@]host), reached with ssh', group: 'Migration:' })
          .option('lxcpath', { alias: 'P', type: 'string', describe: "Where the container lives here (default LXC's)", group: 'Migration:' })
          .option('images-dir', { type: 'string', describe: 'Where the images are written here (default /var/tmp/ctcr-migrate)', group: 'Migration:' })
          .option('force', { type: 'boolean', describe: "Go ahead despite the doctor's errors on either side (says which it overrides)", group: 'Migration:' })
          .option('remove-source', { type: 'boolean', describe: 'After it runs on the target, destroy the stopped copy here', group: 'Migration:' })
          .option('pre-dumps', { type: 'number', default: 5, describe: 'Most pre-dump iterations before the final dump (while the dirty set shrinks; only where CRIU can track dirty memory); 0: none', group: 'Migration:' })
          .option('timeout', { type: 'number', default: 120, describe: 'Deadline of each CRIU run and each copy, seconds', group: 'Migration:' })
          .option('probe-timeout', { type: 'number', default: 10_000, describe: 'Limit for each doctor probe, ms', group: 'Migration:' })
          .example('$0 migrate web1 --to root@host2', 'move web1 to host2 (same name, the target\'s default lxcpath)')
          .example('$0 migrate web1 --to host2 --target-lxcpath /srv/lxc --remove-source -f json', 'into another lxcpath there, destroy the copy here, a JSON result'),
      ) as Argv<MigrateArgs>,
    handler: async (args) => {
      const name = args.name;
      if (!isContainerName(name)) throw new InputError(`'${name}' is not a container name`);
      if (!(args.timeout > 0)) throw new InputError(`--timeout ${args.timeout}: give a number of seconds above 0`);
      if (!Number.isInteger(args['pre-dumps']) || args['pre-dumps'] < 0) throw new InputError(`--pre-dumps ${args['pre-dumps']}: give a whole number, 0 or more`);
      if (!(args['probe-timeout'] > 0)) throw new InputError(`--probe-timeout ${args['probe-timeout']}: give a number of milliseconds above 0`);
      const [{ remoteHost }, { inspect, resolveLxcpath, startHostFacts }, preflight, { runMove }, { rootfsPlan }, { rootfsPathsOf }] = await Promise.all([
        import('../migrate/remote.js'), import('../engine/inspect.js'), import('../migrate/preflight.js'), import('../migrate/move.js'), import('../migrate/target-facts.js'), import('../engine/lint.js'),
      ]);
      const given = remoteHost(args.to, { sshCommand: args['ssh-command'], remoteCtcr: args['remote-ctcr'], env: process.env });
      // One ssh connection for the whole move (OpenSSH connection sharing, in a folder of this run): every later rsync and
      // ctcr there skips the handshake, which is downtime once the container is stopped. Closed at the end.
      const { mkdtemp, rm } = await import('node:fs/promises');
      const os = await import('node:os');
      const controlDir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-ssh-'));
      const remote = { ...given, ssh: [...given.ssh, '-o', 'ControlMaster=auto', '-o', `ControlPath=${controlDir}/%C`, '-o', 'ControlPersist=120'] };
      const closeShared = async () => {
        const { run } = await import('../gather/exec.js');
        await run(remote.ssh[0]!, [...remote.ssh.slice(1), '-O', 'exit', '--', remote.host], { env: process.env, timeoutMs: 10_000 });
        await rm(controlDir, { recursive: true, force: true });
      };
      try {
        await moveContainer();
      } finally {
        await closeShared();
      }
      async function moveContainer(): Promise<void> {
        const lxcpath = args.lxcpath ? path.resolve(args.lxcpath) : await resolveLxcpath(process.env);
        const timeoutMs = args['probe-timeout'];
        say(`doctor on both sides (${name} here, ${remote.host} there)`);
        const host = startHostFacts(process.env, timeoutMs);
        const prepared = (async () => {
          const settings = await loadSettings(args, path.join(lxcpath, name));
          const { rules, levels, assumptions } = await loadRuleSetup(args, settings);
          return { settings, rules, levels, assumptions, rootfsPaths: rootfsPathsOf(rules) };
        })();
        prepared.catch(() => undefined);
        const inspecting = inspect({ lxcpath, names: [name], env: process.env, timeoutMs, purpose: 'dump', files: prepared, host });
        const moving = preflight.gatherMove({ name, lxcpath, remote, env: process.env, timeoutMs, targetLxcpath: args['target-lxcpath'], imagesDir: args['target-images-dir'] }, inspecting.then((i) => i.containers[0]?.container?.initPid, () => undefined));
        moving.catch(() => undefined);
        const inspection = await inspecting;
        const { settings, rules, levels } = await prepared;
        for (const err of inspection.errors) throw err;
        const move = await moving;
        const results = preflight.judgeMove(inspection, move, rules, levels);
        const snapshot = inspection.containers[0]!;
        const container = snapshot.container!;
        if (container.state !== 'RUNNING') throw new InputError(`container ${name} is ${container.state}: only a running container can be migrated`);
        const errors = results.flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => ({ side: r.target, ...f })));
        if (errors.length && !args.force) {
          await emitReport(results, rules, args, settings);
          say(`not migrating ${name}: ${errors.length} error${errors.length === 1 ? ' remains' : 's remain'} before the freeze (${[...new Set(errors.map((e) => e.ruleId))].join(', ')}); fix them or pass --force. ${name} still runs here.`);
          return setExit(EXIT.findings);
        }
        if (errors.length) say(`--force: migrating despite ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((e) => `${e.ruleId} (${e.message})`).join('; ')}`);

        const run = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
        const imagesHere = path.resolve(args['images-dir'] ?? '/var/tmp/ctcr-migrate');
        // SIGINT/SIGTERM: the phase running ends (its programs run in their own process groups, under their own deadlines), then the
        // move rolls back; a second signal ends ctcr at once.
        let signalled: string | undefined;
        const onSignal = (sig: NodeJS.Signals) => {
          if (signalled) process.exit(130);
          signalled = sig;
          say(`${sig}: stopping after the current phase, then rolling back (again to quit at once)`);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const result = await runMove({
          interrupted: () => signalled,
          name, lxcpath, remote, move,
          rootfs: rootfsPlan(snapshot, move, move.facts.ok ? move.facts.value : undefined),
          localDir: path.join(imagesHere, `${name}.${run}`),
          remoteDir: path.join(move.imagesDir, run),
          removeSource: Boolean(args['remove-source']),
          maxPreDumps: args['pre-dumps'],
          force: Boolean(args.force),
          timeoutS: args.timeout,
          env: process.env,
          say,
        });
        if ((args.format ?? settings.format) === 'json') {
          const { VERSION } = await import('../version.js');
          const text = JSON.stringify({ version: VERSION, result }, null, 2) + '\n';
          if (args.output) await (await import('node:fs/promises')).writeFile(args.output, text);
          else process.stdout.write(text);
        } else if (result.ok) {
          process.stdout.write(`✔ migrated ${name} to ${remote.host} (${move.targetLxcpath}): downtime ${seconds(result.downtimeMs)}, frozen ${seconds(result.frozenMs)}, ${result.bytesSent} bytes sent, ${result.preDumpIterations} pre-dump iterations${result.sourceRemoved ? '; the copy here was removed' : result.sourceRemoved === false ? '; the copy here could NOT be removed' : `; the stopped copy stays here (--remove-source removes it)`}\n`);
        } else {
          process.stdout.write(`✖ migration of ${name} to ${remote.host} failed: ${result.failure}\n  ${result.rollback ?? ''}\n  ${name} runs on: ${result.runsOn === 'source' ? 'this host (the source)' : result.runsOn === 'target' ? remote.host : 'NEITHER host'}\n`);
        }
        setExit(result.ok ? EXIT.ok : EXIT.failed);
      }
    },
  };
}
