import rule from '../../rules/bridge-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';

const bridges = (...names: string[]) => ({ ok: true as const, value: names });

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host has the lab bridge ctcrlab0', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'macvlan names a host interface, not a bridge', config: 'lxc.net.0.type = macvlan\nlxc.net.0.link = eth0\n', host: host({ bridges: bridges() }), container: busybox() },
    { name: 'veth in router mode does not use the link', config: 'lxc.net.0.type = veth\nlxc.net.0.veth.mode = router\nlxc.net.0.link = br9\n', host: host({ bridges: bridges() }), container: busybox() },
    { name: 'without live facts the rule is silent', config: BUSYBOX_CONFIG },
  ],
  invalid: [
    {
      name: 'the config names ctcrlab0, this host has lxcbr0',
      config: BUSYBOX_CONFIG,
      host: host({ bridges: bridges('lxcbr0') }),
      container: busybox(),
      errors: [{ messageId: 'noBridge', file: 'config', line: 11, column: 1, severity: 'error', message: /^lxc\.net\.0\.link = ctcrlab0: no bridge of that name on this host \(this host's bridges: lxcbr0\)/ }],
      output: null,
    },
    {
      name: 'second network, legacy key, no bridge at all',
      config: 'lxc.net.0.type = veth\nlxc.net.0.link = ctcrlab0\nlxc.network.type = veth\nlxc.network.link = br1\n',
      host: host(),
      container: busybox(),
      errors: [{ messageId: 'noBridge', line: 4, message: /^lxc\.network\.link = br1: no bridge of that name on this host \(this host's bridges: ctcrlab0\)/ }],
    },
  ],
});
