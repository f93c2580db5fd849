/**
 * The command line: yargs parses, each command's module does the work. A
 * command's heavy imports happen in its handler, so `ctcr rules` does not
 * pay for the doctor's.
 */
import yargs from 'yargs';
import { InputError, EXIT } from './errors.js';
import { RuleCrashError } from './engine/evaluate.js';
import { VERSION } from './version.js';
import { lintCommand } from './commands/lint.js';
import { STDIN_ARG } from './commands/common.js';
import { rulesCommand } from './commands/rules.js';
import { extraCommands } from './commands/registry.js';
import { escapeControl } from './util/escape.js';

export function errorLine(err: unknown): string {
  if (err instanceof InputError) return `ctcr: ${err.format()}`;
  if (err instanceof RuleCrashError) return `ctcr: ${escapeControl(err.message)}`;
  const e = err as Error;
  return `ctcr: internal error: ${escapeControl(e?.message ?? String(e))}${process.env.CTCR_DEBUG ? `\n${e?.stack}` : ' (CTCR_DEBUG=1 shows where)'}`;
}

function wantsHelp(args: string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h');
}

const BOOLEAN_FLAGS = new Set(['-q', '--quiet', '--fix', '--fix-dry-run', '--dry-run', '--suggestions', '--color', '--no-color', '--force', '--explain-options']);

export async function main(argv: string[]): Promise<number> {
  const dashes = argv.indexOf('--');
  // A `-` after a flag that takes a value is that value (`-o -`), not a target.
  const flagValue = (prev: string | undefined) => prev !== undefined && /^--?[a-zA-Z]/.test(prev) && !prev.includes('=') && !BOOLEAN_FLAGS.has(prev);
  const args = argv.map((a, i) => (a === '-' && (dashes < 0 || i < dashes) && !flagValue(argv[i - 1]) ? STDIN_ARG : a));
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const parser = yargs(args);
  // yargs puts an example's command in a column half the width wide and wraps it inside the command. Here each
  // command has a line of its own, under its description as a shell comment: it can be copied as printed.
  const example = parser.example.bind(parser);
  parser.example = ((cmd: string, desc?: string) => example(desc ? `# ${desc}\n${cmd}` : cmd, '')) as typeof parser.example;
  parser
    .scriptName('ctcr')
    .usage('$0 <command> [options]\n\nFind what will make CRIU fail on an LXC container before it is frozen, fix it, then checkpoint and restore it.')
    .command(lintCommand(setExit))
    .command(rulesCommand(setExit));
  for (const command of extraCommands(setExit)) parser.command(command);
  parser
    .demandCommand(1, 'Name a command: ctcr lint, ctcr doctor, ctcr fix, ctcr rules ... (ctcr --help lists them)')
    .strict()
    .recommendCommands()
    .version(VERSION)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    // yargs renders the command's help on every run, to cache it; wrapping it costs ~25 ms, so wrap only when help is asked for.
    .wrap(wantsHelp(args) ? Math.min(110, process.stdout.columns || 100) : null)
    .epilogue('Exit codes: 0 nothing reached the threshold (READY), 1 findings reached it (NOT READY), 2 usage or input error, 3 a checkpoint or restore ran and failed, 4 another ctcr fix run holds a file this one would change.\nDocs: ctcr rules ID explains one rule.')
    .fail((msg, err) => {
      // yargs writes some messages over several lines; a usage error is one line.
      // A flag's coerce that throws reaches here wrapped by yargs: its message is still the one line to print.
      if (err && !(err instanceof InputError) && err.name === 'YError') throw new InputError(err.message.replace(/\s*\n\s*/g, ' '));
      throw err ?? new InputError(msg.replace(/\s*\n\s*/g, ' '));
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    process.stderr.write(errorLine(err) + '\n');
    return err instanceof InputError ? err.exitCode : EXIT.input;
  }
  return exitCode;
}
