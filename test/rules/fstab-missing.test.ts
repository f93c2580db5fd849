import rule from '../../rules/fstab-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the fstab is there', config: 'lxc.mount.fstab = fstab\n', files: { fstab: 'proc proc proc defaults 0 0\n' } },
    { name: "a host path of another machine, with the file beside the config (the seed's layout)", config: 'lxc.mount = /root/test-lxc/etc/fstab\n', files: { fstab: 'proc proc proc defaults 0 0\n' } },
    { name: 'no fstab', config: 'lxc.uts.name = c1\n' },
    { name: 'an empty value: no fstab', config: 'lxc.mount.fstab =\n' },
  ],
  invalid: [
    {
      name: 'missing, and nothing beside the config',
      config: 'lxc.uts.name = c1\nlxc.mount.fstab = /nonexistent/ctcr-test/fstab\n',
      errors: [
        { messageId: 'fstabMissing', 
          line: 2,
          column: 1,
          severity: 'error',
          message: 'lxc.mount.fstab = /nonexistent/ctcr-test/fstab: no such file (/nonexistent/ctcr-test/fstab; nor fstab beside the config); the container does not start without it, and its mounts were not checked',
        },
      ],
      output: null,
      suggestionOutput: null,
    },
    {
      name: 'the legacy key, a relative path',
      config: 'lxc.mount = my.fstab\n',
      errors: [{ messageId: 'fstabMissing', line: 1, message: /^lxc\.mount = my\.fstab: no such file \([^;]*\/my\.fstab\); the container/ }],
    },
  ],
});
