/** CRIU was started inside the tree it is asked to dump. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-in-tree',
  severity: 'error',
  summary: 'CRIU was started inside the tree it is asked to dump.',
  scope: 'log',
  docs: {
    why: 'CRIU refuses to dump itself: "The criu itself is within dumped tree." This happens when criu runs from a process of the container (or a shell that is its child) instead of from the host.',
    fix: 'Run criu (or lxc-checkpoint) from the host, outside the container\'s process tree.',
  },
  logSignatures: [
    {
      pattern: /The criu itself is within dumped tree/,
      explain: () => ({ message: 'criu runs inside the process tree it dumps', fix: 'Run criu from outside the container (the host).' }),
      samples: [
        { line: 'The criu itself is within dumped tree.', source: 'criu v4.2 compel/src/lib/infect.c:259 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
