import rule from '../../rules/external-file.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
  ],
  invalid: [
    '(00.169162) Error (criu/files-reg.c:1790): Can\'t lookup mount=24 for fd=10 path=/dev/null',
  ],
});
