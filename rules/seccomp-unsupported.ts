/** CRIU cannot read a task's seccomp filter. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'seccomp-unsupported',
  severity: 'error',
  summary: 'CRIU cannot read a task\'s seccomp filter.',
  scope: 'log',
  docs: {
    why: 'Dumping seccomp filters needs PTRACE_SECCOMP_GET_FILTER (kernel 4.4+ with CONFIG_CHECKPOINT_RESTORE): "Can\'t fetch filter".',
    fix: 'Use a kernel with CONFIG_CHECKPOINT_RESTORE and PTRACE_SECCOMP_GET_FILTER, or run the task without a seccomp filter.',
  },
  logSignatures: [
    {
      pattern: /Can't fetch filter on tid_real|Kernel doesn't support PTRACE_O_SUSPEND_SECCOMP|couldn't suspend seccomp|suspending seccomp failed/,
      explain: () => ({ message: 'the kernel cannot hand CRIU the seccomp filters of the container processes', fix: "Use a kernel with CONFIG_CHECKPOINT_RESTORE and CONFIG_SECCOMP; check with 'criu check --feature seccomp_filters'." }),
      samples: [
        { line: 'seccomp: Can\'t fetch filter on tid_real 5 i 0: Invalid argument', source: 'criu v4.2 criu/seccomp.c:149 (the message it prints, with this run\'s values)' },
        { line: 'Error (criu/ptrace.c:64): suspending seccomp failed: Invalid argument', source: 'https://github.com/lxc/lxc/issues/1213 (CRIU 2.x on kernel 4.2, without PTRACE_O_SUSPEND_SECCOMP)' },
      ],
    },
  ],
});
