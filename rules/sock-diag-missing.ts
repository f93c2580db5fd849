/** The kernel lacks the sock_diag module CRIU needs to dump sockets. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'sock-diag-missing',
  severity: 'error',
  summary: 'The kernel lacks the sock_diag module CRIU needs to dump sockets.',
  scope: 'log',
  docs: {
    why: 'CRIU collects sockets through NETLINK_SOCK_DIAG per family (unix_diag, inet_diag, netlink_diag, packet_diag); a missing module fails the collection.',
    fix: 'Load the modules (modprobe unix_diag inet_diag tcp_diag udp_diag netlink_diag packet_diag) or use a kernel that has them.',
  },
  logSignatures: [
    {
      pattern: /The sock diag infrastructure is incomplete/,
      explain: () => ({
        message: "the kernel's socket diagnostics (*_DIAG) are incomplete, so CRIU cannot list sockets",
        fix: 'Enable CONFIG_UNIX_DIAG, CONFIG_INET_DIAG, CONFIG_PACKET_DIAG and CONFIG_NETLINK_DIAG, or load the modules (modprobe unix_diag inet_diag tcp_diag udp_diag packet_diag netlink_diag).',
      }),
      samples: [
        { line: 'sockets: The sock diag infrastructure is incomplete.', source: 'criu v4.2 criu/cr-check.c:145 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
