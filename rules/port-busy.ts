/** A socket the restore needs to bind is taken on this host. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'port-busy',
  severity: 'error',
  summary: 'A socket the restore needs to bind is taken on this host.',
  scope: 'log',
  docs: {
    why: 'CRIU rebinds the restored sockets to their addresses; a port in use on the target (in the same network namespace) fails the bind: "Address already in use".',
    fix: 'Stop what holds the port on the target, or restore into the container\'s own network namespace.',
  },
  logSignatures: [
    {
      // Not EADDRNOTAVAIL ("Cannot assign requested address"): that is a missing address (criu-network), not a busy port.
      pattern: /Can't bind inet socket(?!.*Cannot assign requested address)/,
      explain: (_m, { root }) => ({
        message: `a restored socket could not bind${/Address already in use/.test(root.message) ? ': the port is in use on this host' : ''}`,
        fix: 'Free the port on the target (or restore into the container network namespace) and make sure the container gets the same IP address.',
      }),
      samples: [
        { line: 'inet: Can\'t bind inet socket (id 12): Address already in use', source: 'criu v4.2 criu/sk-inet.c:1059 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
