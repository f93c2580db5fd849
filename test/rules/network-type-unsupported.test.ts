import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../rules/network-type-unsupported.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';

const read = (...parts: string[]) => readFileSync(path.join(REPO, 'fixtures', ...parts), 'utf8');

new RuleTester().run(rule, {
  valid: [
    { name: 'veth, empty and none', config: 'lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.net.1.type = empty\nlxc.net.2.type = none\n' },
    { name: 'macvlan with its link', config: 'lxc.net.0.type = macvlan\nlxc.net.0.link = eno2\nlxc.net.0.macvlan.mode = bridge\n' },
    { name: 'phys with its link (LXC 6.0, CRIU 4.2)', config: 'lxc.net.0.type = phys\nlxc.net.0.link = dummy0\n' },
    { name: 'phys on LXC 4.0.12 (backported)', lxcVersion: '4.0.12', config: 'lxc.net.0.type = phys\nlxc.net.0.link = dummy0\n' },
    { name: 'a vlan cleared by lxc.net =', config: read('configs', 'networks-reset.conf') },
    { name: 'legacy unnumbered veth', config: 'lxc.network.type = veth\nlxc.network.link = br0\n' },
    { name: 'no network', config: 'lxc.uts.name = c1\n' },
    // The same networks in current keys: judged for LXC 6.0 only (a config LXC 2.0 cannot read is not judged for it).
    { name: "LXC's complex example in current keys", config: read('configs', 'real', '08-lxc-main-example-complex.conf') },
    { name: 'pre-2.1 keys, but the LXC version stated', lxcVersion: '6.0', config: read('configs', 'real', '07-lxc1.0-example-complex.conf') },
  ],
  invalid: [
    {
      name: "LXC's vlan example",
      config: read('configs', 'real', '09-lxc-main-example-vlan.conf'),
      errors: [{ messageId: 'unsupportedType', line: 4, column: 1, severity: 'error', message: 'lxc.net.0.type = vlan: LXC dumps only veth, macvlan and phys networks: lxc-checkpoint refuses to dump it ("Found un-dumpable network: vlan (eth0)")' }],
      output: null,
      suggestionOutput: null,
    },
    {
      name: 'ipvlan, named',
      config: 'lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.1.type = ipvlan\nlxc.net.1.link = eth0\nlxc.net.1.name = lan0\n',
      errors: [{ messageId: 'unsupportedType', line: 3, message: /\("Found un-dumpable network: ipvlan \(lan0\)"\)$/ }],
    },
    {
      name: 'a legacy unnumbered vlan as the second network (eth1)',
      config: 'lxc.network.type = veth\nlxc.network.type = vlan\nlxc.network.vlan.id = 7\nlxc.network.link = eth0\n',
      errors: [{ messageId: 'unsupportedType', line: 2, message: /^lxc\.network\.type = vlan, for LXC 6\.0 \(default\) and LXC 2\.0 \(the LXC that reads this config's pre-2\.1 keys\): .*\(eth1\)"\)$/ }],
    },
    {
      name: "LXC 1.0's complex example (pre-2.1 keys, no --lxc-version): macvlan and phys judged for LXC 2.0 too",
      config: read('configs', 'real', '07-lxc1.0-example-complex.conf'),
      errors: [
        { messageId: 'unsupportedType', line: 12, message: /^lxc\.network\.type = macvlan, for LXC 2\.0 \(the LXC that reads this config's pre-2\.1 keys\): LXC 2\.0 dumps only veth networks \(macvlan from LXC 2\.1\)/ },
        { messageId: 'unsupportedType', line: 19, message: /^lxc\.network\.type = phys, for LXC 2\.0 \(the LXC that reads this config's pre-2\.1 keys\): LXC 2\.0 does not dump phys networks/ },
      ],
    },
    {
      name: 'macvlan without link',
      config: 'lxc.net.0.type = macvlan\n',
      errors: [{ messageId: 'unsupportedType', message: 'lxc.net.0.type = macvlan: a macvlan network needs lxc.net.0.link: the restore fails with "Failed to find host interface for macvlan eth0"' }],
    },
    {
      name: 'macvlan judged for LXC 2.0',
      lxcVersion: '2.0',
      config: 'lxc.network.type = macvlan\nlxc.network.link = eth0\n',
      errors: [{ messageId: 'unsupportedType', message: /LXC 2\.0 dumps only veth networks \(macvlan from LXC 2\.1\)/ }],
    },
    {
      name: 'phys judged for LXC 4.0.11',
      lxcVersion: '4.0.11',
      config: 'lxc.net.0.type = phys\nlxc.net.0.link = dummy0\n',
      errors: [{ messageId: 'unsupportedType', message: /LXC 4\.0\.11 does not dump phys networks/ }],
    },
    {
      name: 'phys with CRIU 3.14',
      criuVersion: '3.14',
      config: 'lxc.net.0.type = phys\nlxc.net.0.link = dummy0\n',
      errors: [{ messageId: 'unsupportedType', message: /needs CRIU 3\.15 .*CRIU 3\.14 the restore fails \("Restoring physical network devices not supported"\)$/ }],
    },
    {
      name: 'phys without link',
      config: 'lxc.net.0.type = phys\n',
      errors: [{ messageId: 'unsupportedType', message: /Specifying link is required/ }],
    },
    {
      name: 'in an included file',
      config: 'lxc.include = net.conf\n',
      files: { 'net.conf': 'lxc.net.0.type = vlan\nlxc.net.0.link = eth0\n' },
      errors: [{ messageId: 'unsupportedType', file: 'net.conf', line: 1 }],
    },
  ],
});
