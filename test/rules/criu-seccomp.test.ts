import rule from '../../rules/criu-seccomp.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.118765) Error (criu/mem.c:718): Can't dump page with parasite",
  ],
  invalid: [
    { line: "(00.015432) Error (criu/seccomp.c:285): seccomp: Can't collect filter on tid_real 1234", message: /^CRIU failed in / },
  ],
});
