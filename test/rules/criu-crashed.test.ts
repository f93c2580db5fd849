import rule from '../../rules/criu-crashed.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    // SIGKILL is a kill (CRIU's cleanup, the OOM killer), not a crash.
    'Error (criu/cr-restore.c:1262): 4321 killed by signal 9: Killed',
    // LXC's "dump signaled with 9": killed, not crashed.
    'lxc-checkpoint: u1: criu.c: do_dump: 1192 dump signaled with 9',
    "(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
  ],
  invalid: [
    { line: 'Error (criu/pie/restorer.c:1895): BUG at criu/pie/restorer.c:1895', message: /internal check \(BUG at criu\/pie\/restorer\.c:1895\)/ },
    { line: '(00.345678) Error (criu/cr-restore.c:1262): 4321 killed by signal 11: Segmentation fault', message: /task 4321 crashed .*SIGSEGV/ },
    { line: 'Error (compel/src/lib/infect.c:1298): 1234 was killed by 7 unexpectedly: Bus error', message: /SIGBUS/ },
    { line: 'lxc-checkpoint: u1: criu.c: do_dump: 1192 dump signaled with 11', message: /criu crashed during the dump: killed by SIGSEGV/ },
    { line: "*** Error in `criu': free(): invalid pointer: 0x00007f2dfd5c0bf0 ***", message: /a process crashed/ },
    { line: 'criu[12345]: segfault at 0 ip 000055d0c1a2b3c4 sp 00007ffd1e2f3a40 error 4 in criu[55d0c1a00000+a0000]', message: /segfault at/ },
  ],
});
