/** A task has uprobes set, which CRIU refuses by default. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { uprobesReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'uprobes',
  severity: 'error',
  summary: 'A task has uprobes set, which CRIU refuses by default.',
  scope: 'live',
  messages: {
    uprobes: 'a task has uprobes attached',
  },
  check: uprobesReports,
  docs: {
    why: 'A uprobe vma in a task (from perf/bpftrace/systemtap tracing) fails the dump unless --allow-uprobes.',
    fix: 'Stop the tracing before the dump, or pass --allow-uprobes.',
  },
  logSignatures: [
    {
      pattern: /has uprobes vma\. Consider using --allow-uprobes/,
      explain: () => ({ message: 'a process has uprobes attached', fix: 'Pass --allow-uprobes on dump and restore (CRIU 4.2+), or detach the uprobes.', criuOptions: ['--allow-uprobes'] }),
      samples: [
        { line: 'PID 12 has uprobes vma. Consider using --allow-uprobes.', source: 'criu v4.2 criu/proc_parse.c:614 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
