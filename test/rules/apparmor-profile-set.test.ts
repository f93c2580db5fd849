import rule from '../../rules/apparmor-profile-set.js';
import type { ContainerFacts, HostFacts } from '../../src/types.js';
import { RuleTester } from '../helpers/rule-tester.js';

const unknown = { ok: false as const, reason: 'not probed in this test' };
function noAppArmorHost(): HostFacts {
  return {
    kernel: unknown, criu: unknown, ip: unknown, tools: unknown, cgroups: unknown, bridges: unknown, lxc: unknown, env: {},
    apparmor: { ok: true, value: { enabled: false } },
  };
}
function container(): ContainerFacts {
  return { name: 'c1', lxcpath: '/var/lib/lxc', configPath: '/var/lib/lxc/c1/config', state: 'STOPPED', initPid: null, mountinfo: unknown, processes: unknown, sockets: unknown };
}

const NOTE = '# ctcr: lxc-checkpoint passes this to CRIU as --lsm-profile, which fails without AppArmor (apparmor-profile-set)';

new RuleTester().run(rule, {
  valid: [
    { name: 'no profile: no --lsm-profile', config: 'lxc.uts.name = c1\n' },
    { name: 'reset to the default by an empty value', config: 'lxc.apparmor.profile = generated\nlxc.apparmor.profile =\n' },
    { name: 'a commented-out profile', config: '#lxc.apparmor.profile = unconfined\n' },
    { name: 'other apparmor keys alone', config: 'lxc.apparmor.allow_nesting = 1\n' },
    {
      name: 'ctcr doctor knows this host has no AppArmor: apparmor-unavailable answers, as an error',
      config: 'lxc.apparmor.profile = generated\n',
      host: noAppArmorHost(),
      container: container(),
      purpose: 'restore',
    },

  ],
  invalid: [
    {
      name: 'the busybox template: generated',
      config: 'lxc.uts.name = bb\nlxc.apparmor.profile = generated\nlxc.apparmor.allow_nesting = 1\n',
      errors: [
        { messageId: 'profileSet', 
          line: 2,
          column: 1,
          severity: 'warning',
          message:
            'lxc.apparmor.profile = generated: on restore lxc-checkpoint passes --lsm-profile apparmor:generated (the literal word, not the profile LXC generates), ' +
            'and CRIU refuses it on a kernel without AppArmor ("apparmor LSM specified but apparmor not supported by kernel"); remove the key for hosts without AppArmor',
        },
      ],
      output: null,
      suggestionOutput: { config: `lxc.uts.name = bb\n${NOTE}\n# lxc.apparmor.profile = generated\nlxc.apparmor.allow_nesting = 1\n` },
    },
    {
      name: 'unconfined is passed too (the lab saw it fail)',
      config: 'lxc.apparmor.profile = unconfined',
      errors: [{ messageId: 'profileSet', message: /^lxc\.apparmor\.profile = unconfined: on restore lxc-checkpoint passes --lsm-profile apparmor:unconfined, and CRIU refuses/ }],
      suggestionOutput: { config: `${NOTE}\n# lxc.apparmor.profile = unconfined` },
    },
    {
      name: 'the legacy key; every line of the key goes (else an earlier one comes back)',
      config: 'lxc.aa_profile = lxc-container-default\nlxc.uts.name = c1\nlxc.aa_profile = unconfined\n',
      errors: [{ messageId: 'profileSet', file: 'config', line: 3, message: /^lxc\.aa_profile = unconfined/ }],
      suggestionOutput: { config: `${NOTE}\n# lxc.aa_profile = lxc-container-default\nlxc.uts.name = c1\n${NOTE}\n# lxc.aa_profile = unconfined\n` },
    },
    {
      name: 'set in an included file: the shared file is left alone, the config resets the key',
      config: 'lxc.include = common.conf\nlxc.uts.name = c1',
      files: { 'common.conf': 'lxc.apparmor.profile = lxc-container-default\n' },
      errors: [{ messageId: 'profileSet', file: 'common.conf', line: 1 }],
      suggestionOutput: { config: 'lxc.include = common.conf\nlxc.uts.name = c1\nlxc.apparmor.profile =' },
    },
    {
      name: 'ctcr doctor for a dump on a host without AppArmor: a restore here would fail too',
      suggestionOutput: { config: '# ctcr: lxc-checkpoint passes this to CRIU as --lsm-profile, which fails without AppArmor (apparmor-profile-set)\n# lxc.apparmor.profile = generated\n' },
      config: 'lxc.apparmor.profile = generated\n',
      host: noAppArmorHost(),
      container: container(),
      purpose: 'dump',
      errors: [{ messageId: 'profileSet', line: 1 }],
    },
  ],
});
