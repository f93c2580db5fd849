/** `ctcr lint`: the CI gate over container configs, container directories and rootfs images. */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXIT, InputError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { type ReportArgs, withReportOptions, loadSettings, loadRuleSetup, emitReport } from './common.js';
import { type FixFlags, withFixOptions } from './fix.js';

export const EXAMPLE_CONTAINER = fileURLToPath(new URL('fixtures/containers/example', PACKAGE_ROOT));

interface LintArgs extends ReportArgs, FixFlags {
  paths: string[];
  fix?: boolean;
  'fix-dry-run'?: boolean;
  rootfs?: string;
  image?: string;
}

/** With no path: the containers of LXC's lxcpath, or else the example shipped with ctcr. */
async function defaultPaths(): Promise<{ paths: string[]; note: string }> {
  const { resolveLxcpath } = await import('../gather/lxcpath.js');
  const lxcpath = await resolveLxcpath(process.env);
  const found = existsSync(lxcpath) ? readdirSync(lxcpath).filter((n) => existsSync(path.join(lxcpath, n, 'config'))) : [];
  if (found.length) return { paths: [lxcpath], note: `ctcr: no path given: linting the ${found.length} container(s) in ${lxcpath}` };
  return {
    paths: [path.relative(process.cwd(), EXAMPLE_CONTAINER) || EXAMPLE_CONTAINER],
    note: `ctcr: no path given and no container in ${lxcpath}: linting the example container shipped with ctcr (${EXAMPLE_CONTAINER})`,
  };
}

export function lintCommand(setExit: (code: number) => void): CommandModule<object, LintArgs> {
  return {
    command: 'lint [paths..]',
    describe: 'Check container configs, container directories and rootfs images for what will make CRIU fail',
    builder: (y: Argv) =>
      withReportOptions(
        withFixOptions(y)
          .option('fix', { type: 'boolean', describe: 'Apply the fixes (as ctcr fix does); with --dry-run, only show them', group: 'Fixing:' })
          .option('fix-dry-run', { type: 'boolean', describe: 'Same as --fix --dry-run', group: 'Fixing:' })
          .positional('paths', { type: 'string', array: true, default: [], describe: 'Config files, container directories (config + rootfs), folders of containers, or globs' })
          .option('rootfs', { type: 'string', describe: 'Inspect this root filesystem directory instead of the one the config names', group: 'Inputs:' })
          .option('image', { type: 'string', describe: 'Inspect a rootfs image tarball (.tar, .tar.gz), read as a stream, never extracted', group: 'Inputs:' })
          .conflicts('rootfs', 'image')
          .example('$0 lint /var/lib/lxc/web1', 'a container directory: config, fstab, includes and rootfs')
          .example("$0 lint 'configs/**/*.conf' -f sarif -o ctcr.sarif", 'a CI gate with output for code scanning')
          .example('$0 lint config --image rootfs.tar.gz', 'a config with the image it will run')
          .example('$0 lint --lxc-version 7.0 --criu-version 4.1 config', 'judge for the versions the target hosts run'),
      ) as Argv<LintArgs>,
    handler: async (args) => {
      const [{ resolveTargets }, { lintTargets }] = await Promise.all([import('../engine/targets.js'), import('../engine/lint.js')]);
      let paths = args.paths;
      if (paths.length === 0 && !args.rootfs && !args.image) {
        const d = await defaultPaths();
        process.stderr.write(d.note + '\n');
        paths = d.paths;
      }
      const settings = await loadSettings(args, paths[0] ?? args.image ?? args.rootfs);
      const { rules, levels, assumptions } = await loadRuleSetup(args, settings);
      const targets = await resolveTargets(paths, { rootfs: args.rootfs, image: args.image });
      if (args.fix || args['fix-dry-run']) {
        const { runFix } = await import('./fix.js');
        return setExit(await runFix(targets, { rules, levels, assumptions, settings }, { ...args, 'dry-run': args['dry-run'] || args['fix-dry-run'] }));
      }
      if (args['dry-run'] || args.suggestions || args.rule?.length) throw new InputError('--dry-run, --suggestions and --rule choose what --fix does: add --fix');
      const outcome = await lintTargets(targets, rules, { levels, assumptions });
      for (const err of outcome.errors) process.stderr.write(`ctcr: ${err.format()}\n`);
      const code = await emitReport(outcome.results, rules, args, settings);
      setExit(outcome.errors.length ? EXIT.input : code);
    },
  };
}
