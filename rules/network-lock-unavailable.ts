/**
 * CRIU cuts a container's network off while it dumps it (the network lock),
 * with iptables-restore by default or nftables when asked.
 */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { atLeast } from '../src/criu/version.js';
import { containerLocation, criuOf, dumpSide, known, lastOptionValue, ownNetns } from '../src/live/facts.js';
import { NETWORK_LOCK_TOOLS } from '../src/criu/log-helpers.js';

export default defineRule({
  id: 'network-lock-unavailable',
  severity: 'error',
  summary: "No tool for CRIU's network lock method (iptables-restore, or nftables support) on this host.",
  scope: 'live',
  messages: {
    iptablesMissing: 'iptables-restore is missing and CRIU locks the network with iptables',
    nftablesUnsupported: 'CRIU is set to lock the network with nftables and this CRIU cannot',
  },
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
  logSignatures: [
    {
      pattern: /execvp\("([^"]+)"[^)]*\) failed/,
      explain(m) {
        const tool = m[1]!.replace(/^.*\//, '');
        if (NETWORK_LOCK_TOOLS.test(tool)) {
          return {
            message: `${tool} is not installed; CRIU runs it to lock the container network during the dump`,
            fix: `Install iptables (it provides ${tool}), or use --network-lock nftables (CRIU 3.16+ built with libnftables), or --network-lock skip (CRIU 3.19+; the container's network stays open while it is dumped).`,
            criuOptions: ['--network-lock', 'nftables'],
          };
        }
        return { ruleId: 'criu-helper-missing', message: `${tool} is not installed, and CRIU needs it`, fix: `Install ${tool} on the host${tool === 'ip' ? ' (iproute2; CR_IP_TOOL names another binary)' : tool === 'tar' ? ' (CRIU archives tmpfs mounts with it)' : ''}.` };
      },
      samples: [
        { line: '(00.003311) Error (criu/util.c:693): execvp("iptables-restore", ...) failed: No such file or directory', source: 'synthesized by ctcr (not a verbatim log): line formats from CRIU\'s log.c/mount.c as seen in issue logs; the sequence from the team\'s lab notes (LXC 5.0.2 busybox container on kernel 6.18); before i...' },
        { line: 'Error (criu/util.c:642): execvp("iptables-restore", ...) failed: No such file or directory', source: 'lab: network-lock-no-iptables-dump-criu4.2.1-linux6.18.log (this project\'s lab)' },
      ],
    },
    {
      pattern: /Locking network failed: (\S+) returned (-?\d+)/,
      explain: (m) => ({
        message: `${m[1]} could not install CRIU's network lock (exit ${m[2]}): missing binary, or the kernel lacks xt_mark (CONFIG_NETFILTER_XT_MARK)`,
        fix: 'Install iptables and load xt_mark (modprobe xt_mark), or use --network-lock nftables (CRIU 3.16+) or --network-lock skip (CRIU 3.19+).',
        criuOptions: ['--network-lock', 'nftables'],
      }),
      samples: [
        { line: 'net: Locking network failed: iptables-restore returned 2. This may be connected to disabled CONFIG_NETFILTER_XT_MARK kernel build config option.', source: 'criu v4.2 criu/net.c:3332 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      pattern: /Locking network failed using nftables|CRIU was built without libnftables support/,
      explain: () => ({ message: 'nftables network locking is not available in this CRIU or kernel', fix: 'Use --network-lock iptables (install iptables), or a CRIU built with libnftables.', criuOptions: ['--network-lock', 'iptables'] }),
      samples: [
        { line: 'net: CRIU was built without libnftables support', source: 'criu v4.2 criu/config.c:1114 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
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
        messageId: 'iptablesMissing',
        message:
          `CRIU locks this container's network with iptables${where}, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH: ` +
          `the dump fails ("Locking network failed"). Install iptables${nft ? ', or add `network-lock nftables` to /etc/criu/default.conf (this CRIU supports it)' : ''}`,
        location: containerLocation(container),
        ...(nft ? { criuOptions: ['--network-lock', 'nftables'] } : {}),
      });
    } else if (method === 'nftables' && criu.features.network_lock_nftables === false) {
      reports.push({
        messageId: 'nftablesUnsupported',
        message:
          `CRIU is set to lock the network with nftables${where}, but this CRIU cannot ("criu check --feature network_lock_nftables" fails: built without libnftables, or the kernel lacks set concatenation). ` +
          'Remove that line to use iptables (installed), or install a CRIU built with nftables',
        location: containerLocation(container),
      });
    }
    return reports;
  },
});
