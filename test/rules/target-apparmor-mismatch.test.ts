import rule from '../../rules/target-apparmor-mismatch.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { host: host(), container: busybox() };
const withAppArmor = readyTarget({ host: { ...targetFacts().host, apparmor: { ok: true, value: { enabled: true, securityfs: true, moduleEnabled: true } } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'a target with AppArmor', config: BUSYBOX_CONFIG, ...base, move: move(withAppArmor) },
    { name: 'no profile set, target without AppArmor (recorded)', config: 'lxc.net.0.type = empty\n', ...base, move: move(readyTarget()) },
  ],
  invalid: [
    {
      name: 'lxc.apparmor.profile = generated, target without AppArmor (recorded)',
      config: BUSYBOX_CONFIG,
      ...base,
      move: move(readyTarget()),
      errors: [{ messageId: 'noApparmor', file: 'config', line: 13, message: /^target host2: no AppArmor in its kernel, and lxc\.apparmor\.profile = generated: lxc-checkpoint -r passes --lsm-profile apparmor:generated/ }],
      output: null,
    },
  ],
});
