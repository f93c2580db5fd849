import rule from '../../rules/criu-plugins.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (plugins/cuda at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
  ],
  invalid: [
    { line: '(00.051234) Error (plugins/cuda/cuda_plugin.c:173): cuda_plugin: cuda-checkpoint exited improperly: 256', message: /^CRIU failed in a CRIU plugin/ },
  ],
});
