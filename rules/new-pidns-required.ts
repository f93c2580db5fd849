/** The process tree needs a new pid namespace on restore. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'new-pidns-required',
  severity: 'error',
  summary: 'The process tree needs a new pid namespace on restore.',
  scope: 'log',
  docs: {
    why: 'A tree dumped with its own pid namespace must be restored into a new one: "can only be restored in a new pid namespace".',
    fix: 'Restore through lxc-checkpoint -r (or ctcr restore), or run criu restore under criu-ns.',
  },
  logSignatures: [
    {
      pattern: /can only be restored in a new pid namespace/,
      explain: () => ({
        message: 'the process tree needs its own pid namespace on restore (the message names --namespace, an option removed in CRIU 2.2)',
        fix: 'Restore through lxc-checkpoint -r, or run criu restore under criu-ns / unshare --pid --fork.',
      }),
      samples: [
        { line: 'This process tree can only be restored in a new pid namespace.', source: 'criu v4.2 criu/cr-restore.c:2035 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
