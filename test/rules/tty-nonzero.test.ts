import rule from '../../rules/tty-nonzero.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'no tty key', config: 'lxc.uts.name = c1\n' },
    { name: 'zero', config: 'lxc.tty.max = 0\n' },
    { name: 'legacy zero', config: 'lxc.tty = 0\n' },
    { name: 'reset to the default (0)', config: 'lxc.tty.max = 4\nlxc.tty.max =\n' },
    { name: 'a commented-out line', config: '# lxc.tty.max = 4\n' },
    // lxc_safe_uint refuses the whole value: LXC does not load the config (inline-comment reports it), no ttys are made.
    { name: 'lxc.tty.max with a comment after the number', config: 'lxc.tty.max = 4 # ttys\n' },
    { name: 'lxc.tty.max = 4.0 (not an unsigned integer to LXC)', config: 'lxc.tty.max = 4.0\n' },
    { name: 'legacy lxc.tty = 0x4: atoi reads the 0', config: 'lxc.tty = 0x4\n' },
  ],
  invalid: [
    {
      name: 'busybox template',
      config: 'lxc.uts.name = bb\nlxc.tty.max = 5\nlxc.pty.max = 1\n',
      errors: [
        {
          messageId: 'ttys', file: 'config', line: 2, column: 1, severity: 'error', message: /lxc\.tty\.max = 5/,
          suggestions: [{ desc: /^set lxc\.tty\.max to 0 /, output: { config: 'lxc.uts.name = bb\nlxc.tty.max = 0\nlxc.pty.max = 1\n' } }],
        },
      ],
      output: null,
      suggestionOutput: { config: 'lxc.uts.name = bb\nlxc.tty.max = 0\nlxc.pty.max = 1\n' },
    },
    {
      name: 'legacy key, the last line wins',
      config: 'lxc.tty = 0\n  lxc.tty   =   4\r\n',
      errors: [{ messageId: 'ttys', line: 2, column: 3, message: /^lxc\.tty = 4/ }],
      suggestionOutput: { config: 'lxc.tty = 0\n  lxc.tty   =   0\r\n' },
    },
    {
      name: 'legacy lxc.tty with a comment: LXC 2.0 reads it with atoi',
      config: 'lxc.tty = 4 # four ttys\n',
      errors: [{ messageId: 'ttys', line: 1, message: /^lxc\.tty = 4 # four ttys \(LXC 2\.0, which reads lxc\.tty, takes the number it starts with: 4\)/ }],
      suggestionOutput: { config: 'lxc.tty = 0\n' },
    },
    {
      name: 'lxc.tty.max in hex (strtoul base 0)',
      config: 'lxc.tty.max = 0x2\n',
      errors: [{ messageId: 'ttys', line: 1, message: /^lxc\.tty\.max = 0x2 \(2 ttys\)/ }],
      suggestionOutput: { config: "lxc.tty.max = 0\n" },
    },
    {
      name: 'set in an included file',
      config: 'lxc.include = common.conf\n',
      files: { 'common.conf': 'lxc.tty.max = 2\n' },
      errors: [{
        messageId: 'ttys', file: 'common.conf', line: 1,
        suggestions: [
          { desc: /^set lxc\.tty\.max to 0 in /, output: { 'common.conf': 'lxc.tty.max = 0\n' } },
          { desc: /^add lxc\.tty\.max = 0 at the end of the config/, output: { config: 'lxc.include = common.conf\nlxc.tty.max = 0\n' } },
        ],
      }],
    },
  ],
});
