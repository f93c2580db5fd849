/** A pty index the restore needs is taken. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'pty-index-busy',
  severity: 'error',
  summary: 'A pty index the restore needs is taken.',
  scope: 'log',
  docs: {
    why: 'CRIU recreates ptys with their indices in the devpts instance; a taken index fails the restore.',
    fix: 'Restore into a fresh devpts instance (a container restore with its own /dev/pts), or close the pty holding that index.',
  },
  logSignatures: [
    {
      pattern: /Unable to open (\S+) with specified index (\d+)/,
      explain: (m) => ({
        message: `pty index ${m[2]} is already taken on the restore side`,
        fix: 'Restore into a fresh devpts instance (a container with its own /dev/pts, newinstance), or close the pty that holds that index.',
      }),
      samples: [
        { line: 'tty: Unable to open dev/ptmx with specified index 72', source: 'criu v4.2 criu/tty.c:625 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
