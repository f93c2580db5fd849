/** A CRIU action script (LXC's, or one of a CRIU config file) failed, and CRIU stopped. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'action-script-failed',
  severity: 'error',
  summary: 'A CRIU action script (LXC\'s, or one of a CRIU config file) failed, and CRIU stopped.',
  scope: 'log',
  docs: {
    why: 'CRIU runs action scripts at fixed points (pre-dump, post-dump, network-lock, setup-namespaces ...) and aborts when one exits non-zero: "Pre dump script failed with N!". LXC passes its own script for network set-up on restore.',
    fix: 'Read the script\'s own output above the error in the log; fix or remove the script (action-script in /etc/criu/default.conf or the file CRIU_CONFIG_FILE names).',
  },
  logSignatures: [
    {
      pattern: /Pre dump script failed with|Aborting restore due to (?:pre|post)-restore script|Script (\S+) exited with|One of more action scripts failed/,
      explain: (m) => ({ message: `an action script failed (${m[0]})`, fix: 'Run the --action-script by hand with CRTOOLS_SCRIPT_ACTION set to see why; it must be executable and start with a #! line.' }),
      samples: [
        { line: 'Pre dump script failed with 1!', source: 'criu v4.2 criu/cr-dump.c:2164 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
