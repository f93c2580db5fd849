import rule from '../../rules/console-enabled.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/cli.js';

const MACVLAN_1_0 = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '21-lxc1.0-example-macvlan.conf'), 'utf8');

new RuleTester().run(rule, {
  valid: [
    { name: 'disabled', config: 'lxc.uts.name = c1\nlxc.console.path = none\n' },
    { name: 'disabled with the legacy key', config: 'lxc.console = none\n' },
    { name: 'disabled in an included file', config: 'lxc.include = consoles.conf\n', files: { 'consoles.conf': 'lxc.console.path = none\n' } },
    { name: 'the last line wins', config: 'lxc.console.path = /dev/tty1\nlxc.console.path = none\n' },
    { name: 'quoted none', config: 'lxc.console.path = "none"\n' },
  ],
  invalid: [
    {
      name: 'no key: LXC allocates a console; the line is added at the end',
      config: 'lxc.uts.name = c1\n',
      errors: [{ messageId: 'consoleUnset', file: 'config', line: 1, column: 1, severity: 'warning', message: /^lxc\.console\.path is not set.*on source host but not target.*Add lxc\.console\.path = none$/ }],
      output: null,
      suggestionOutput: { config: 'lxc.uts.name = c1\nlxc.console.path = none\n' },
    },
    {
      name: 'no key, no trailing newline: the file keeps none',
      config: 'lxc.uts.name = c1',
      errors: [{ messageId: 'consoleUnset', line: 1 }],
      suggestionOutput: { config: 'lxc.uts.name = c1\nlxc.console.path = none' },
    },
    {
      name: 'no key: added after the tty settings, in CRLF',
      config: 'lxc.uts.name = c1\r\nlxc.tty.max = 0\r\nlxc.pty.max = 0\r\nlxc.net.0.type = empty\r\n',
      errors: [{ messageId: 'consoleUnset', line: 1 }],
      suggestionOutput: { config: 'lxc.uts.name = c1\r\nlxc.tty.max = 0\r\nlxc.pty.max = 0\r\nlxc.console.path = none\r\nlxc.net.0.type = empty\r\n' },
    },
    {
      name: 'no key, tty settings on a last line without newline',
      config: 'lxc.uts.name = c1\nlxc.tty.max = 0',
      errors: [{ messageId: 'consoleUnset', line: 1 }],
      suggestionOutput: { config: 'lxc.uts.name = c1\nlxc.tty.max = 0\nlxc.console.path = none' },
    },
    {
      name: 'no key, judged for LXC 2.0: the legacy name is added',
      lxcVersion: '2.0',
      config: 'lxc.utsname = c1\nlxc.tty = 0\n',
      errors: [{ messageId: 'consoleUnset', line: 1, message: /^lxc\.console is not set/ }],
      suggestionOutput: { config: 'lxc.utsname = c1\nlxc.tty = 0\nlxc.console = none\n' },
    },
    {
      name: "LXC 1.0's macvlan example, no --lxc-version: judged for LXC 2.0 too, so the key is spelled as the config's other keys",
      config: MACVLAN_1_0,
      errors: [{ messageId: 'consoleUnset', line: 1, message: /^lxc\.console is not set/ }],
      suggestionOutput: { config: MACVLAN_1_0 + 'lxc.console = none\n' },
    },
    {
      name: 'pre-2.1 keys but --lxc-version 6.0: the current key',
      lxcVersion: '6.0',
      config: 'lxc.utsname = c1\n',
      errors: [{ messageId: 'consoleUnset', line: 1, message: /^lxc\.console\.path is not set/ }],
      suggestionOutput: { config: 'lxc.utsname = c1\nlxc.console.path = none\n' },
    },
    {
      name: 'an empty main config',
      config: '',
      errors: [{ messageId: 'consoleUnset', line: 1 }],
      suggestionOutput: { config: 'lxc.console.path = none\n' },
    },
    {
      name: 'a console path',
      config: 'lxc.uts.name = c1\nlxc.console.path = /dev/tty1\n',
      errors: [{ messageId: 'consoleSet', line: 2, column: 1, message: /^lxc\.console\.path = \/dev\/tty1: LXC allocates a console pty/ }],
      output: null,
      suggestionOutput: { config: 'lxc.uts.name = c1\nlxc.console.path = none\n' },
    },
    {
      name: 'an empty value resets to the default (a console)',
      config: 'lxc.console.path = none\nlxc.console.path =\n',
      errors: [{ messageId: 'consoleSet', line: 2, message: /is empty, which resets it to the default/ }],
      suggestionOutput: { config: 'lxc.console.path = none\nlxc.console.path = none\n' },
    },
    {
      name: 'legacy key in an included file',
      config: 'lxc.include = consoles.conf\n',
      files: { 'consoles.conf': '# consoles\nlxc.console = /dev/null\n' },
      // Alternatives: the included file, or (when it is not the container's to edit) an override at the end of the config.
      errors: [{
        messageId: 'consoleSet', file: 'consoles.conf', line: 2, message: /^lxc\.console = \/dev\/null/,
        suggestions: [
          { desc: /^set lxc\.console to none in /, output: { 'consoles.conf': '# consoles\nlxc.console = none\n' } },
          { desc: /^add lxc\.console = none at the end of the config/, output: { config: 'lxc.include = consoles.conf\nlxc.console = none\n' } },
        ],
      }],
    },
    {
      name: "an inline comment makes the value 'none # off', not none",
      config: 'lxc.console.path = none # off\n',
      errors: [{ messageId: 'consoleSet', line: 1, message: /lxc\.console\.path = none # off/ }],
      suggestionOutput: { config: 'lxc.console.path = none\n' },
    },
  ],
});
