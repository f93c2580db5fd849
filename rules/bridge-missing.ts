/** A veth network names a bridge (lxc.net.N.link) this host does not have. */
import { defineRule, at } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { networks } from '../src/config/query.js';
import { known } from '../src/live/facts.js';

export default defineRule({
  id: 'bridge-missing',
  severity: 'error',
  summary: 'lxc.net.N.link of a veth network is not a bridge on this host.',
  scope: 'live',
  messages: {
    noBridge: 'the bridge lxc.net.N.link names does not exist on this host',
  },
  docs: {
    why:
      'For a veth network LXC plugs the host end of the pair into the bridge lxc.net.N.link names, at start and on restore: lxc-checkpoint ' +
      'passes --external veth[eth0]:<host veth>@<link> and CRIU attaches the restored veth to that bridge. A link that does not exist, or is ' +
      'not a bridge, fails the start and the restore; on another host (a migration) it must exist there too.',
    fix: 'Create the bridge (ip link add NAME type bridge && ip link set NAME up, or your distribution\'s network config), or point lxc.net.N.link at a bridge this host has.',
    reference: 'lxc src/lxc/criu.c exec_criu (--external veth); lxc.container.conf(5) lxc.net.[i].link',
  },
  check(snapshot) {
    const config = snapshot.config;
    const bridges = snapshot.container && known(snapshot.host?.bridges);
    if (!config || !bridges) return [];
    const reports: Report[] = [];
    for (const net of networks(config)) {
      const link = net.keys.link;
      if (net.type !== 'veth' || !link || link.value === '') continue;
      if (net.keys['veth.mode']?.value === 'router') continue; // router mode routes instead of bridging: the link is not used
      if (bridges.includes(link.value)) continue;
      const have = bridges.length ? `this host's bridges: ${bridges.join(', ')}` : 'this host has no bridge';
      reports.push({
        messageId: 'noBridge',
        message: `${link.key} = ${link.value}: no bridge of that name on this host (${have}); LXC cannot plug the container's veth into it at start, nor CRIU on restore. Create it or name an existing bridge`,
        location: at(link),
      });
    }
    return reports;
  },
});
