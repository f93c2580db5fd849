/** A zombie blocks the dump. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { zombieWithThreadsReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'zombie-process',
  severity: 'error',
  summary: 'A zombie blocks the dump.',
  scope: 'live',
  check: zombieWithThreadsReports,
  docs: {
    why: 'CRIU dumps ordinary zombies, but a zombie met while seizing a live task, or one with threads, fails: "zombie N found while seizing", "Zombies with threads are not supported".',
    fix: 'Have its parent reap it (or restart the parent) before the dump.',
  },
  logSignatures: [
    {
      pattern: /zombie \d+ \(comm .*\) found while seizing|Zombies with threads are not supported/,
      explain: () => ({ message: 'a zombie process in the container blocks the dump', fix: 'Have its parent reap it (or restart the parent) before the dump.' }),
      samples: [
        { line: 'zombie 77 (comm sh) found while seizing', source: 'criu v4.2 criu/seize.c:335 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
