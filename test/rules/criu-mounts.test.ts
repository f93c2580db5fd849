import rule from '../../rules/criu-mounts.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.020111) Error (criu/filesystems.c:147): Second binfmt_misc superblock",
  ],
  invalid: [
    { line: "(00.021345) Error (criu/mount.c:246): mnt: Unable to find suitable mount point for s_dev 2d", message: /^CRIU failed in / },
  ],
});
