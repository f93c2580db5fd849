/** The images carry SELinux labels and this kernel has no SELinux. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'selinux-unavailable',
  severity: 'error',
  summary: 'The images carry SELinux labels and this kernel has no SELinux.',
  scope: 'log',
  docs: {
    why: 'CRIU refuses an LSM profile for an LSM the kernel lacks: "selinux LSM specified but selinux not supported by kernel".',
    fix: 'Restore on a host with SELinux, or pass --lsm-profile none:.',
  },
  logSignatures: [
    {
      pattern: /selinux LSM specified but selinux not supported by kernel/,
      explain: () => ({ message: 'the restore asks for an SELinux context on a kernel without SELinux', fix: 'Remove lxc.selinux.context from the container config on this host; with plain criu use --lsm-profile none:.', criuOptions: ['--lsm-profile', 'none:'] }),
      samples: [
        { line: 'selinux LSM specified but selinux not supported by kernel', source: 'criu v4.2 criu/lsm.c:413 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
