/** The images were dumped under another LSM than this host runs. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'lsm-mismatch',
  severity: 'error',
  summary: 'The images were dumped under another LSM than this host runs.',
  scope: 'log',
  docs: {
    why: 'CRIU restores the LSM labels of the tasks; with another LSM on the target it stops: "mismatched lsm types and lsm profile specified".',
    fix: 'Restore on a host with the same LSM, or pass --lsm-profile for this host.',
  },
  logSignatures: [
    {
      pattern: /mismatched lsm types and lsm profile specified/,
      explain: () => ({ message: 'the images were dumped under another LSM than this host runs', fix: 'Restore on a host with the same LSM, or pass --lsm-profile for this host (none: to drop labels).' }),
      samples: [
        { line: 'mismatched lsm types and lsm profile specified', source: 'criu v4.2 criu/lsm.c:360 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
