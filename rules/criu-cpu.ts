/** CRIU failed on the CPU features of the dump or restore host (an error from its CPU code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-cpu',
  severity: 'error',
  summary: "CRIU failed on the CPU features of the dump or restore host (an error from its CPU code).",
  scope: 'log',
  docs: {
    why: "CRIU records the CPU features (FPU/xsave layout, instruction sets) at dump time and checks on restore that this CPU has them (criu/arch/*/cpu.c, compel's cpu.c); restoring on a CPU with fewer features fails.",
    fix: "Restore on the same CPU model, or choose what is compared with --cpu-cap=fpu|cpu|ins|none (none: at your risk; tasks using missing instructions crash). criu cpuinfo dump/check compares two hosts ahead of time.",
  },
  logArea: {
    name: "CPU feature checks",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bmarch\b|\bcpu(?:info)?\b|\bxsave\b|\bFPU\b/i,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'arch/aarch64/cpu.c',
      'arch/arm/cpu.c',
      'arch/ppc64/cpu.c',
      'arch/x86/cpu.c',
      'compel/arch/aarch64/src/lib/cpu.c',
      'compel/arch/arm/src/lib/cpu.c',
      'compel/arch/loongarch64/src/lib/cpu.c',
      'compel/arch/mips/src/lib/cpu.c',
      'compel/arch/ppc64/src/lib/cpu.c',
      'compel/arch/riscv64/src/lib/cpu.c',
      'compel/arch/s390/src/lib/cpu.c',
      'compel/arch/x86/src/lib/cpu.c',
      'criu/arch/aarch64/cpu.c',
      'criu/arch/arm/cpu.c',
      'criu/arch/loongarch64/cpu.c',
      'criu/arch/mips/cpu.c',
      'criu/arch/ppc64/cpu.c',
      'criu/arch/riscv64/cpu.c',
      'criu/arch/s390/cpu.c',
      'criu/arch/x86/cpu.c',
    ],
  },
});
