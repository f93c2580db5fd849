import rule from '../../rules/criu-filesystems.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.030021) Error (criu/tty.c:201): tty: Too many external terminals",
  ],
  invalid: [
    { line: "(00.020111) Error (criu/filesystems.c:147): Second binfmt_misc superblock", message: /^CRIU failed in / },
  ],
});
