/** CRIU failed on the process tree: seizing, reading /proc, or re-creating the tasks (an error from its dump, restore or process code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-tasks',
  severity: 'error',
  summary: "CRIU failed on the process tree: seizing, reading /proc, or re-creating the tasks (an error from its dump, restore or process code).",
  scope: 'log',
  docs: {
    why: "CRIU's process code (cr-dump.c, cr-restore.c, seize.c, pstree.c, proc_parse.c, sigact.c, timer.c) freezes the container's tasks, reads their state from /proc, and on restore forks the same tree with the same pids; it fails on tasks it cannot freeze or read, and on pids that are taken.",
    fix: "ctcr doctor NAME checks the known cases (zombie-process, stopped-process, traced-process, pid-busy, dump-not-init, criu-in-tree, session-outside, dump-timeout, new-pidns-required, freeze-cgroup). Options: --timeout for slow freezing, --freeze-cgroup, --shell-job for a session outside; restore into a new pid namespace (LXC does) so that pids are free.",
  },
  logArea: {
    name: "process tree dump/restore",
    // cr-dump.c, cr-restore.c, the restorer, util.c ... serve every subsystem: a message that names another area's subject goes there.
    generic: true,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'arch/x86/prlimit.c',
      'cr-dump.c',
      'cr-exec.c',
      'cr-restore.c',
      'criu/arch/mips/sigaction_compat.c',
      'criu/arch/x86/prlimit.c',
      'criu/arch/x86/sigaction_compat.c',
      'criu/clone-noasan.c',
      'criu/cr-dump.c',
      'criu/cr-exec.c',
      'criu/cr-restore.c',
      'criu/pidfd-store.c',
      'criu/proc_parse.c',
      'criu/pstree.c',
      'criu/seize.c',
      'criu/sigact.c',
      'criu/timer.c',
      'criu/tls.c',
      'proc_parse.c',
      'pstree.c',
      'security.c',
      'seize.c',
    ],
  },
});
