import rule from '../../rules/seccomp-unsupported.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
  ],
  invalid: [
    'seccomp: Can\'t fetch filter on tid_real 5 i 0: Invalid argument',
    // CRIU 2.x, kernel 4.2 (lxc/lxc#1213)
    'Error (criu/ptrace.c:64): suspending seccomp failed: Invalid argument',
  ],
});
