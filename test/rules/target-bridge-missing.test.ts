import rule from '../../rules/target-bridge-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const bridges = (...names: string[]) => readyTarget({ host: { ...targetFacts().host, bridges: { ok: true, value: names } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the target has ctcrlab0 (recorded)', ...base, move: move(readyTarget()) },
    { name: 'router mode does not use the link', ...base, config: 'lxc.net.0.type = veth\nlxc.net.0.veth.mode = router\nlxc.net.0.link = br9\n', move: move(bridges()) },
  ],
  invalid: [
    {
      name: 'the target has lxcbr0 only',
      ...base,
      move: move(bridges('lxcbr0')),
      errors: [{ messageId: 'bridgeMissing', file: 'config', line: 11, column: 1, message: "target host2: lxc.net.0.link = ctcrlab0: no bridge of that name there (its bridges: lxcbr0); the restore cannot plug the container's veth into it. Create it there" }],
      output: null,
    },
  ],
});
