import rule from '../../rules/criu-files.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.001234) Error (criu/pstree.c:386): Current sid 1 intersects with pid (1) in images",
  ],
  invalid: [
    { line: "(00.034567) Error (criu/files-reg.c:320): Can't seek file: Invalid argument", message: /^CRIU failed in / },
  ],
});
