/** The installed CRIU is older than lxc-checkpoint needs. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';
import { UPGRADE } from '../src/criu/log-helpers.js';

export default defineRule({
  id: 'criu-too-old',
  severity: 'error',
  summary: 'The installed CRIU is older than lxc-checkpoint needs.',
  scope: 'log',
  docs: {
    why: 'lxc-checkpoint refuses CRIU before 2.0 ("must have criu 2.0 or greater to checkpoint/restore"), and many kernels need far newer CRIU.',
    fix: 'Install a current CRIU (4.2 or newer on current kernels).',
  },
  logSignatures: [
    {
      pattern: /must have criu 2\.0 or greater to checkpoint\/restore/,
      explain: () => ({ message: 'lxc-checkpoint found a CRIU older than 2.0', fix: UPGRADE }),
      samples: [
        { line: 'must have criu 2.0 or greater to checkpoint/restore', source: 'lxc src/lxc/criu.c:813 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
