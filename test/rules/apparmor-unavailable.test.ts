import rule from '../../rules/apparmor-unavailable.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';

const apparmorOn = { ok: true as const, value: { enabled: true, securityfs: true, moduleEnabled: true } };

new RuleTester().run(rule, {
  valid: [
    { name: 'a kernel with AppArmor', config: BUSYBOX_CONFIG, host: host({ apparmor: apparmorOn }), container: busybox() },
    { name: 'no profile set', config: 'lxc.apparmor.allow_nesting = 1\n', host: host(), container: busybox() },
    { name: 'profile reset to empty by a later line', config: 'lxc.apparmor.profile = generated\nlxc.apparmor.profile =\n', host: host(), container: busybox() },
    { name: 'a dump alone passes no --lsm-profile', config: BUSYBOX_CONFIG, host: host(), container: busybox(), purpose: 'dump' },
    { name: 'AppArmor unknown: facts-unavailable says so', config: BUSYBOX_CONFIG, host: host({ apparmor: { ok: false, reason: 'AppArmor: permission denied' } }), container: busybox() },
  ],
  invalid: [
    {
      name: 'the busybox template on the recorded host (no AppArmor)',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox(),
      errors: [{ messageId: 'noAppArmor', file: 'config', line: 13, column: 1, severity: 'error', message: /^lxc\.apparmor\.profile = generated, but this kernel has no AppArmor.*"apparmor LSM specified but apparmor not supported by kernel"\)\. Remove the key$/ }],
      output: null,
      suggestionOutput: {
        config: BUSYBOX_CONFIG.replace(
          'lxc.apparmor.profile = generated\n',
          '# ctcr: lxc-checkpoint passes this to CRIU as --lsm-profile, which fails on a kernel without AppArmor (apparmor-unavailable)\n# lxc.apparmor.profile = generated\n',
        ),
      },
    },
    {
      name: 'every line of the key goes, even unconfined',
      config: 'lxc.apparmor.profile = generated\nlxc.apparmor.profile = unconfined\n',
      host: host(),
      container: busybox(),
      errors: [{ messageId: 'noAppArmor', line: 2, message: /apparmor:unconfined/ }],
      suggestionOutput: {
        config:
          '# ctcr: lxc-checkpoint passes this to CRIU as --lsm-profile, which fails on a kernel without AppArmor (apparmor-unavailable)\n# lxc.apparmor.profile = generated\n' +
          '# ctcr: lxc-checkpoint passes this to CRIU as --lsm-profile, which fails on a kernel without AppArmor (apparmor-unavailable)\n# lxc.apparmor.profile = unconfined\n',
      },
    },
    {
      name: 'set in an included file: reset at the end of the config, the shared file stays as it is',
      config: 'lxc.include = common.conf\nlxc.uts.name = c1\n',
      files: { 'common.conf': 'lxc.apparmor.profile = lxc-container-default\n' },
      host: host(),
      container: busybox(),
      errors: [{ messageId: 'noAppArmor', file: 'common.conf', line: 1 }],
      suggestionOutput: { config: 'lxc.include = common.conf\nlxc.uts.name = c1\nlxc.apparmor.profile =\n' },
    },
  ],
});
