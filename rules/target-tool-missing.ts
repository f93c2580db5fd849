/** A program the move runs is missing: on the target (ip, the network-lock tool, tar, lxc-checkpoint, rsync) or rsync on the source. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { known } from '../src/live/facts.js';
import { onSource, onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';

/** The network lock the target's CRIU config files choose, when they choose one (lxc-checkpoint passes none). */
function lockOf(argv: readonly string[] | undefined): string | undefined {
  if (!argv) return undefined;
  let lock: string | undefined;
  argv.forEach((a, i) => {
    if (a === '--network-lock') lock = argv[i + 1];
    else if (a.startsWith('--network-lock=')) lock = a.slice('--network-lock='.length);
  });
  return lock;
}

export default defineRule({
  id: 'target-tool-missing',
  severity: 'error',
  summary: 'A program the move needs is missing: ip, the network-lock tool, tar, lxc-checkpoint or rsync on the target, rsync on the source.',
  scope: 'target',
  messages: {
    toolMissing: "a tool the restore or the move needs is not on the target's PATH",
    rsyncMissing: "rsync is not on this host's PATH",
  },
  docs: {
    why:
      'The restore on the target runs `ip` (CRIU restores links and addresses with it), the network lock\'s tool (`iptables-restore` for the ' +
      'default iptables lock; nftables needs CRIU built with libnftables), `tar` (tmpfs contents) and LXC\'s lxc-checkpoint. ctcr migrate copies ' +
      'the rootfs and the images with rsync over ssh, so rsync must be on both hosts. Each missing one fails the move after the freeze.',
    fix: 'Install on the named side: iproute2, iptables, tar, lxc, rsync (Debian package names).',
    reference: 'criu/net.c run_ip_tool; criu/netfilter.c (iptables-restore); criu/tmpfs (tar); rsync(1)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t) return [];
    const { move } = t;
    const location = targetLocation(t.move);
    const reports: Report[] = [];
    const missing = (text: string, pkg: string) => reports.push({ messageId: 'toolMissing', message: onTarget(t.move, `${text} is not on PATH: install ${pkg} there`), location });
    if (t.facts.host.ip.ok && t.facts.host.ip.value === null) missing('ip (CRIU restores the network with it)', 'iproute2');
    const tools = known(t.facts.host.tools);
    const lock = lockOf(known(t.facts.host.criuConfig)?.argv);
    if (tools && tools['iptables-restore'] === null && (lock === undefined || lock === 'iptables')) missing('iptables-restore (the default network lock)', 'iptables');
    if (tools && tools.tar === null) missing('tar (tmpfs contents)', 'tar');
    if (tools && tools['lxc-checkpoint'] === null && t.facts.host.lxc.ok && t.facts.host.lxc.value !== null) missing('lxc-checkpoint (the restore)', 'lxc');
    if (t.facts.moveTools.rsync === null) missing('rsync (the copy of the rootfs and the images)', 'rsync');
    if (move.source.rsync === null) reports.push({ messageId: 'rsyncMissing', message: onSource('rsync is not on PATH here: ctcr migrate copies the rootfs and the images with it. Install rsync'), location });
    return reports;
  },
});
