/**
 * Programs CRIU runs during a dump or restore of this container: tar for the
 * content of its tmpfs mounts, ip for its network namespace.
 */
import { defineRule } from '../src/rule.js';
import type { Report, Snapshot } from '../src/types.js';
import { scalarValue } from '../src/config/query.js';
import { containerLocation, isRunning, known, ownNetns } from '../src/live/facts.js';

/** Where the container has tmpfs mounts: from its live mount table, else from its config (autodev's /dev is one, and autodev is on by default). */
function tmpfsMounts(snapshot: Snapshot): string[] | undefined {
  const container = snapshot.container!;
  const live = isRunning(container) ? known(container.mountinfo) : undefined;
  if (live) return live.filter((m) => m.fstype === 'tmpfs' && m.root === '/').map((m) => m.mountPoint);
  const configured = snapshot.mounts.filter((m) => m.fstype === 'tmpfs').map((m) => '/' + m.target.replace(/^\/+/, ''));
  const autodev = snapshot.config ? scalarValue(snapshot.config, 'lxc.autodev') : undefined;
  if (autodev === undefined || autodev !== '0') configured.unshift('/dev');
  return configured;
}

export default defineRule({
  id: 'criu-helper-missing',
  severity: 'error',
  summary: 'A program CRIU runs for this container (tar for tmpfs mounts, ip for its network) is not on PATH.',
  scope: 'live',
  messages: {
    tarMissing: 'tar is not on PATH and the container has tmpfs mounts',
    ipMissing: 'ip is not on PATH and CRIU needs it for the container network',
  },
  docs: {
    why:
      'CRIU does not dump everything itself. It archives the content of every tmpfs mount with `tar` (LXC\'s autodev /dev is a tmpfs, so ' +
      'nearly every container has one) and extracts it on restore; a missing tar fails with "Can\'t dump tmpfs content". For a container with ' +
      'its own network namespace it runs `ip addr/route/rule save` and `restore` (CR_IP_TOOL, else ip on PATH). A missing program shows as ' +
      'execvp("...") failed in the log. The network lock\'s tool is checked by network-lock-unavailable.',
    fix: 'Install the program on the host (tar; iproute2 for ip), on the PATH lxc-checkpoint runs criu with, or set CR_IP_TOOL to an ip binary.',
    reference: 'criu/filesystems.c (tmpfs_dump: tar); criu/net.c run_ip_tool',
  },
  logSignatures: [
    {
      pattern: /Can't (dump|restore) tmpfs content/,
      explain(m) {
        return {
          message: `tar failed to ${m[1]} the content of a tmpfs mount`,
          fix: "Make sure the 'tar' program is installed on the host (CRIU runs it for every tmpfs in the container); the lines above show tar's own error.",
        };
      },
      samples: [
        { line: 'Can\'t dump tmpfs content', source: 'criu v4.2 criu/filesystems.c:426 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
  check(snapshot) {
    const container = snapshot.container;
    const host = snapshot.host;
    if (!container || !host) return [];
    const reports: Report[] = [];
    const tools = known(host.tools);
    if (tools && tools.tar === null) {
      const mounts = tmpfsMounts(snapshot) ?? [];
      if (mounts.length > 0) {
        reports.push({
          messageId: 'tarMissing',
          message: `tar is not on PATH, and CRIU archives the content of this container's tmpfs mounts (${mounts.slice(0, 4).join(', ')}${mounts.length > 4 ? ', ...' : ''}) with it: the dump fails with "Can't dump tmpfs content". Install tar`,
          location: containerLocation(container),
        });
      }
    }
    if (host.ip.ok && host.ip.value === null && ownNetns(snapshot.config)) {
      const name = host.env.CR_IP_TOOL ? `CR_IP_TOOL (${host.env.CR_IP_TOOL})` : 'ip';
      reports.push({
        messageId: 'ipMissing',
        message: `${name} is not on PATH, and CRIU runs it to save and restore the addresses and routes of this container's network namespace; the dump fails. Install iproute2${host.env.CR_IP_TOOL ? ' or fix CR_IP_TOOL' : ''}`,
        location: containerLocation(container),
      });
    }
    return reports;
  },
});
