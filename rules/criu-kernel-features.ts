/** CRIU failed detecting the features of the running kernel (an error from its kerndat or check code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-kernel-features',
  severity: 'error',
  summary: "CRIU failed detecting the features of the running kernel (an error from its kerndat or check code).",
  scope: 'log',
  docs: {
    why: "Before every dump and restore CRIU probes the kernel (kerndat.c, cr-check.c): syscalls, /proc files, netlink families, memory and namespace features. A failed probe stops it; usually the kernel lacks an option CRIU needs, or CRIU runs where it may not probe (a container, a seccomp'd service).",
    fix: "Run criu check --all (ctcr doctor NAME runs it) and read which feature is missing; ctcr doctor names the known cases (criu-kernel-mismatch, criu-too-old, rseq-unsupported, uprobes, sock-diag-missing). Use a kernel built with CONFIG_CHECKPOINT_RESTORE and the options criu check names, or a CRIU that knows this kernel.",
  },
  logArea: {
    name: "kernel feature detection",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /kerndat|kernel features/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'cr-check.c',
      'criu/arch/x86/kerndat.c',
      'criu/cr-check.c',
      'criu/kerndat.c',
      'kerndat.c',
    ],
  },
});
