/** CRIU failed dumping or restoring a seccomp filter (an error from its seccomp code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-seccomp',
  severity: 'error',
  summary: "CRIU failed dumping or restoring a seccomp filter (an error from its seccomp code).",
  scope: 'log',
  docs: {
    why: "CRIU reads each task's seccomp filters with ptrace (seccomp.c) and installs them again at the end of restore; it needs PTRACE_SECCOMP_GET_FILTER and fails when the kernel lacks it or a filter cannot be read.",
    fix: "ctcr doctor NAME checks the known case (seccomp-unsupported): a kernel with CONFIG_CHECKPOINT_RESTORE and seccomp filter dumping; or drop the filter (lxc.seccomp.profile) for containers that must be checkpointed.",
  },
  logArea: {
    name: "seccomp filter dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /seccomp/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/seccomp.c',
      'seccomp.c',
    ],
  },
});
