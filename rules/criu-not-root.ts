/** CRIU was run without root and without --unprivileged. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-not-root',
  severity: 'error',
  summary: 'CRIU was run without root and without --unprivileged.',
  scope: 'log',
  docs: {
    why: 'CRIU needs CAP_SYS_ADMIN and more to dump another process tree; as another user it stops: "Running as non-root requires \'--unprivileged\'".',
    fix: 'Run the checkpoint as root (sudo ctcr checkpoint ...).',
  },
  logSignatures: [
    {
      pattern: /Running as non-root requires '--unprivileged'|needs to have the CAP_SYS_ADMIN or the CAP_CHECKPOINT_RESTORE capability|Must be root to (?:checkpoint|restore)/,
      explain: () => ({ message: 'criu runs without root privileges', fix: 'Run it as root (lxc-checkpoint requires root anyway).' }),
      samples: [
        { line: 'Running as non-root requires \'--unprivileged\'', source: 'criu v4.2 criu/cr-check.c:1946 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
