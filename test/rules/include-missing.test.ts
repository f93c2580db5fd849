import rule from '../../rules/include-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'an included file that is there', config: 'lxc.include = common.conf\n', files: { 'common.conf': 'lxc.tty.max = 0\n' } },
    { name: 'an included directory that is there', config: 'lxc.include = conf.d/\n', files: { 'conf.d/10-net.conf': 'lxc.net.0.type = empty\n' } },
    { name: 'an empty value clears the include list', config: 'lxc.include =\n' },
    { name: 'a commented-out include', config: '#lxc.include = /usr/share/lxc/config/nesting.conf\n' },
  ],
  invalid: [
    {
      name: 'a missing file: LXC refuses the config',
      config: 'lxc.uts.name = c1\nlxc.include = /nonexistent/ctcr-test/common.conf\n',
      errors: [
        { messageId: 'fileMissing', 
          line: 2,
          column: 1,
          severity: 'error',
          message: 'lxc.include = /nonexistent/ctcr-test/common.conf: no such file (/nonexistent/ctcr-test/common.conf); LXC refuses to load the config ("Failed to parse config file"), and ctcr did not check the settings it holds',
        },
      ],
      output: null,
      suggestionOutput: null,
    },
    {
      name: 'a missing directory: LXC silently skips it (warning)',
      config: 'lxc.include = conf.d/\n',
      errors: [{ messageId: 'directoryMissing', line: 1, severity: 'warning', message: /^lxc\.include = conf\.d\/: no such directory \(.*conf\.d\); LXC skips a missing include directory silently/ }],
    },
    {
      name: 'missing from an included file, resolved from its folder',
      config: 'lxc.include = sub/common.conf\n',
      files: { 'sub/common.conf': 'lxc.include = extra.conf\n' },
      errors: [{ messageId: 'fileMissing', file: 'sub/common.conf', line: 1, message: /no such file \(.*\/sub\/extra\.conf\)/ }],
    },
  ],
});
