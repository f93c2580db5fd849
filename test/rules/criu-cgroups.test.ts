import rule from '../../rules/criu-cgroups.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.099123) Error (criu/netfilter.c:90): nf: Can't translate ip addr: Invalid argument",
  ],
  invalid: [
    { line: "(00.008888) Error (criu/cgroup.c:452): cg: dumping known properties failed", message: /^CRIU failed in / },
  ],
});
