/** CRIU failed dumping or restoring an open file or file descriptor (an error from its files code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-files',
  severity: 'error',
  summary: "CRIU failed dumping or restoring an open file or file descriptor (an error from its files code).",
  scope: 'log',
  docs: {
    why: "CRIU's files code (files.c, files-reg.c, files-ext.c, fifo.c, pipes.c, eventfd.c, eventpoll.c, signalfd.c, timerfd.c, fsnotify.c, memfd.c, pidfd.c, file-lock.c) dumps every fd of every task and opens them again on restore; it fails on files that changed or vanished, deleted files too big to keep, file types it does not know, and locks.",
    fix: "Find the fd and path in the lines above; ctcr doctor NAME checks the known cases (unsupported-file, ghost-file-too-big, link-remap, file-locks, external-file, inotify-irmap, io-uring, rootfs-changed, pidfd-outside-tree). Options: --ghost-limit SIZE, --link-remap, --file-locks, --external file[MNT:INO], --inherit-fd fd[N]:ID, --force-irmap; keep the rootfs unchanged between dump and restore.",
  },
  logArea: {
    name: "file and file descriptor dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bfiles?\b|\bfds?\b|\beventpoll\b|\bepoll\b|\binotify\b|\bfanotify\b|\bfsnotify\b|\bpipes?\b|\bfifo\b|\bghost\b/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/bpfmap.c',
      'criu/eventfd.c',
      'criu/eventpoll.c',
      'criu/fifo.c',
      'criu/file-ids.c',
      'criu/file-lock.c',
      'criu/files-ext.c',
      'criu/files-reg.c',
      'criu/files.c',
      'criu/fsnotify.c',
      'criu/irmap.c',
      'criu/kcmp-ids.c',
      'criu/memfd.c',
      'criu/path.c',
      'criu/pidfd.c',
      'criu/pipes.c',
      'criu/signalfd.c',
      'criu/timerfd.c',
      'eventfd.c',
      'eventpoll.c',
      'fifo.c',
      'file-ids.c',
      'file-lock.c',
      'files-ext.c',
      'files-reg.c',
      'files.c',
      'fsnotify.c',
      'irmap.c',
      'kcmp-ids.c',
      'pipes.c',
      'signalfd.c',
      'timerfd.c',
    ],
  },
});
