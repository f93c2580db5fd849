import rule from '../../rules/criu-setup.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
  ],
  invalid: [
    { line: "(00.000123) Error (criu/crtools.c:226): --exec-cmd requires a command", message: /^CRIU failed in / },
  ],
});
