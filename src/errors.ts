import type { Location } from './types.js';
import { escapeControl } from './util/escape.js';

/** Exit codes, each with one meaning. */
export const EXIT = {
  /** Nothing reached the failure threshold. */
  ok: 0,
  /** Findings reached --fail-on, or warnings exceeded --max-warnings (doctor: NOT READY). */
  findings: 1,
  /** Usage or input error: bad flag, unreadable or invalid file, bad rule module. */
  input: 2,
  /** An operation ran and failed (checkpoint or restore failed). */
  failed: 3,
  /** Another ctcr run holds a file this run would change (ctcr fix): nothing was changed; run again when it is done. */
  locked: 4,
} as const;

/**
 * Bad input (a config that LXC would reject, an unreadable file, a bad flag
 * value): reported as one line naming the file and line, exit code 2.
 */
export class InputError extends Error {
  readonly location?: Partial<Location>;
  /** The exit code the CLI returns for it: 2 (input) unless a subclass means something else. */
  readonly exitCode: number = EXIT.input;
  constructor(message: string, location?: Partial<Location>) {
    super(message);
    this.name = 'InputError';
    this.location = location;
  }

  /** `file:line:col: message`, the one line the CLI prints (control characters escaped: it stays one line). */
  format(): string {
    const where = this.location?.file
      ? [this.location.file, this.location.line, this.location.line ? this.location.column : undefined].filter((p) => p !== undefined).join(':') + ': '
      : '';
    return escapeControl(`${where}${this.message}`);
  }
}

