import type { CommandModule } from 'yargs';
import { fixCommand } from './fix.js';
import { doctorCommand } from './doctor.js';
import { checkpointCommand, restoreCommand } from './checkpoint.js';
import { explainCommand } from './explain.js';
import { factsCommand } from './facts.js';
import { migrateCommand } from './migrate.js';

/** Commands beyond lint and rules, each in its own module; registered here so main.ts stays one list. */
export function extraCommands(setExit: (code: number) => void): CommandModule[] {
  return [
    doctorCommand(setExit) as unknown as CommandModule,
    fixCommand(setExit) as unknown as CommandModule,
    checkpointCommand(setExit) as unknown as CommandModule,
    restoreCommand(setExit) as unknown as CommandModule,
    explainCommand(setExit) as unknown as CommandModule,
    factsCommand(setExit) as unknown as CommandModule,
    migrateCommand(setExit) as unknown as CommandModule,
  ];
}
