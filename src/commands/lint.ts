/** `ctcr lint`: the CI gate over container configs, container directories and rootfs images. */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { type ReportArgs, withReportOptions, loadSettings, loadRuleSetup, emitReport, checkOutputPath, STDIN_ARG } from './common.js';
import type { Rule, Snapshot } from '../types.js';
import type { StaticTarget } from '../gather/static.js';
import type { TargetResult } from '../report/types.js';
import { type Settings, absoluteGlob } from '../engine/settings.js';
import { globToRegExp, matchesAny } from '../util/glob-match.js';
import { type FixFlags, withFixOptions } from './fix.js';

export const EXAMPLE_CONTAINER = fileURLToPath(new URL('fixtures/containers/example', PACKAGE_ROOT));

interface LintArgs extends ReportArgs, FixFlags {
  paths: string[];
  fix?: boolean;
  'fix-dry-run'?: boolean;
  rootfs?: string;
  image?: string;
  'ignore-pattern'?: string[];
  'print-config'?: string;
  'stdin-filename'?: string;
}

/**
 * No path given. On a terminal: the containers of LXC's lxcpath, or else the
 * example shipped with ctcr, with a note saying so. In a CI job (CI set, or
 * standard input not a terminal), a usage error: an empty target list there
 * is a mistake (an unexpanded glob, a variable not set), and linting
 * whatever containers the runner holds would hide it.
 */
