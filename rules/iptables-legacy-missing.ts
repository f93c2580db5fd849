/** The images hold a legacy iptables dump and this host has no iptables-legacy. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'iptables-legacy-missing',
  severity: 'error',
  summary: 'The images hold a legacy iptables dump and this host has no iptables-legacy.',
  scope: 'log',
  docs: {
    why: 'CRIU restores the network namespace\'s iptables rules with the tool that saved them: "Can\'t restore iptables dump - no legacy version present".',
    fix: 'Install iptables (with iptables-legacy-restore) on the restoring host.',
  },
  logSignatures: [
    {
      pattern: /Can't restore ip6?tables dump - no legacy version present/,
      explain: () => ({ message: 'the images hold iptables-legacy rules, and no iptables-legacy-restore is installed', fix: 'Install the iptables-legacy binaries (iptables-legacy-restore, ip6tables-legacy-restore) on the restore host.' }),
      samples: [
        { line: 'net: Can\'t restore iptables dump - no legacy version present', source: 'criu v4.2 criu/net.c:2540 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
