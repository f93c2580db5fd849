import rule from '../../rules/ghost-file-too-big.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
  ],
  invalid: [
    'Error (criu/files-reg.c:1031): Can\'t dump ghost file /var/log/app/big.log of 5242880 size, increase limit',
  ],
});
