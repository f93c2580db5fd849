/**
 * CRIU cuts a container's network off while it dumps it (the network lock),
 * with iptables-restore by default or nftables when asked.
 */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { atLeast } from '../src/criu/version.js';
import { containerLocation, criuOf, dumpSide, known, lastOptionValue, ownNetns } from '../src/live/facts.js';

export default defineRule({
  id: 'network-lock-unavailable',
  severity: 'error',
  summary: "No tool for CRIU's network lock method (iptables-restore, or nftables support) on this host.",
  scope: 'live',
  docs: {
    why:
      'When the dumped tree has its own network namespace, CRIU locks its network before freezing it: by default (and always before CRIU 3.16) ' +
      'it runs iptables-restore (and ip6tables-restore) inside the namespace; with --network-lock nftables it uses libnftables. A missing ' +
      'iptables-restore fails the dump ("execvp(\\"iptables-restore\\") failed", then "Locking network failed"); the lab hit it on a host ' +
      'without the iptables package. lxc-checkpoint has no switch for the method, but CRIU reads it from /etc/criu/default.conf.',
    fix:
      'Install iptables (it ships iptables-restore and ip6tables-restore), or, with a CRIU built with nftables support (criu check --feature ' +
      'network_lock_nftables), add the line `network-lock nftables` to /etc/criu/default.conf.',
    reference: 'criu/net.c network_lock_internal; criu-facts.md §2 (network lock)',
  },
  check(snapshot) {
    const container = snapshot.container;
    const host = snapshot.host;
    const criu = criuOf(host);
    if (!container || !host || !criu || !dumpSide(snapshot) || !ownNetns(snapshot.config)) return [];
    const config = known(host.criuConfig);
    const configured = config ? lastOptionValue(config.argv, 'network-lock') : undefined;
    const method = atLeast(criu.version, '3.16') ? configured ?? 'iptables' : 'iptables';
    const where = configured && config ? ` (network-lock ${configured} in ${config.files.join(', ')})` : ' (CRIU\'s default)';
    const reports: Report[] = [];
    if (method === 'iptables') {
      const tools = known(host.tools);
      if (!tools) return [];
      const missing = ['iptables-restore', 'ip6tables-restore'].filter((t) => tools[t] === null);
      if (missing.length === 0) return [];
      const nft = criu.features.network_lock_nftables === true;
      reports.push({
        message:
          `CRIU locks this container's network with iptables${where}, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH: ` +
          `the dump fails ("Locking network failed"). Install iptables${nft ? ', or add `network-lock nftables` to /etc/criu/default.conf (this CRIU supports it)' : ''}`,
        location: containerLocation(container),
        ...(nft ? { criuOptions: ['--network-lock', 'nftables'] } : {}),
      });
    } else if (method === 'nftables' && criu.features.network_lock_nftables === false) {
      reports.push({
        message:
          `CRIU is set to lock the network with nftables${where}, but this CRIU cannot ("criu check --feature network_lock_nftables" fails: built without libnftables, or the kernel lacks set concatenation). ` +
          'Remove that line to use iptables (installed), or install a CRIU built with nftables',
        location: containerLocation(container),
      });
    }
    return reports;
  },
});
