/** CRIU failed handling the vDSO of a task (an error from its vDSO code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-vdso',
  severity: 'error',
  summary: "CRIU failed handling the vDSO of a task (an error from its vDSO code).",
  scope: 'log',
  docs: {
    why: "CRIU finds the kernel's vDSO in each task on dump and, on restore, maps the running kernel's vDSO and redirects the old one to it (vdso.c, vdso-compat.c, the parasite's and restorer's vDSO code); a restore on another kernel, 32-bit (compat) tasks and unusual vDSO layouts make it fail.",
    fix: "Restore on the kernel that was running at dump time when you can (ctcr doctor NAME compares them: criu-kernel-mismatch); for 32-bit tasks CRIU needs its compat vDSO helper (criu check --feature compat_cr). A newer CRIU handles more vDSO layouts.",
  },
  logArea: {
    name: "vDSO handling",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bv(?:dso|var)\b/i,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'arch/aarch64/vdso-pie.c',
      'arch/aarch64/vdso.c',
      'arch/arm/vdso-pie.c',
      'arch/arm/vdso.c',
      'arch/ppc64/vdso-pie.c',
      'arch/ppc64/vdso.c',
      'arch/x86/vdso-pie.c',
      'arch/x86/vdso.c',
      'criu/arch/aarch64/vdso-pie.c',
      'criu/arch/arm/vdso-pie.c',
      'criu/arch/loongarch64/vdso-pie.c',
      'criu/arch/mips/vdso-pie.c',
      'criu/arch/ppc64/vdso-pie.c',
      'criu/arch/riscv64/vdso-pie.c',
      'criu/arch/s390/vdso-pie.c',
      'criu/arch/x86/vdso-pie.c',
      'criu/pie-util-vdso-elf32.c',
      'criu/pie-util-vdso.c',
      'criu/pie/parasite-vdso.c',
      'criu/pie/util-vdso-elf32.c',
      'criu/pie/util-vdso.c',
      'criu/vdso-compat.c',
      'criu/vdso.c',
      'pie/parasite-vdso.c',
      'pie/util-vdso.c',
      'vdso.c',
    ],
  },
});
