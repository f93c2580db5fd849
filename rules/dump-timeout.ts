/** CRIU gave up freezing or seizing the tasks in time. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'dump-timeout',
  severity: 'error',
  summary: 'CRIU gave up freezing or seizing the tasks in time.',
  scope: 'log',
  docs: {
    why: 'CRIU interrupts tasks within a timeout (--timeout, default 10 s); tasks that do not stop in time ("Timeout reached. Try to interrupt") fail the dump, often tasks in uninterruptible sleep (D state) on I/O or FUSE.',
    fix: 'Find the tasks in D state (ps -eo pid,stat,wchan) and wait until they leave it, or raise criu\'s --timeout.',
  },
  logSignatures: [
    {
      pattern: /Timeout reached\. Try to interrupt/,
      explain: () => ({ message: 'CRIU gave up freezing the processes in time', fix: 'Raise --timeout (default 10 s), or find the task stuck in uninterruptible sleep.', criuOptions: ['--timeout', '60'] }),
      samples: [
        { line: 'Timeout reached. Try to interrupt: 0', source: 'criu v4.2 criu/cr-dump.c:1808 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
