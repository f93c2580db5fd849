import rule from '../../rules/criu-sockets.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.021345) Error (criu/mount.c:246): mnt: Unable to find suitable mount point for s_dev 2d",
  ],
  invalid: [
    { line: "(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1", message: /^CRIU failed in / },
  ],
});
