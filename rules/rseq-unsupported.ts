/** A task uses rseq, and this kernel or CRIU cannot dump it. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'rseq-unsupported',
  severity: 'error',
  summary: 'A task uses rseq, and this kernel or CRIU cannot dump it.',
  scope: 'log',
  docs: {
    why: 'glibc 2.35+ registers rseq for every thread; CRIU needs the kernel\'s get_rseq_conf (5.13+) to save it: "has rseq but kernel lacks get_rseq_conf feature".',
    fix: 'Use kernel 5.13+ with CRIU 3.17+, or start the workload with GLIBC_TUNABLES=glibc.pthread.rseq=0.',
  },
  logSignatures: [
    {
      pattern: /has rseq but kernel lacks get_rseq_conf feature|rseq: can't restore as kernel doesn't support it/,
      explain: () => ({
        message: 'glibc 2.35+ in the container registers rseq, and this kernel lacks PTRACE_GET_RSEQ_CONFIGURATION (5.13+)',
        fix: 'Use kernel 5.13+ with CRIU 3.17+, or start the container with GLIBC_TUNABLES=glibc.pthread.rseq=0.',
      }),
      samples: [
        { line: '1 has rseq but kernel lacks get_rseq_conf feature', source: 'criu v4.2 criu/cr-dump.c:227 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
