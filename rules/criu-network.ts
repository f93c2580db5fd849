/** CRIU failed dumping or restoring the network namespace: links, addresses, routes or rules (an error from its net code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-network',
  severity: 'error',
  summary: "CRIU failed dumping or restoring the network namespace: links, addresses, routes or rules (an error from its net code).",
  scope: 'log',
  docs: {
    why: "CRIU's net code (net.c, libnetlink.c, tun.c) dumps the container's network devices, addresses, routes and iptables rules through netlink and the ip and iptables-save tools, and restores them with ip and iptables-restore; it fails on device types it cannot re-create and when those tools fail.",
    fix: "Read the ip or iptables output just above the error; ctcr doctor NAME checks the known cases (network-type-unsupported, bridge-missing, iproute2-too-old, ipv6-disabled, network-lock-unavailable). Veth pairs are named with --veth-pair IN=OUT (LXC passes them); devices CRIU cannot dump must be external (--external) or removed; install iproute2 and iptables on the host.",
  },
  logSignatures: [
    {
      // EADDRNOTAVAIL: the address a socket was bound to is not on any link of the restored namespace; the port is not the problem.
      pattern: /Can't bind inet socket.*Cannot assign requested address/,
      explain: () => ({
        message: "a restored socket's IP address is not configured in the restored network namespace: the container has another address than at dump time",
        fix: 'Restore with the addresses the container had at dump time (the same lxc.net.N.ipv4.address / ipv6.address, or the same DHCP lease), or let CRIU restore the network namespace itself (lxc-checkpoint does).',
      }),
      samples: [
        { line: "Error (criu/sk-inet.c:764): Can't bind inet socket (id 115): Cannot assign requested address", source: 'https://github.com/checkpoint-restore/criu/issues/312 (restored with another IP address than at dump)' },
      ],
    },
  ],
  logArea: {
    name: "network namespace dump/restore (links, addresses, routes)",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bnet\b|\bnetwork\b|\blinks?\b|\bveth\b|\broutes?\b|\bip (?:addr|route|rule)\b/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/libnetlink.c',
      'criu/net.c',
      'criu/tun.c',
      'libnetlink.c',
      'net.c',
      'tun.c',
    ],
  },
});
