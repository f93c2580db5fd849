/** A descriptor number in the images is above this host's open-files limit. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'nr-open-mismatch',
  severity: 'error',
  summary: 'A descriptor number in the images is above this host\'s open-files limit.',
  scope: 'log',
  docs: {
    why: 'CRIU restores descriptors at their numbers; a number above fs.nr_open fails: "Too big FD number to restore N".',
    fix: 'Raise fs.nr_open (sysctl) on the restoring host to at least the source\'s.',
  },
  logSignatures: [
    {
      pattern: /Too big FD number to restore (\d+)/,
      explain: (m) => ({ message: `fd ${m[1]} is above this host's fs.nr_open`, fix: 'Raise fs.nr_open on the restore host to at least the source host value (sysctl fs.nr_open).' }),
      samples: [
        { line: 'Too big FD number to restore 1048576', source: 'criu v4.2 criu/files.c:923 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
