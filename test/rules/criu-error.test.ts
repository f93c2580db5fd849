import rule from '../../rules/criu-error.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    // An unknown message of a known CRIU file names that file's area (criu-files), not criu-error.
    'Error (criu/files.c:1): a message no rule knows about',
  ],
  invalid: [
    // Only a source file CRIU has never had (a newer CRIU's, or not CRIU's) is left without an area.
    'Error (criu/some-future-file.c:1): a message no rule knows about',
  ],
});
