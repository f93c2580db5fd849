import rule from '../../rules/criu-error.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
  ],
  invalid: [
    'Error (criu/files.c:1): a message no rule knows about',
  ],
});
