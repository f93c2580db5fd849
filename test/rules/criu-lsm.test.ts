import rule from '../../rules/criu-lsm.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.008888) Error (criu/cgroup.c:452): cg: dumping known properties failed",
  ],
  invalid: [
    { line: "(00.010987) Error (criu/lsm.c:109): getting selinux profile failed: Permission denied", message: /^CRIU failed in / },
  ],
});
