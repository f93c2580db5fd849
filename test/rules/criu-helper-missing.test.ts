import rule from '../../rules/criu-helper-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, stoppedBusybox, tools } from '../helpers/live-facts.js';

const noIp = { ok: true as const, value: null };

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host has tar and ip', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    {
      name: 'no tar, but a stopped container without autodev or tmpfs mounts',
      config: 'lxc.autodev = 0\nlxc.net.0.type = none\n',
      host: host({ tools: tools({ tar: null }) }),
      container: stoppedBusybox(),
    },
    { name: 'no ip, but the container shares the host network (type none)', config: 'lxc.net.0.type = none\n', host: host({ ip: noIp }), container: stoppedBusybox() },
    { name: 'host facts alone (no container): nothing to say', host: host({ tools: tools({ tar: null }) }) },
  ],
  invalid: [
    {
      name: 'no tar: the running container has tmpfs at /dev and /dev/shm',
      config: BUSYBOX_CONFIG,
      host: host({ tools: tools({ tar: null }) }),
      container: busybox(),
      errors: [{ messageId: 'tarMissing', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: /^tar is not on PATH.*tmpfs mounts \(\/dev, \/dev\/shm\).*"Can't dump tmpfs content"\. Install tar$/ }],
      output: null,
    },
    {
      name: 'no tar, stopped container: autodev (default on) makes /dev a tmpfs',
      config: 'lxc.uts.name = c1\n',
      host: host({ tools: tools({ tar: null }) }),
      container: stoppedBusybox(),
      errors: [{ messageId: 'tarMissing', message: /tmpfs mounts \(\/dev\)/ }],
    },
    {
      name: 'no ip, own network namespace (veth)',
      config: BUSYBOX_CONFIG,
      host: host({ ip: noIp }),
      container: busybox(),
      errors: [{ messageId: 'ipMissing', file: BUSYBOX_CONFIG_PATH, message: /^ip is not on PATH, and CRIU runs it to save and restore the addresses and routes/ }],
    },
    {
      name: 'CR_IP_TOOL names a program that is not there',
      config: BUSYBOX_CONFIG,
      host: host({ ip: noIp, env: { CR_IP_TOOL: '/opt/ip' } }),
      container: busybox(),
      errors: [{ messageId: 'ipMissing', message: /^CR_IP_TOOL \(\/opt\/ip\) is not on PATH.*or fix CR_IP_TOOL$/ }],
    },
  ],
});
