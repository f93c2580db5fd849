/** CRIU failed in the restorer, the code that finishes a restore inside each task (an error from its restorer code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-restorer',
  severity: 'error',
  summary: "CRIU failed in the restorer, the code that finishes a restore inside each task (an error from its restorer code).",
  scope: 'log',
  docs: {
    why: "At the end of restore CRIU jumps into a small blob (pie/restorer.c, criu/arch/*/restorer.c, sigframe.c) that maps the memory, threads, signals, timers, rseq and credentials back from within each task; its errors, printed with a `pie:` prefix, are about one of those.",
    fix: "Read the lines just above (the pid and what was being restored); ctcr doctor NAME checks the known cases (rseq-unsupported, criu-kernel-mismatch, nr-open-mismatch, lsm-mismatch). Restore on the same kernel and with the same limits (RLIMIT_NOFILE, nr_open) as at dump time; a newer CRIU knows more kernels.",
  },
  logArea: {
    name: "the restorer (the final stage of restore, inside the tasks)",
    // cr-dump.c, cr-restore.c, the restorer, util.c ... serve every subsystem: a message that names another area's subject goes there.
    generic: true,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'arch/aarch64/restorer.c',
      'arch/arm/restorer.c',
      'arch/ppc64/restorer.c',
      'arch/x86/restorer.c',
      'criu/arch/aarch64/restorer.c',
      'criu/arch/aarch64/sigframe.c',
      'criu/arch/arm/pie-cacheflush.c',
      'criu/arch/arm/restorer.c',
      'criu/arch/arm/sigframe.c',
      'criu/arch/loongarch64/restorer.c',
      'criu/arch/loongarch64/sigframe.c',
      'criu/arch/mips/restorer.c',
      'criu/arch/mips/sigframe.c',
      'criu/arch/ppc64/restorer.c',
      'criu/arch/ppc64/sigframe.c',
      'criu/arch/riscv64/restorer.c',
      'criu/arch/riscv64/sigframe.c',
      'criu/arch/s390/restorer.c',
      'criu/arch/s390/sigframe.c',
      'criu/arch/x86/restorer.c',
      'criu/arch/x86/shstk.c',
      'criu/arch/x86/sigaction_compat_pie.c',
      'criu/arch/x86/sigframe.c',
      'criu/pie/restorer.c',
      'criu/sigframe.c',
      'pie/restorer.c',
      'sigframe.c',
    ],
  },
});
