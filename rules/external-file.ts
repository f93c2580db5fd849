/** A task holds a file from a mount CRIU does not dump (outside the container's mount namespace). Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { externalFileReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'external-file',
  severity: 'error',
  summary: 'A task holds a file from a mount CRIU does not dump (outside the container\'s mount namespace).',
  scope: 'live',
  messages: {
    externalFile: 'a task holds a file from a mount outside the container',
  },
  check: externalFileReports,
  docs: {
    why: 'CRIU records each open file by its mount; a file opened on a mount that is not in the dumped mount namespace (a host fd passed in by lxc-attach, a pts of the host) cannot be found: "Can\'t lookup mount=N for fd=M".',
    fix: 'Close the descriptor (restart the process from inside the container, without host fds), or declare the file external (--external file[mnt_id:inode]) and pass it back with --inherit-fd on restore.',
  },
  logSignatures: [
    {
      pattern: /Can't lookup mount=(\d+) for fd=(\d+) path=(\S+)/,
      explain: (m) => ({
        message: `fd ${m[2]} (${m[3]}) was opened on a mount outside the container, e.g. a host pty`,
        fix: 'Close it in the container, or mark it external (--external file[MNT_ID:INODE] or tty[RDEV:DEV]) and pass it back with --inherit-fd on restore.',
      }),
      samples: [
        { line: '(00.169162) Error (criu/files-reg.c:1790): Can\'t lookup mount=24 for fd=10 path=/dev/null', source: 'lab: lxc-attach-host-fd-dump-criu4.2.1-linux6.18.log (this project\'s lab)' },
      ],
    },
  ],
});
