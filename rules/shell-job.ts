/** The tree is attached to a terminal of the calling shell, and --shell-job was not given. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'shell-job',
  severity: 'error',
  summary: 'The tree is attached to a terminal of the calling shell, and --shell-job was not given.',
  scope: 'log',
  docs: {
    why: 'A task with a controlling terminal outside the dump needs --shell-job (-j) on dump and restore.',
    fix: 'Pass --shell-job on dump and restore, or start the workload detached from the terminal (setsid).',
  },
  logSignatures: [
    {
      pattern: /Task attached to shell terminal|Consider using --shell-job option|Found slave peer index \d+ without correspond master peer|Don't have tty to inherit session from/,
      explain: () => ({
        message: 'the process tree is attached to a terminal outside the dump',
        fix: 'Pass --shell-job on dump and restore, or run the process detached from the terminal (setsid).',
        criuOptions: ['--shell-job'],
      }),
      samples: [
        { line: 'Task attached to shell terminal. Consider using --shell-job option. More details on http://criu.org/Simple_loop', source: 'criu v4.2 criu/tty.c:1837 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
