/** A zombie blocks the dump. The doctor finds it in the container's tasks (src/live/refusals.ts); ctcr explain recognises it in CRIU's log. */
import { defineRule } from '../src/rule.js';
import { zombieWithThreadsReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'zombie-process',
  severity: 'error',
  summary: 'A zombie blocks the dump.',
  scope: 'live',
  messages: {
    zombieThreads: 'a zombie task has threads left',
  },
  docs: {
    why: 'CRIU dumps ordinary zombies, but a zombie met while seizing a live task, or one with threads, fails: "zombie N found while seizing", "Zombies with threads are not supported".',
    fix: 'Have its parent reap it (or restart the parent) before the dump.',
  },
  logSignatures: [
    {
      // CRIU 3.x printed it without the pid: "zombie found while seizing".
      pattern: /zombie (?:(\d+) \(comm .*\) )?found while seizing|Zombies with threads are not supported/,
      explain(m, { log }) {
        // compel could not interrupt that task first: another tracer holds it, and CRIU reads the failed seize as a zombie.
        const seizing = /found while seizing/.test(m[0]);
        const interrupted = m[1] ? new RegExp(`Unable to interrupt task: ${m[1]}\\b`) : seizing ? /Unable to interrupt task: \d+ \(Operation not permitted\)/ : undefined;
        if (interrupted && log.lines.some((l) => interrupted.test(l.message))) {
          return {
            ruleId: 'traced-process',
            message: `task ${m[1] ?? '(the one CRIU could not interrupt)'} is traced by another process (a debugger, strace), so CRIU cannot seize it; the "zombie" in the message is how the failed seize reads`,
            fix: 'Detach the tracer (end strace/gdb) or stop that process before the dump.',
          };
        }
        return { message: 'a zombie process in the container blocks the dump', fix: 'Have its parent reap it (or restart the parent) before the dump.' };
      },
      samples: [
        { line: 'zombie 77 (comm sh) found while seizing', source: 'criu v4.2 criu/seize.c:335 (the message it prints, with this run\'s values)' },
        { line: '(03.010594) Error (criu/seize.c:275): zombie found while seizing', source: 'https://github.com/checkpoint-restore/criu/issues/1753 (CRIU 3.x)' },
      ],
    },
  ],
  check: zombieWithThreadsReports,
});
