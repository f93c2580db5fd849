/**
 * Networks lxc-checkpoint refuses to dump or cannot restore: LXC knows how
 * to hand CRIU only veth, macvlan and phys devices (and none/empty).
 */
import { defineRule, at } from '../src/rule.js';
import type { NetworkSpec, Report, Snapshot, VersionNumber } from '../src/types.js';
import { networks } from '../src/config/query.js';
import { atLeast, formatVersion } from '../src/criu/version.js';
import { criuVersionOf, describeJudgedLxc, lxcVersionsToJudge } from '../src/live/facts.js';

/** phys came with 0109a13d5 (2021): in LXC 5.0 and later, and backported to the 4.0 stable series (4.0.12). */
function lxcDumpsPhys(v: VersionNumber): boolean {
  return atLeast(v, '5.0') || (v.major === 4 && atLeast(v, '4.0.12'));
}

/** Why lxc-checkpoint cannot handle this network, or undefined when it can. */
function problem(net: NetworkSpec, position: number, lxc: VersionNumber, criu: VersionNumber): string | undefined {
  const type = net.type;
  const name = net.keys.name?.value || `eth${position}`;
  const link = net.keys.link?.value ?? '';
  const undumpable = `lxc-checkpoint refuses to dump it ("Found un-dumpable network: ${type} (${name})")`;
  switch (type) {
    case 'vlan':
    case 'ipvlan':
      return `LXC dumps only veth, macvlan and phys networks: ${undumpable}`;
    case 'macvlan':
      if (!atLeast(lxc, '2.1')) return `LXC ${formatVersion(lxc)} dumps only veth networks (macvlan from LXC 2.1): ${undumpable}`;
      if (link === '') return `a macvlan network needs lxc.net.${net.index}.link: the restore fails with "Failed to find host interface for macvlan ${name}"`;
      return undefined;
    case 'phys':
      if (!lxcDumpsPhys(lxc)) return `LXC ${formatVersion(lxc)} does not dump phys networks (LXC 5.0 and 4.0.12 do): ${undumpable}`;
      if (!atLeast(criu, '3.15')) return `restoring a phys network needs CRIU 3.15 (--external netdev[...]); with CRIU ${formatVersion(criu)} the restore fails ("Restoring physical network devices not supported")`;
      if (link === '') return `a phys network needs lxc.net.${net.index}.link: the restore fails ("Specifying link is required")`;
      return undefined;
    default:
      return undefined;
  }
}

export default defineRule({
  id: 'network-type-unsupported',
  severity: 'error',
  summary: 'A network type lxc-checkpoint cannot dump or restore (vlan, ipvlan; macvlan/phys without link or on old LXC/CRIU).',
  scope: 'static',
  messages: {
    unsupportedType: 'a network type lxc-checkpoint cannot dump or restore',
  },
  docs: {
    why:
      'LXC\'s criu_ok() accepts only veth, none, empty, phys and macvlan networks ("We only know how to restore containers with veth ' +
      'networks"); any vlan or ipvlan network fails the dump with "Found un-dumpable network". macvlan is accepted from LXC 2.1 and needs ' +
      'lxc.net.N.link at restore ("Failed to find host interface for macvlan"); phys needs LXC 5.0 (or 4.0.12), CRIU 3.15 for ' +
      '--external netdev[...] ("Restoring physical network devices not supported") and a link ("Specifying link is required"). ' +
      'Judged for the LXC and CRIU versions in use (live, else --lxc-version / --criu-version); with neither, a config written in ' +
      'pre-2.1 keys (lxc.network.*) is judged for the default LXC and also for LXC 2.0, the LXC that reads such keys, and each ' +
      'finding says which LXC it is for.',
    fix:
      'Use a veth network (e.g. on a bridge) for a container that is checkpointed, or give macvlan/phys networks their lxc.net.N.link; ' +
      'upgrade LXC or CRIU where the version is the problem. No automatic fix: the network type is a design choice.',
    reference: 'lxc src/lxc/criu.c (criu_ok, exec_criu)',
  },
  logSignatures: [
    {
      pattern: /Found un-dumpable network: (\S+) \((\S+)\)/,
      explain: (m) => ({ message: `lxc-checkpoint cannot checkpoint a ${m[1]} network (${m[2]})`, fix: 'Use veth, macvlan, phys, empty or none networks only.' }),
      samples: [
        { line: 'Found un-dumpable network: vlan (eth0)', source: 'ctcr catalogue (message as CRIU prints it; no source line found)' },
      ],
    },
  ],
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const judged = lxcVersionsToJudge(snapshot);
    const criu = criuVersionOf(snapshot);
    const reports: Report[] = [];
    // LXC names a network without lxc.net.N.name eth<position> (its counter counts every network).
    networks(config).forEach((net, position) => {
      if (!net.type) return;
      // One report per distinct judgement; with more than one LXC judged, each says which LXC it is for.
      const byWhy = new Map<string, string[]>();
      for (const lxc of judged) {
        const why = problem(net, position, lxc.version, criu);
        if (why) byWhy.set(why, [...(byWhy.get(why) ?? []), describeJudgedLxc(lxc)]);
      }
      for (const [why, lxcs] of byWhy) {
        const forWhich = judged.length > 1 ? `, for ${lxcs.join(' and ')}` : '';
        reports.push({ messageId: 'unsupportedType', message: `${net.entry.key} = ${net.type}${forWhich}: ${why}`, location: at(net.entry) });
      }
    });
    return reports;
  },
});
