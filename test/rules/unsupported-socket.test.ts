import rule from '../../rules/unsupported-socket.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
  ],
  invalid: [
    '(00.026522) Error (criu/sk-inet.c:130): inet: Unsupported proto 262 for socket 2f9bc5',
    'Error (criu/sk-inet.c:133): inet: Unsupported proto 132 for socket 64cc',
    'Can\'t dump corked dgram socket 1f',
  ],
});
