import rule from '../../rules/criu-memory.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.000321) Error (criu/kerndat.c:253): Can't read self maps",
  ],
  invalid: [
    { line: "(00.118765) Error (criu/mem.c:718): Can't dump page with parasite", message: /^CRIU failed in / },
  ],
});
