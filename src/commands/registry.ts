import type { CommandModule } from 'yargs';
import { fixCommand } from './fix.js';

/** Commands beyond lint and rules, each in its own module; registered here so main.ts stays one list. */
export function extraCommands(setExit: (code: number) => void): CommandModule[] {
  return [fixCommand(setExit) as unknown as CommandModule];
}
