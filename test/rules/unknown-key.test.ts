import rule from '../../rules/unknown-key.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    {
      name: 'current keys, prefix keys and network sub-keys',
      config:
        'lxc.uts.name = c1\nlxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.net.0.ipv4.address = 10.0.3.2/24\nlxc.cgroup2.memory.max = 1G\n' +
        'lxc.prlimit.nofile = 1024\nlxc.sysctl.net.ipv4.ip_forward = 1\nlxc.proc.oom_score_adj = 10\nlxc.apparmor.profile = unconfined\n',
    },
    { name: "a legacy key is legacy-key's", config: 'lxc.tty = 0\nlxc.network.type = veth\n' },
    { name: 'cgroup v1 keys are known up to LXC 6.x', lxcVersion: '6.0', config: 'lxc.cgroup.devices.allow = c 1:3 rwm\nlxc.cgroup.memory.limit_in_bytes = 512M\n' },
    { name: 'lxc.cgroup.dir and lxc.cgroup.relative stay in LXC 7.0', lxcVersion: '7.0', config: 'lxc.cgroup.dir = lxc/c1\nlxc.cgroup.relative = 1\n' },
    { name: 'lines not starting with lxc. are ignored by LXC', config: 'lxcfoo = 1\nnot a key\n' },
    { name: 'the new names in LXC 2.1', lxcVersion: '2.1', config: 'lxc.tty.max = 0\nlxc.net.0.type = veth\n' },
    { name: 'a commented-out typo', config: '# lxc.net.0.lnk = br0\n' },
  ],
  invalid: [
    {
      name: 'a typo, with the nearest key',
      config: 'lxc.net.0.type = veth\nlxc.net.0.lnk = br0\n',
      errors: [{ messageId: 'unknownKey', line: 2, column: 1, severity: 'error', message: 'unknown key lxc.net.0.lnk: LXC 6.0 refuses the config ("Unsupported config key"); did you mean lxc.net.0.link?' }],
      output: null,
      suggestionOutput: { config: 'lxc.net.0.type = veth\nlxc.net.0.link = br0\n' },
    },
    {
      name: 'lxc.net.N.ipv4, as lxc-update-config leaves numbered legacy addresses',
      config: 'lxc.net.0.ipv4 = 10.0.3.5/24\n',
      errors: [{ messageId: 'unknownKey', message: /did you mean lxc\.net\.0\.ipv4\.address\?$/ }],
      suggestionOutput: { config: 'lxc.net.0.ipv4.address = 10.0.3.5/24\n' },
    },
    {
      name: 'LXC 7.0 refuses cgroup v1 keys: devices rules move to cgroup2 unchanged',
      lxcVersion: '7.0',
      config: 'lxc.cgroup.devices.allow = c 1:3 rwm\n',
      errors: [{ messageId: 'cgroupV1', message: /^lxc\.cgroup\.devices\.allow is a cgroup v1 key, which LXC 7\.0 refuses .*use lxc\.cgroup2\.devices\.allow$/ }],
      suggestionOutput: { config: 'lxc.cgroup2.devices.allow = c 1:3 rwm\n' },
    },
    {
      name: 'LXC 7.0: a v1 memory limit has another cgroup2 name, so no suggestion',
      lxcVersion: '7.0',
      config: 'lxc.cgroup.memory.limit_in_bytes = 512M\n',
      errors: [{ messageId: 'cgroupV1', message: /use lxc\.cgroup2\.memory\.max \(check the value: the cgroup2 file counts differently\)$/ }],
      suggestionOutput: null,
    },
    {
      name: 'LXC 2.0 does not know the 2.1 names',
      lxcVersion: '2.0',
      config: 'lxc.tty.max = 0\n',
      errors: [{ messageId: 'tooNew', message: /^lxc\.tty\.max is unknown to LXC 2\.0, which refuses the config; before LXC 2\.1 it was called lxc\.tty$/ }],
      suggestionOutput: { config: 'lxc.tty = 0\n' },
    },
    {
      name: 'nothing close: no suggestion',
      config: 'lxc.frobnicate = 1\n',
      errors: [{ messageId: 'unknownKey', message: 'unknown key lxc.frobnicate: LXC 6.0 refuses the config ("Unsupported config key")' }],
      suggestionOutput: null,
    },
    {
      name: 'in an included file',
      config: 'lxc.include = extra.conf\n',
      files: { 'extra.conf': '\nlxc.pty.mx = 0\n' },
      errors: [{ messageId: 'unknownKey', file: 'extra.conf', line: 2, message: /did you mean lxc\.pty\.max\?$/ }],
      suggestionOutput: { 'extra.conf': '\nlxc.pty.max = 0\n' },
    },
  ],
});
