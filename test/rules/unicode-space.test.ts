import rule from '../../rules/unicode-space.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'ASCII blanks only, and non-ASCII letters', config: 'lxc.uts.name = café\nlxc.environment = GREETING=中文 \t\nlxc.tty.max = 0\n' },
    { name: 'a line that starts with U+00A0 is ignored by LXC (not an lxc. line)', config: '\u00a0lxc.tty.max = 4\n' },
  ],
  invalid: [
    {
      name: 'a NBSP after a number: LXC keeps it in the value',
      config: 'lxc.uts.name = c1\nlxc.tty.max =\u00a00\u00a0\n',
      errors: [{ messageId: 'unicodeSpace', line: 2, severity: 'warning', message: 'the value of lxc.tty.max carries U+00A0 (no-break space) at columns 14 and 16, which LXC keeps (it strips only spaces and tabs): it reads "\\u00a00\\u00a0", not "0"' }],
      output: null,
      suggestionOutput: { config: 'lxc.uts.name = c1\nlxc.tty.max =0\n' },
    },
    {
      name: 'between words it becomes an ASCII space; several kinds are named; quotes kept',
      config: 'lxc.mount.auto = "proc:rw\u2003sys:ro\u3000"\n',
      errors: [{ messageId: 'unicodeSpace', line: 1, message: /U\+2003 \(em space\) at column 26 and U\+3000 \(ideographic space\) at column 33/ }],
      suggestionOutput: { config: 'lxc.mount.auto = "proc:rw sys:ro"\n' },
    },
    {
      name: 'in a key: LXC does not know the key',
      config: 'lxc.tty.max\u00a0 = 0\nlxc.uts.name = a\ufeff\n',
      errors: [
        { messageId: 'unicodeSpace', line: 1, severity: 'error', message: /the key lxc\.tty\.max\\u00a0 carries U\+00A0 \(no-break space\) at column 12, which LXC keeps/ },
        { messageId: 'unicodeSpace', line: 2, severity: 'warning', message: /U\+FEFF \(zero-width no-break space\) at column 17/ },
      ],
      suggestionOutput: { config: 'lxc.tty.max = 0\nlxc.uts.name = a\n' },
    },
  ],
});
