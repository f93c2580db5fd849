/** The images hold IPv6 state and this host has IPv6 disabled. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'ipv6-disabled',
  severity: 'error',
  summary: 'The images hold IPv6 state and this host has IPv6 disabled.',
  scope: 'log',
  docs: {
    why: 'Restoring IPv6 addresses, routes or sockets needs IPv6 in the kernel.',
    fix: 'Enable IPv6 on the restoring host (sysctl net.ipv6.conf.all.disable_ipv6=0), or disable it in the container before the dump.',
  },
  logSignatures: [
    {
      pattern: /Unable to create a ipv6 dgram socket|kerndat_has_ipv6_freebind failed/,
      explain: () => ({
        message: 'the kernel was booted with ipv6.disable=1 and CRIU cannot probe IPv6 (criu#2222)',
        fix: 'Boot without ipv6.disable=1 (disable IPv6 with the net.ipv6.conf.all.disable_ipv6 sysctl instead).',
      }),
      samples: [
        { line: 'Unable to create a ipv6 dgram socket: Address family not supported by protocol', source: 'criu v4.2 criu/kerndat.c:1680 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