async function defaultPaths(env: NodeJS.ProcessEnv, interactive: boolean): Promise<{ paths: string[]; note: string }> {
  if ((env.CI !== undefined && env.CI !== '' && env.CI !== 'false') || !interactive) {
    throw new InputError('no path given: name the configs to lint (ctcr lint PATH..., or ctcr lint - for standard input); in CI (CI set, or stdin not a terminal) ctcr does not fall back to the containers of this machine');
  }
  const { resolveLxcpath } = await import('../gather/lxcpath.js');
  const lxcpath = await resolveLxcpath(env);
  const found = existsSync(lxcpath) ? readdirSync(lxcpath).filter((n) => existsSync(path.join(lxcpath, n, 'config'))) : [];
  if (found.length) return { paths: [lxcpath], note: `ctcr: no path given: linting the ${found.length} container(s) in ${lxcpath}` };
  return {
    paths: [path.relative(process.cwd(), EXAMPLE_CONTAINER) || EXAMPLE_CONTAINER],
    note: `ctcr: no path given and no container in ${lxcpath}: linting the example container shipped with ctcr (${EXAMPLE_CONTAINER})`,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What `--print-config PATH` shows: the settings in effect for that path, as JSON. */
async function printConfig(args: LintArgs, target: string): Promise<void> {
  const settings = await loadSettings(args, path.resolve(target));
  const [{ rules, levels, assumptions, versionsNote }, { formatVersion }] = await Promise.all([loadRuleSetup(args, settings), import('../criu/version.js')]);
  const ignored = withoutIgnoredPaths([path.resolve(target)], [...settings.ignorePatterns, ...ignoreGlobs(args)]).length === 0;
  const out = {
    path: path.resolve(target),
    settingsFile: settings.file ?? null,
    format: args.format ?? settings.format ?? 'stylish',
    failOn: args['fail-on'] ?? settings.failOn ?? 'error',
    maxWarnings: args['max-warnings'] ?? settings.maxWarnings ?? null,
    criuVersion: formatVersion(assumptions.criuVersion),
    lxcVersion: formatVersion(assumptions.lxcVersion),
    versions: versionsNote,
    rulesDirs: [...settings.rulesDirs, ...(args['rules-dir'] ?? []).map((d) => path.resolve(d))],
    ignorePatterns: [...settings.ignorePatterns, ...ignoreGlobs(args)],
    ignored,
    rules: Object.fromEntries(rules.map((r) => [r.id, levels[r.id] ?? r.severity])),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

function ignoreGlobs(args: LintArgs): string[] {
  return (args['ignore-pattern'] ?? []).map((g) => absoluteGlob(g, process.cwd()));
}

function withoutIgnoredPaths(paths: string[], globs: string[]): string[] {
  const res = globs.map(globToRegExp);
  return paths.filter((p) => !matchesAny(p, res));
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
          .positional('paths', { type: 'string', array: true, default: [], describe: 'Config files, container directories (config + rootfs), folders of containers or of *.conf files, globs; - reads a config from standard input' })
          .option('rootfs', { type: 'string', describe: 'Inspect this root filesystem directory instead of the one the config names', group: 'Inputs:' })
          .option('image', { type: 'string', describe: 'Inspect a rootfs image tarball (.tar, .tar.gz), read as a stream, never extracted', group: 'Inputs:' })
          .option('stdin-filename', { type: 'string', requiresArg: true, describe: 'With -: the path the config on standard input stands for (includes resolve from its folder; default ./stdin.conf)', group: 'Inputs:' })
          .option('ignore-pattern', { type: 'string', array: true, nargs: 1, requiresArg: true, describe: 'Do not lint paths matching this glob (repeat the flag for more; also ignore-patterns in .ctcrrc)', group: 'Inputs:' })
          .option('print-config', { type: 'string', requiresArg: true, describe: 'Print the settings in effect for this path (JSON) and lint nothing', group: 'Rules:' })
          .conflicts('rootfs', 'image')
          .example('$0 lint /var/lib/lxc/web1', 'a container directory: config, fstab, includes and rootfs')
          .example("$0 lint 'configs/**/*.conf' -f sarif -o ctcr.sarif", 'a CI gate with output for code scanning')
          .example('$0 lint config --image rootfs.tar.gz', 'a config with the image it will run')
          .example('$0 lint --lxc-version 7.0 --criu-version 4.1 config', 'judge for the versions the target hosts run')
          .example('cat config | $0 lint - --stdin-filename web1/config', 'a config from standard input'),
      ) as Argv<LintArgs>,
    handler: async (args) => {
      if (args['print-config'] !== undefined) return printConfig(args, args['print-config']);
      checkOutputPath(args.output);
      const [{ resolveTargets, withoutIgnored, targetPath }, { lintTargets }] = await Promise.all([import('../engine/targets.js'), import('../engine/lint.js')]);
      let paths = args.paths;
      const stdinAt = paths.indexOf(STDIN_ARG);
      let stdinTarget: StaticTarget | undefined;
      let overlay: Map<string, string> | undefined;
      if (stdinAt >= 0) {
        if (paths.indexOf(STDIN_ARG, stdinAt + 1) >= 0) throw new InputError('- (standard input) can be named once');
        // The fixer writes files: it would edit whatever is on disk at --stdin-filename, not the text that was piped in.
        if (args.fix || args['fix-dry-run']) throw new InputError('--fix cannot apply to - (standard input): run ctcr fix FILE --dry-run on the file to see the fixes');
        const name = args['stdin-filename'] ?? 'stdin.conf';
        stdinTarget = { label: name, configPath: path.resolve(name), rootfsDir: args.rootfs ? path.resolve(args.rootfs) : undefined, image: args.image ? path.resolve(args.image) : undefined, expectRootfs: Boolean(args.rootfs || args.image) };
        overlay = new Map([[stdinTarget.configPath!, await readStdin()]]);
        paths = paths.filter((p) => p !== STDIN_ARG);
      } else if (args['stdin-filename'] !== undefined) throw new InputError('--stdin-filename goes with - (a config on standard input)');
      if (paths.length === 0 && !stdinTarget && !args.rootfs && !args.image) {
        const d = await defaultPaths(process.env, Boolean(process.stdin.isTTY));
        process.stderr.write(d.note + '\n');
        paths = d.paths;
      }
      const found = paths.length || !stdinTarget ? await resolveTargets(paths, { rootfs: args.rootfs, image: args.image, ignore: ignoreGlobs(args) }) : [];
      const named = stdinTarget ? [stdinTarget, ...found] : found;
      // Each target is judged with the settings nearest to it (or --config's); a settings file's ignore-patterns apply to the targets under it.
      const groups = new Map<string, { settings: Settings; targets: { target: StaticTarget; index: number }[] }>();
      const settingsOf: Settings[] = [];
      for (const [index, target] of named.entries()) {
        const settings = await loadSettings(args, targetPath(target));
        settingsOf.push(settings);
        if (target !== stdinTarget && withoutIgnored([target], settings.ignorePatterns).length === 0) continue;
        const key = settings.file ?? '';
        const g = groups.get(key) ?? { settings, targets: [] };
        g.targets.push({ target, index });
        groups.set(key, g);
      }
      const runSettings = settingsOf[0] ?? (await loadSettings(args, undefined));
      const kept = [...groups.values()].flatMap((g) => g.targets).sort((a, b) => a.index - b.index);
      if (kept.length === 0) throw new InputError('nothing to lint: every target is ignored (--ignore-pattern, ignore-patterns in .ctcrrc)');
      if (args.fix || args['fix-dry-run']) {
        const { runFix } = await import('./fix.js');
        // One fix run per settings file, so that each target is fixed by the rules and levels in effect for it.
        let worst = 0;
        for (const g of groups.values()) {
          const { rules, levels, assumptions } = await loadRuleSetup(args, g.settings);
          const code = await runFix(g.targets.map((t) => t.target), { rules, levels, assumptions, settings: g.settings }, { ...args, 'dry-run': args['dry-run'] || args['fix-dry-run'] });
          worst = Math.max(worst, code);
        }
        return setExit(worst);
      }
      if (args['dry-run'] || args.suggestions || args.rule?.length) throw new InputError('--dry-run, --suggestions and --rule choose what --fix does: add --fix');
      const results: (TargetResult | undefined)[] = [];
      const reached = new Set<string>();
      let allRules: Rule[] = [];
      for (const g of groups.values()) {
        const { rules, levels, assumptions, versionsNote } = await loadRuleSetup(args, g.settings);
        allRules = mergeRules(allRules, rules);
        const outcome = await lintTargets(g.targets.map((t) => t.target), rules, { levels, assumptions, overlay });
        outcome.results.forEach((r, i) => {
          results[g.targets[i]!.index] = { ...r, notes: [...(r.notes ?? []), versionsNote, ...outsideNotes(outcome.snapshots[i], g.targets[i]!.target)] };
          for (const doc of outcome.snapshots[i]?.config?.documents.slice(1) ?? []) reached.add(doc.path);
        });
      }
      // A file reached as an include of another target is linted as part of it, not as a container of its own.
      const shown = named.flatMap((t, i) => (results[i] && !(t.configPath && reached.has(t.configPath) && t !== stdinTarget) ? [results[i]!] : []));
      const code = await emitReport(shown, allRules, args, runSettings);
      setExit(code);
    },
  };
}

function mergeRules(a: Rule[], b: Rule[]): Rule[] {
  const ids = new Set(a.map((r) => r.id));
  return [...a, ...b.filter((r) => !ids.has(r.id))];
}

/** Absolute includes outside the linted tree: read from this machine, so the result depends on it. */
function outsideNotes(snapshot: Snapshot | undefined, target: StaticTarget): string[] {
  if (!snapshot?.config || !target.configPath) return [];
  const tree = path.dirname(target.configPath);
  return snapshot.config.includes
    .filter((ref) => path.isAbsolute(ref.entry.value) && !isInside(ref.target, tree))
    .map((ref) => `${ref.entry.key} = ${ref.entry.value} (${ref.entry.file}:${ref.entry.line}) is outside the linted tree (${tree}): read from this machine${ref.kind === 'missing' ? ', and missing here' : ''}`);
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
