/** CRIU cannot find the path of an inotify/fanotify watch. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'inotify-irmap',
  severity: 'error',
  summary: 'CRIU cannot find the path of an inotify/fanotify watch.',
  scope: 'log',
  docs: {
    why: 'CRIU saves a watch by its file handle and must turn it back into a path; on some filesystems (overlayfs, tmpfs without handles) it cannot: "fsnotify: Can\'t dump that handle".',
    fix: 'Restart the watching process after the dump, or pass --force-irmap so CRIU searches the paths.',
  },
  logSignatures: [
    {
      pattern: /Can't find suitable path for handle|Can't dump that handle|Failed to resolve [0-9a-f]+:[0-9a-f]+/,
      explain: () => ({ message: 'an inotify or fanotify watch points at a file CRIU cannot find by inode', fix: 'Pass --force-irmap (and --irmap-scan-path DIR for the watched tree), or stop the watching process.', criuOptions: ['--force-irmap'] }),
      samples: [
        { line: 'Error (criu/fsnotify.c:286): fsnotify: 	Can\'t dump that handle', source: 'https://github.com/lxc/lxc/issues/3521 (dump.log at the default verbosity, as pasted)' },
      ],
    },
  ],
});
