import rule from '../../rules/unused-suppression.js';
import ttyNonzero from '../../rules/tty-nonzero.js';
import { RuleTester } from '../helpers/rule-tester.js';

// The engine reports unused suppressions after the rules run; RuleTester runs the engine, so these are real.
new RuleTester().run(rule, {
  valid: [
    { name: 'no suppression', config: 'lxc.uts.name = c1\n' },
    { name: 'a suppression of a rule that ran and found what it hides is used', config: '# ctcr-disable-next-line tty-nonzero\nlxc.tty.max = 4\n', alsoRun: [ttyNonzero] },
    { name: 'a suppression comment is any comment to LXC, and here it is not one', config: '# ctcr: keep this config small\nlxc.uts.name = c1\n' },
    // Only this rule runs here: tty-nonzero did not, so its suppression may be in use (issue 14.4).
    { name: 'a suppression of a rule that did not run is not unused', config: '# ctcr-disable-next-line tty-nonzero -- staging\nlxc.uts.name = c1\n' },
  ],
  invalid: [
    {
      name: 'a suppression of a rule that ran and found nothing there is unused',
      config: '# ctcr-disable-next-line tty-nonzero -- staging\nlxc.uts.name = c1\n',
      alsoRun: [ttyNonzero],
      errors: [{ messageId: 'unused', file: 'config', line: 1, message: /^'ctcr-disable-next-line tty-nonzero' suppresses nothing$/ }],
      output: { config: 'lxc.uts.name = c1\n' },
    },
    {
      name: 'next-line suppression with nothing to suppress (every rule ran); the fix removes the comment line',
      config: '# ctcr-disable-next-line\nlxc.uts.name = c1\n',
      errors: [{ messageId: 'unused', file: 'config', line: 1, severity: 'warning', message: /^'ctcr-disable-next-line' suppresses nothing$/ }],
      output: { config: 'lxc.uts.name = c1\n' },
    },
    {
      name: 'file-wide suppression without a rule id',
      config: 'lxc.uts.name = c1\n# ctcr-disable\n',
      errors: [{ messageId: 'unused', file: 'config', line: 2, message: /^'ctcr-disable' suppresses nothing$/ }],
      output: { config: 'lxc.uts.name = c1\n' },
    },
  ],
});
