import rule from '../../rules/criu-cpu.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.003456) Error (compel/src/lib/infect.c:181): SEIZE 1234: can't wait task: No such process",
  ],
  invalid: [
    { line: "(00.002345) Error (criu/arch/x86/cpu.c:297): cpu: CPU capabilities do not match run time", message: /^CRIU failed in / },
  ],
});
