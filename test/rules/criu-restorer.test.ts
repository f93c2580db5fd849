import rule from '../../rules/criu-restorer.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.034567) Error (criu/files-reg.c:320): Can't seek file: Invalid argument",
  ],
  invalid: [
    { line: "(00.456789) pie: 1: Error (criu/pie/restorer.c:271): Unable to set fsuid", message: /^CRIU failed in / },
  ],
});
