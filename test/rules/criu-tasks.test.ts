import rule from '../../rules/criu-tasks.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.000987) Error (criu/image.c:89): Not supported images version 2",
  ],
  invalid: [
    { line: "(00.001234) Error (criu/pstree.c:386): Current sid 1 intersects with pid (1) in images", message: /^CRIU failed in / },
  ],
});
