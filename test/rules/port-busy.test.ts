import rule from '../../rules/port-busy.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
    // The address is missing, not the port taken (criu#312): criu-network's.
    "Error (criu/sk-inet.c:764): Can't bind inet socket (id 115): Cannot assign requested address",
  ],
  invalid: [
    'inet: Can\'t bind inet socket (id 12): Address already in use',
  ],
});
