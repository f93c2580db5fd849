/** An AppArmor profile inside the container denies CRIU's parasite its transport socket. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'apparmor-blocks-parasite',
  severity: 'error',
  summary: 'An AppArmor profile inside the container denies CRIU\'s parasite its transport socket.',
  scope: 'log',
  docs: {
    why: 'CRIU injects a parasite into each task and talks to it over a unix socket. A confined task whose profile denies that connect (often dhclient\'s) fails the dump: "Unable to connect a transport socket: Permission denied".',
    fix: 'Unconfine or stop that process (dmesg shows apparmor="DENIED" operation="connect"), or use CRIU 3.16+ on a kernel with AppArmor stacking.',
  },
  logSignatures: [
    {
      pattern: /Unable to connect a transport socket: Permission denied/,
      explain: () => ({
        message: "an AppArmor profile inside the container (often dhclient's) denies CRIU's parasite its unix socket",
        fix: "Unconfine or stop that process (dmesg shows apparmor=\"DENIED\" operation=\"connect\"), or use CRIU 3.16+ on a kernel with AppArmor stacking.",
      }),
      samples: [
        { line: '(01.739475) Error (compel/src/lib/infect.c:633): Unable to connect a transport socket: Permission denied', source: 'https://github.com/checkpoint-restore/criu/issues/552 (dump.log excerpt, as pasted)' },
      ],
    },
  ],
});
