/** A file the images refer to changed between dump and restore. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'rootfs-changed',
  severity: 'error',
  summary: 'A file the images refer to changed between dump and restore.',
  scope: 'log',
  docs: {
    why: 'CRIU checks the size (and build-id) of files mapped or open at dump time: "File X has bad size N (expect M)". The rootfs changed, or the target has another copy.',
    fix: 'Restore on the same rootfs content (copy it after the dump, not before), or dump again.',
  },
  logSignatures: [
    {
      pattern: /File (\S+) has bad (size|build-ID|mode)|Unaccessible path opened/,
      explain: (m) => ({
        message: m[1] ? `${m[1]} differs from dump time (${m[2]})` : 'an open file now resolves to another inode',
        fix: 'Restore on the same root filesystem content as the dump (copy the rootfs unchanged); CRIU 3.15+ --file-validation and 3.18+ --skip-file-rwx-check relax the checks.',
      }),
      samples: [
        { line: 'File /usr/bin/app has bad size 10 (expect 20)', source: 'criu v4.2 criu/files-reg.c:2175 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
