/** CRIU could not freeze the container's cgroup. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'freeze-cgroup',
  severity: 'error',
  summary: 'CRIU could not freeze the container\'s cgroup.',
  scope: 'log',
  docs: {
    why: 'lxc-checkpoint passes --freeze-cgroup; when the freezer cannot freeze every task in time ("Unable to freeze cgroup ... attempts, timeout"), typically tasks in uninterruptible sleep, the dump stops.',
    fix: 'Find the tasks in D state (ps -eo pid,stat,wchan) and let them finish their I/O, then try again.',
  },
  logSignatures: [
    {
      pattern: /Neither a cgroupv1 \(freezer\.state\) or cgroupv2 \(cgroup\.freeze\) control file found|Unable to freeze cgroup/,
      explain: () => ({ message: 'CRIU could not freeze the container through its freezer cgroup', fix: 'Check the --freeze-cgroup path (cgroup v1: /sys/fs/cgroup/freezer/..., v2: /sys/fs/cgroup/...) and retry; CRIU 3.14+ supports the v2 freezer.' }),
      samples: [
        { line: 'Unable to freeze cgroup /sys/fs/cgroup/lxc/c1 (100000 x 100ms attempts, timeout: 10s)', source: 'criu v4.2 criu/seize.c:635 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
