/**
 * Reads a criu command line as old documentation writes it (the 2014 LXC
 * page: `-n net -n mnt`, `--veth-pair eth0=veth101`, one option per line
 * with `# comments`) and says, option by option, what a given CRIU makes of
 * it, with a command line that works today.
 */
import { findOption, optionStatus, type CriuAction, type CriuOptionSpec, type OptionStatus } from './options.js';
import { joinShellWords, splitShellWords } from './shell-words.js';
import { atLeast, type VersionLike } from './version.js';

/** criu's commands (crtools.c); the four the analysis knows by name, the rest are `other`. */
const COMMANDS = new Set(['dump', 'pre-dump', 'restore', 'check', 'show', 'page-server', 'service', 'swrk', 'dedup', 'lazy-pages', 'cpuinfo', 'exec', 'image-streamer']);

export interface ParsedOption {
  /** The words as written (`-n`, `net`; `--veth-pair=eth0=v`). */
  words: string[];
  /** As written, without value: `-n`, `--veth-pair`, `--no-restore-sibling`. */
  name: string;
  spec?: CriuOptionSpec;
  value?: string;
}

export interface ParsedCriuCommand {
  /** Words before the program (`sudo`, `VAR=x`). */
  prefix: string[];
  program?: string;
  action?: string;
  options: ParsedOption[];
  /** Non-option words other than the command. */
  positional: string[];
}

/** Splits criu's argv the way its getopt_long does (short clusters, `-Dvalue`, `--name=value`, optional args only attached). */
export function parseCriuArgv(words: readonly string[]): ParsedCriuCommand {
  const prefix: string[] = [];
  let i = 0;
  while (i < words.length && (words[i] === 'sudo' || words[i] === 'env' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) prefix.push(words[i++]!);
  let program: string | undefined;
  if (i < words.length && /(^|\/)criu(-ns)?$/.test(words[i]!)) program = words[i++]!;
  const options: ParsedOption[] = [];
  const positional: string[] = [];
  let action: string | undefined;
  while (i < words.length) {
    const w = words[i++]!;
    if (w === '--') {
      positional.push(...words.slice(i));
      break;
    }
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = eq >= 0 ? w.slice(0, eq) : w;
      const found = findOption(name);
      const spec = found?.spec;
      if (eq >= 0) options.push({ words: [w], name, spec, value: w.slice(eq + 1) });
      else if (spec && !found!.negated && spec.arg === 'required' && i < words.length) options.push({ words: [w, words[i]!], name, spec, value: words[i++]! });
      else options.push({ words: [w], name, spec });
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      // A cluster: -dS, -v4, -vvvv, -Ddump/, -D dump/
      let k = 1;
      while (k < w.length) {
        const letter = w[k]!;
        const spec = findOption('-' + letter)?.spec;
        const attached = w.slice(k + 1);
        if (spec?.arg === 'required') {
          if (attached) options.push({ words: k === 1 ? [w] : ['-' + letter + attached], name: '-' + letter, spec, value: attached });
          else if (i < words.length) options.push({ words: ['-' + letter, words[i]!], name: '-' + letter, spec, value: words[i++]! });
          else options.push({ words: ['-' + letter], name: '-' + letter, spec });
          break;
        }
        if (spec?.arg === 'optional') {
          options.push({ words: ['-' + letter + attached], name: '-' + letter, spec, ...(attached ? { value: attached } : {}) });
          break;
        }
        options.push({ words: ['-' + letter], name: '-' + letter, spec });
        k++;
      }
      continue;
    }
    if (action === undefined && COMMANDS.has(w)) action = w;
    else positional.push(w);
  }
  return { prefix, program, action, options, positional };
}

export interface AnalyzedOption extends ParsedOption {
  status: OptionStatus;
  /** What to write instead in the suggested command: the same words, other words, or nothing. */
  suggested: string[];
}

export interface LegacyCommandAnalysis {
  action?: string;
  options: AnalyzedOption[];
  positional: string[];
  /** Text after `;`, `|` or `&`, not analyzed. */
  ignoredRest?: string;
  /** The command as argv, fixed for the CRIU version asked about. */
  suggested: string[];
  /** The same, quoted for sh on one line. */
  suggestedCommandLine: string;
}

function toAction(action: string | undefined): CriuAction {
  return action === 'dump' || action === 'pre-dump' || action === 'restore' || action === 'check' ? action : 'other';
}

/** `eth0=veth101@br0` → `veth[eth0]:veth101@br0`. */
function vethExternal(value: string): string | undefined {
  const eq = value.indexOf('=');
  if (eq <= 0) return undefined;
  return `veth[${value.slice(0, eq)}]:${value.slice(eq + 1)}`;
}

/** `auto` → `mnt[]`; `/mnt:mnt` → `mnt[/mnt]:mnt`. */
function mountExternal(value: string): string | undefined {
  if (value === 'auto') return 'mnt[]';
  const colon = value.indexOf(':');
  if (colon <= 0) return undefined;
  return `mnt[${value.slice(0, colon)}]:${value.slice(colon + 1)}`;
}

function suggestedWords(opt: ParsedOption, status: OptionStatus, criuVersion: VersionLike): string[] {
  switch (status.verdict) {
    case 'removed':
    case 'never-released':
    case 'dump-only-used-on-restore':
    case 'restore-only-used-on-dump':
      return [];
    case 'deprecated': {
      const long = opt.spec?.long;
      if (long === 'namespaces') return [];
      const hasExternal = atLeast(criuVersion, '2.8');
      if (long === 'veth-pair' && opt.value !== undefined && hasExternal) {
        const ext = vethExternal(opt.value);
        if (ext) return ['--external', ext];
      }
      if (long === 'ext-mount-map' && opt.value !== undefined && hasExternal) {
        const ext = mountExternal(opt.value);
        if (ext) return ['--external', ext];
      }
      return opt.words;
    }
    default:
      return opt.words;
  }
}

/** Analyzes `commandLine` (shell text, several lines allowed) against CRIU `criuVersion`. Throws InputError on an unterminated quote. */
export function analyzeLegacyCommand(commandLine: string, criuVersion: VersionLike): LegacyCommandAnalysis {
  const split = splitShellWords(commandLine);
  const parsed = parseCriuArgv(split.words);
  const action = toAction(parsed.action);
  const options: AnalyzedOption[] = parsed.options.map((opt) => {
    const status = optionStatus(opt.name, criuVersion, action, opt.value);
    return { ...opt, status, suggested: suggestedWords(opt, status, criuVersion) };
  });
  const suggested = [...parsed.prefix, parsed.program ?? 'criu', ...(parsed.action ? [parsed.action] : []), ...options.flatMap((o) => o.suggested), ...parsed.positional];
  return {
    ...(parsed.action ? { action: parsed.action } : {}),
    options,
    positional: parsed.positional,
    ...(split.rest ? { ignoredRest: split.rest } : {}),
    suggested,
    suggestedCommandLine: joinShellWords(suggested),
  };
}
