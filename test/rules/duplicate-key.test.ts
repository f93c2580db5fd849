import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../rules/duplicate-key.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';

const read = (...parts: string[]) => readFileSync(path.join(REPO, 'fixtures', ...parts), 'utf8');
const COMPLEX = read('configs', 'real', '08-lxc-main-example-complex.conf');
const COMPLEX_LINES = COMPLEX.split('\n');
/** LXC's example with its second and third blocks numbered as networks 1 and 2. */
const COMPLEX_RENUMBERED = COMPLEX_LINES.map((l, i) => (i + 1 >= 12 && i + 1 <= 17 ? l.replace('lxc.net.0.', 'lxc.net.1.') : i + 1 >= 19 ? l.replace('lxc.net.0.', 'lxc.net.2.') : l)).join('\n');

new RuleTester().run(rule, {
  valid: [
    {
      name: 'list keys repeat',
      config:
        'lxc.mount.entry = proc proc proc defaults 0 0\nlxc.mount.entry = sysfs sys sysfs ro 0 0\nlxc.cap.drop = sys_time\nlxc.cap.drop = sys_module\n' +
        'lxc.cgroup2.devices.allow = c 1:3 rwm\nlxc.cgroup2.devices.allow = c 1:5 rwm\nlxc.cgroup.devices.allow = c 1:3 rwm\nlxc.cgroup.devices.allow = c 1:5 rwm\n' +
        'lxc.environment = A=1\nlxc.environment = B=2\nlxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n' +
        'lxc.hook.pre-start = /a\nlxc.hook.pre-start = /b\nlxc.mount.auto = proc:mixed\nlxc.mount.auto = sys:ro\n' +
        'lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.2/24\nlxc.net.0.ipv4.address = 10.0.0.3/24\nlxc.net.0.ipv6.address = fd00::2/64\nlxc.net.0.ipv6.address = fd00::3/64\n',
    },
    { name: 'different networks', config: 'lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.1.type = veth\nlxc.net.1.link = br1\n' },
    { name: 'legacy unnumbered type lines start new networks', config: read('configs', 'real', '07-lxc1.0-example-complex.conf') },
    { name: 'networks cleared by lxc.net = are not duplicated by later ones', config: read('configs', 'networks-reset.conf') },
    { name: 'a commented-out line is not a setting', config: 'lxc.uts.name = a\n#lxc.uts.name = b\n' },
    { name: "an unknown key repeated is unknown-key's", config: 'lxc.frobnicate = 1\nlxc.frobnicate = 2\n' },
    { name: 'lxc.network.0 and lxc.net.0 were two networks in LXC 2.1', config: 'lxc.net.0.type = veth\nlxc.network.0.type = macvlan\n' },
    { name: 'different prlimits', config: 'lxc.prlimit.nofile = 1024\nlxc.prlimit.nproc = 100\n' },
  ],
  invalid: [
    {
      name: 'a scalar twice: the earlier line goes',
      config: 'lxc.uts.name = first\nlxc.uts.name = second\n',
      errors: [{ messageId: 'overridden', line: 1, column: 1, severity: 'warning', message: 'lxc.uts.name = first has no effect: line 2 sets lxc.uts.name = second and the last line wins' }],
      output: { config: 'lxc.uts.name = second\n' },
      suggestionOutput: null,
    },
    {
      name: 'legacy and current names are one key',
      config: 'lxc.tty = 4\nlxc.tty.max = 0\n',
      errors: [{ messageId: 'overridden', line: 1, message: /^lxc\.tty = 4 has no effect: line 2 sets lxc\.tty\.max = 0/ }],
      output: { config: 'lxc.tty.max = 0\n' },
    },
    {
      name: 'an empty value resets to the default, and wins',
      config: 'lxc.console.path = none\nlxc.console.path =\n',
      errors: [{ messageId: 'overridden', line: 1, message: /line 2 resets lxc\.console\.path to the default/ }],
      output: { config: 'lxc.console.path =\n' },
    },
    {
      name: 'three times: two lines lose',
      config: 'lxc.log.level = 1\nlxc.uts.name = c1\nlxc.log.level = 2\nlxc.log.level = 3',
      errors: [{ messageId: 'overridden', line: 1, message: /line 4 sets lxc\.log\.level = 3/ }, { messageId: 'overridden', line: 3 }],
      output: { config: 'lxc.uts.name = c1\nlxc.log.level = 3' },
    },
    {
      name: 'the same prlimit twice',
      config: 'lxc.prlimit.nofile = 1024\nlxc.prlimit.nofile = 4096\n',
      errors: [{ messageId: 'overridden', line: 1 }],
      output: { config: 'lxc.prlimit.nofile = 4096\n' },
    },
    {
      name: 'a later include wins over the main config: no fix across files',
      config: 'lxc.tty.max = 0\nlxc.include = common.conf\n',
      files: { 'common.conf': 'lxc.tty.max = 4\n' },
      errors: [{ messageId: 'overridden', file: 'config', line: 1, message: /line 1 of .*common\.conf sets lxc\.tty\.max = 4 and the last line wins \(not removed automatically: the lines are in different files\)$/ }],
      output: null,
    },
    {
      name: 'the main config wins over an earlier include: the shared file is left alone',
      config: 'lxc.include = common.conf\nlxc.tty.max = 0\n',
      files: { 'common.conf': 'lxc.tty.max = 4\n' },
      errors: [{ messageId: 'overridden', file: 'common.conf', line: 1 }],
      output: null,
    },
    {
      name: 'a legacy unnumbered network with its link twice',
      config: 'lxc.network.type = veth\nlxc.network.link = br0\nlxc.network.link = br1\nlxc.network.type = veth\nlxc.network.link = br2\n',
      errors: [{ messageId: 'overridden', line: 2, message: /line 3 sets lxc\.network\.link = br1/ }],
      output: { config: 'lxc.network.type = veth\nlxc.network.link = br1\nlxc.network.type = veth\nlxc.network.link = br2\n' },
    },
    {
      name: "LXC's complex example: lxc.net.0.type three times is one network; renumbering adds the others",
      config: COMPLEX,
      errors: [
        { messageId: 'networkTypeAgain', line: 12, message: /^lxc\.net\.0\.type = macvlan sets the type of network 0 again \(line 5 set veth\).*Number this block lxc\.net\.1\.\* to add a network$/ },
        { messageId: 'networkTypeAgain', line: 19, message: /^lxc\.net\.0\.type = phys sets the type of network 0 again \(line 12 set macvlan\).*Number this block lxc\.net\.2\.\*/ },
      ],
      output: null,
      suggestionOutput: { config: COMPLEX_RENUMBERED },
    },
  ],
});
