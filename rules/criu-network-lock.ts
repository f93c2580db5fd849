/** CRIU failed locking or unlocking the network with iptables or nftables (an error from its netfilter code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-network-lock',
  severity: 'error',
  summary: "CRIU failed locking or unlocking the network with iptables or nftables (an error from its netfilter code).",
  scope: 'log',
  docs: {
    why: "While it dumps TCP connections CRIU blocks the container's traffic with iptables or nftables rules (netfilter.c, and net.c's network lock) and removes them after restore; it fails when the tools or the kernel modules are missing.",
    fix: "ctcr doctor NAME checks the known cases (network-lock-unavailable, iptables-legacy-missing). Options: --network-lock iptables|nftables|skip (skip only when no TCP connection matters); install iptables (legacy and nft) or nft as the host's kernel needs.",
  },
  logArea: {
    name: "network locking (iptables/nftables)",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /iptables|nftables|\bnft\b|network lock|Locking network/i,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/netfilter.c',
      'netfilter.c',
    ],
  },
});
