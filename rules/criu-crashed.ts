/** CRIU, its parasite or a task it restored crashed (a fatal signal, a segfault, a failed BUG_ON). Recognised in CRIU logs only (ctcr explain). */
import { defineRule } from '../src/rule.js';

/** Signals that mean a crash, not a kill: SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS (x86/arm numbering). */
const CRASH_SIGNALS = new Map([
  [4, 'SIGILL'],
  [5, 'SIGTRAP'],
  [6, 'SIGABRT'],
  [7, 'SIGBUS'],
  [8, 'SIGFPE'],
  [11, 'SIGSEGV'],
  [31, 'SIGSYS'],
]);

const CRASH_FIX =
  'A crash is a bug or a mismatch, not a setting: restore on the same kernel and CPU as the dump (ctcr doctor NAME: criu-kernel-mismatch), try the newest CRIU, and report it to CRIU (https://github.com/checkpoint-restore/criu/issues) with the -v4 log and the kernel log (dmesg) of that moment.';

export default defineRule({
  id: 'criu-crashed',
  severity: 'error',
  summary: 'CRIU, its parasite or a task it restored crashed (a fatal signal, a segfault, a failed BUG_ON).',
  scope: 'log',
  docs: {
    why: "A crash stops CRIU mid-way: its own BUG_ON prints `BUG at FILE:LINE` and aborts, a task killed by SIGSEGV, SIGBUS or SIGILL while infected or right after restore fails the whole run. The lines after it are the cleanup, not the cause; the cause is in CRIU or in a difference between the dump and the restore host (kernel, CPU features, vDSO).",
    fix: CRASH_FIX,
  },
  logSignatures: [
    {
      // include/common/bug.h: BUG_ON() prints this and raises SIGABRT.
      pattern: /\bBUG at (\S+?):(\d+)/,
      explain: (m) => ({ message: `CRIU hit an internal check (BUG at ${m[1]}:${m[2]}) and aborted`, fix: CRASH_FIX }),
      samples: [{ line: 'Error (criu/pie/restorer.c:1895): BUG at criu/pie/restorer.c:1895', source: 'criu v4.2 include/common/bug.h:24 (the message it prints, with a file and line of a BUG_ON of v4.2)' }],
    },
    {
      // compel/src/lib/infect.c:1298 (a task died with the parasite in it) and criu/cr-restore.c:1262 (a restored task died).
      pattern: /(?<!\d)(\d+) (?:was )?killed by (?:signal )?(4|5|6|7|8|11|31)(?!\d)(?: unexpectedly)?(?::\s*(.*))?$/,
      explain: (m, ctx) => {
        const when = ctx.log.action === 'restore' ? 'during restore' : ctx.log.action ? `during ${ctx.log.action}` : 'while CRIU worked on it';
        return { message: `task ${m[1]} crashed ${when}: ${CRASH_SIGNALS.get(Number(m[2]))}${m[3] ? ` (${m[3]})` : ''}`, fix: CRASH_FIX };
      },
      samples: [
        { line: '(00.345678) Error (criu/cr-restore.c:1262): 4321 killed by signal 11: Segmentation fault', source: 'criu v4.2 criu/cr-restore.c:1262 (the message it prints, with this run\'s values)' },
        { line: 'Error (compel/src/lib/infect.c:1298): 1234 was killed by 7 unexpectedly: Bus error', source: 'criu v4.2 compel/src/lib/infect.c:1298 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      // LXC's criu.c when criu itself died of a signal: "dump signaled with 11" (dump), "CRIU was killed with signal 11" (restore).
      pattern: /\b(?:(dump|restore) signaled with|CRIU was killed with signal) (4|5|6|7|8|11|31)(?!\d)/,
      explain: (m) => ({ message: `criu crashed during the ${m[1] ?? 'restore'}: killed by ${CRASH_SIGNALS.get(Number(m[2]))} (LXC: ${m[0]})`, fix: CRASH_FIX }),
      samples: [
        { line: 'lxc-checkpoint: u1: criu.c: do_dump: 1192 dump signaled with 11', source: 'https://github.com/checkpoint-restore/criu/issues/519 (fixtures/explain-recall/lxc-dump-signaled-criu519.log)' },
        { line: 'lxc-checkpoint: c1: criu.c: do_restore: 1108 CRIU was killed with signal 11', source: 'lxc src/lxc/criu.c do_restore (the message it prints, with this run\'s values)' },
      ],
    },
    {
      // What the shell, glibc or the kernel's log print when criu itself dies (pasted next to the log in issues).
      pattern: /Segmentation fault|segfault at [0-9a-f]+ ip |\(core dumped\)|\*\*\* stack smashing detected \*\*\*|\*\*\* Error in `[^`']+': |\bIllegal instruction\b|double free or corruption|\bBus error\b|Assertion `.*' failed/,
      explain: (m) => ({ message: `a process crashed (${m[0]})`, fix: CRASH_FIX }),
      samples: [
        { line: 'criu[12345]: segfault at 0 ip 000055d0c1a2b3c4 sp 00007ffd1e2f3a40 error 4 in criu[55d0c1a00000+a0000]', source: 'the kernel\'s segfault report (arch/x86/mm/fault.c show_signal_msg), as users paste it from dmesg' },
        { line: 'Segmentation fault (core dumped)', source: 'bash\'s report of a command killed by SIGSEGV' },
        { line: "*** Error in `criu': free(): invalid pointer: 0x00007f2dfd5c0bf0 ***", source: 'https://github.com/checkpoint-restore/criu/issues/429 (glibc aborting criu; fixtures/explain-recall/glibc-abort-remaps-criu429.log)' },
      ],
    },
  ],
});
