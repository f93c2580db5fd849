/** CRIU failed dumping or restoring a terminal (an error from its tty code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-ttys',
  severity: 'error',
  summary: "CRIU failed dumping or restoring a terminal (an error from its tty code).",
  scope: 'log',
  docs: {
    why: "CRIU's tty code (tty.c) needs both ends of every pty the container's tasks hold, and the console and /dev/ttyN LXC binds from outside are such ends; restore re-creates ptys with the same index.",
    fix: "ctcr doctor NAME checks the known cases (tty-nonzero, console-enabled, console-mismatch, pty-index-busy, shell-job, dev-console-allowed). Set lxc.tty.max = 0 and lxc.console.path = none for checkpointing, or pass the terminal with --external tty[RDEV:DEV] / --inherit-fd; --shell-job for a task attached to the caller's terminal.",
  },
  logArea: {
    name: "terminal (tty) dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\btty\b|\bpty\b|\bptmx\b|terminal|console/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/tty.c',
      'tty.c',
    ],
  },
});
