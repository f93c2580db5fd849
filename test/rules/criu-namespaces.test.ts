import rule from '../../rules/criu-namespaces.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.010987) Error (criu/lsm.c:109): getting selinux profile failed: Permission denied",
  ],
  invalid: [
    { line: "(00.004123)      1: Error (criu/ipc_ns.c:98): Failed to write IPC message data", message: /^CRIU failed in / },
  ],
});
