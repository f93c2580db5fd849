import rule from '../../rules/network-lock-unavailable.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, criu, host, tools } from '../helpers/live-facts.js';

const noIptables = tools({ 'iptables-restore': null, 'ip6tables-restore': null });
const criuConfig = (argv: string[]) => ({ ok: true as const, value: { files: ['/etc/criu/default.conf'], argv } });
const nftablesOff = criu({ features: { network_lock_nftables: false, move_mount_set_group: true, timens: true, mem_dirty_track: false } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host has iptables-restore', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'no iptables, but the container shares the host network', config: 'lxc.net.0.type = none\n', host: host({ tools: noIptables }), container: busybox() },
    {
      name: 'no iptables, CRIU set to nftables, which it supports',
      config: BUSYBOX_CONFIG,
      host: host({ tools: noIptables, criuConfig: criuConfig(['--network-lock', 'nftables']) }),
      container: busybox(),
    },
    { name: 'no iptables, network lock skipped in the config file', config: BUSYBOX_CONFIG, host: host({ tools: noIptables, criuConfig: criuConfig(['--network-lock', 'skip']) }), container: busybox() },
    { name: 'a restore does not lock', config: BUSYBOX_CONFIG, host: host({ tools: noIptables }), container: busybox(), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'the lab notes: no iptables package',
      config: BUSYBOX_CONFIG,
      host: host({ tools: noIptables }),
      container: busybox(),
      errors: [
        { messageId: 'iptablesMissing', 
          file: BUSYBOX_CONFIG_PATH,
          line: 0,
          severity: 'error',
          message: /^CRIU locks this container's network with iptables \(CRIU's default\), but iptables-restore and ip6tables-restore are not on PATH.*Install iptables, or add `network-lock nftables` to \/etc\/criu\/default\.conf/,
        },
      ],
    },
    {
      name: 'no iptables, and this CRIU cannot lock with nftables: no alternative offered',
      config: BUSYBOX_CONFIG,
      host: host({ tools: tools({ 'iptables-restore': null }), criu: nftablesOff }),
      container: busybox(),
      errors: [{ messageId: 'iptablesMissing', message: /but iptables-restore is not on PATH: the dump fails \("Locking network failed"\)\. Install iptables$/ }],
    },
    {
      name: 'the config file asks for nftables, which this CRIU cannot do',
      config: BUSYBOX_CONFIG,
      host: host({ criu: nftablesOff, criuConfig: criuConfig(['--network-lock', 'nftables']) }),
      container: busybox(),
      errors: [{ messageId: 'nftablesUnsupported', message: /^CRIU is set to lock the network with nftables \(network-lock nftables in \/etc\/criu\/default\.conf\), but this CRIU cannot/ }],
    },
  ],
});
