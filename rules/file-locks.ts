/** A task holds file locks and the dump was not told to dump them. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'file-locks',
  severity: 'error',
  summary: 'A task holds file locks and the dump was not told to dump them.',
  scope: 'log',
  docs: {
    why: 'CRIU refuses tasks holding flock/POSIX/OFD locks unless --file-locks is given: "Some file locks are hold by dumping tasks!". lxc-checkpoint passes --file-locks; a lock on a file CRIU cannot resolve still fails ("Unresolved lock found").',
    fix: 'Pass --file-locks (lxc-checkpoint does), or release the lock before the dump.',
  },
  logSignatures: [
    {
      pattern: /Some file locks are hold by dumping tasks/,
      explain: () => ({ message: 'processes in the container hold file locks', fix: 'Pass --file-locks on dump and restore (lxc-checkpoint does).', criuOptions: ['--file-locks'] }),
      samples: [
        { line: 'Some file locks are hold by dumping tasks! You can try --file-locks to dump them.', source: 'criu v4.2 criu/file-lock.c:110 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      pattern: /Unresolved lock found pid (\d+) ino (\d+)/,
      explain: (m) => ({ message: `a POSIX lock on inode ${m[2]} is owned by process ${m[1]} outside the container`, fix: 'Stop the outside process holding the lock before the dump.' }),
      samples: [
        { line: 'Unresolved lock found pid 12 ino 3456', source: 'criu v4.2 criu/file-lock.c:102 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
