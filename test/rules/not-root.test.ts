import rule from '../../rules/not-root.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { host } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'root', host: host({ euid: 0 }) },
    { name: 'euid unknown (not a POSIX platform)', host: host({ euid: undefined }) },
  ],
  invalid: [{ name: 'a normal user', host: host({ euid: 1000 }), errors: [{ messageId: 'notRoot', file: 'host', line: 0, severity: 'error', message: /^ctcr runs as uid 1000, not root.*Must be root to checkpoint/ }] }],
});
