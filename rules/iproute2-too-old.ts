/** CRIU saves and restores a container's addresses and routes with the host's `ip`. */
import { defineRule } from '../src/rule.js';
import { IPROUTE2_MIN_FOR_CRIU, atLeast, formatVersion, iproute2SnapshotVersion } from '../src/criu/version.js';
import { HOST_LOCATION, hostOf, known } from '../src/live/facts.js';

export default defineRule({
  id: 'iproute2-too-old',
  severity: 'error',
  summary: `The ip tool CRIU runs is older than iproute2 ${IPROUTE2_MIN_FOR_CRIU}, or its version cannot be told.`,
  scope: 'live',
  messages: {
    versionUnknown: 'the version of the ip tool CRIU runs cannot be told',
    tooOld: 'the ip tool CRIU runs is older than iproute2 3.6.0',
  },
  docs: {
    why:
      "For a container with its own network namespace CRIU runs `ip addr save`, `ip route save` and `ip rule save` on dump and the " +
      `matching restores (the binary named by CR_IP_TOOL, else ip on PATH). CRIU's LXC page asks for iproute2 ${IPROUTE2_MIN_FOR_CRIU} or newer: ` +
      'older ip lacks the save/restore subcommands. A BusyBox ip prints no version and lacks them too.',
    fix: `Install iproute2 ${IPROUTE2_MIN_FOR_CRIU} or newer, or point CR_IP_TOOL at a recent ip binary.`,
    reference: 'https://criu.org/LXC (iproute2 v3.6.0 or higher); criu/net.c run_ip_tool',
  },
  check(snapshot) {
    const host = hostOf(snapshot);
    const ip = host && known(host.ip);
    if (!ip) return [];
    const via = ip.fromEnv ? ` (CR_IP_TOOL=${host!.env.CR_IP_TOOL})` : '';
    const version = ip.version ?? (ip.snapshot ? iproute2SnapshotVersion(ip.snapshot) : null);
    if (!version) {
      return [
        {
          messageId: 'versionUnknown',
          message: `cannot tell the iproute2 version of ${ip.path}${via} ("${ip.raw.split('\n')[0]}"); CRIU needs iproute2 ${IPROUTE2_MIN_FOR_CRIU} or newer for ip addr/route save and restore`,
          location: HOST_LOCATION,
          severity: 'warning',
        },
      ];
    }
    if (atLeast(version, IPROUTE2_MIN_FOR_CRIU)) return [];
    return [
      {
        messageId: 'tooOld',
        message: `${ip.path}${via} is ${ip.snapshot ? `iproute2-ss${ip.snapshot} (a snapshot of about ${formatVersion(version)})` : `iproute2 ${version.text}`}, older than ${IPROUTE2_MIN_FOR_CRIU}: CRIU's ip addr/route save and restore fail with it. Install a newer iproute2 or set CR_IP_TOOL`,
        location: HOST_LOCATION,
      },
    ];
  },
});
