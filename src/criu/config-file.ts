/**
 * CRIU configuration files (since v3.11; read from /etc/criu/default.conf,
 * ~/.criu/default.conf, $CRIU_CONFIG_FILE, --config). Syntax, from
 * criu/config.c parse_statement: one option per line, long name without
 * `--`; the first word of a line gets `--` prepended; words are split on
 * blanks; a word starting with `"` runs to the next `"`, and a `\` right
 * before a `"` keeps the quote; `""` is the empty string; a word starting
 * with `#` ends the line. Options with an optional argument
 * (manage-cgroups, ext-unix-sk, verbosity, cpu-cap) only take it attached:
 * `manage-cgroups=full`.
 */
import { findOption } from './options.js';
import { InputError } from '../errors.js';

/** Since when CRIU reads config files. */
export const CRIU_CONFIG_SINCE = '3.11';

export interface CriuConfigOption {
  /** Long name, with or without `--`. */
  name: string;
  value?: string;
}

function quoteValue(value: string, name: string): string {
  if (value === '') return '""';
  if (!/[\s"#]/.test(value)) return value;
  // A quoted value cannot end in a backslash: CRIU would read `\"` as an escaped quote.
  if (value.endsWith('\\')) throw new InputError(`CRIU config files cannot hold a value ending in a backslash (option ${name})`);
  if (/[\r\n]/.test(value)) throw new InputError(`CRIU config files cannot hold a value with a line break (option ${name})`);
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** One line per option: `tcp-established`, `work-dir "/x/my \"work\" dir"`, `manage-cgroups=full`. */
export function renderCriuConfig(options: readonly CriuConfigOption[], header?: string): string {
  const lines: string[] = [];
  if (header) for (const h of header.split('\n')) lines.push(`# ${h}`.trimEnd());
  for (const opt of options) {
    const name = opt.name.replace(/^--/, '');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new InputError(`not a CRIU long option name: '${opt.name}'`);
    if (opt.value === undefined) {
      lines.push(name);
      continue;
    }
    const arg = findOption('--' + name)?.spec.arg;
    if (arg === 'none') throw new InputError(`CRIU option --${name} takes no value`);
    if (arg === 'optional') {
      if (/[\s"#]/.test(opt.value) || opt.value === '') throw new InputError(`--${name}=${opt.value}: an optional argument cannot be quoted in a config file`);
      lines.push(`${name}=${opt.value}`);
      continue;
    }
    lines.push(`${name} ${quoteValue(opt.value, name)}`);
  }
  return lines.map((l) => l + '\n').join('');
}

/** Reads a config file into the argv CRIU builds from it (`--name`, value words). Mirrors parse_statement, for tests and `ctcr explain`. */
export function parseCriuConfig(text: string): string[] {
  const argv: string[] = [];
  for (const line of text.split('\n')) {
    let pos = 0;
    let first = true;
    for (;;) {
      while (pos < line.length && /\s/.test(line[pos]!)) pos++;
      if (pos >= line.length) break;
      let word: string;
      if (line[pos] === '#') break;
      if (line[pos] === '"' && line.indexOf('"', pos + 1) >= 0) {
        if (line.startsWith('""', pos)) {
          word = '';
          pos += 2;
        } else {
          // Collect up to the next quote not preceded by a backslash; `\"` becomes `"`.
          word = '';
          let j = pos + 1;
          for (;;) {
            const close = line.indexOf('"', j);
            if (close < 0) {
              word += line.slice(j);
              j = line.length;
              break;
            }
            const chunk = line.slice(j, close);
            if (chunk.endsWith('\\')) {
              word += chunk.slice(0, -1) + '"';
              j = close + 1;
              continue;
            }
            word += chunk;
            j = close + 1;
            break;
          }
          pos = j;
        }
      } else {
        const m = /^[^ \t\n]+/.exec(line.slice(pos))!;
        word = m[0];
        pos += word.length;
      }
      argv.push(first ? '--' + word : word);
      first = false;
    }
  }
  return argv;
}
