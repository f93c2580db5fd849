import rule from '../../rules/pid-busy.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
  ],
  invalid: [
    '(00.116595) Error (criu/cr-restore.c:1230): Can\'t fork for 15047: File exists',
    'Pid 12 do not match expected 13',
  ],
});
