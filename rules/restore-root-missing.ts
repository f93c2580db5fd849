/** The images hold a mount namespace, and no --root was given. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'restore-root-missing',
  severity: 'error',
  summary: 'The images hold a mount namespace, and no --root was given.',
  scope: 'log',
  docs: {
    why: 'To restore a mount namespace CRIU needs the mounted root: "The --root option is required to restore a mount namespace".',
    fix: 'Pass --root with the mounted container root (lxc-checkpoint -r does this).',
  },
  logSignatures: [
    {
      pattern: /The --root option is required to restore a mount namespace/,
      explain: () => ({ message: 'the images hold a mount namespace, and no --root was given', fix: 'Pass --root with the mounted container root (lxc-checkpoint -r does this).', criuOptions: ['--root'] }),
      samples: [
        { line: 'The --root option is required to restore a mount namespace', source: 'criu v4.2 criu/mount-v2.c:736 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
