import rule from '../../rules/lxc-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { host, tools } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host: LXC 5.0.2 with lxc-checkpoint', host: host() },
    { name: 'LXC could not be asked', host: host({ lxc: { ok: false, reason: 'LXC: timed out after 10000 ms' } }) },
  ],
  invalid: [
    { name: 'no LXC tool on PATH', host: host({ lxc: { ok: true, value: null } }), errors: [{ messageId: 'lxcMissing', file: 'host', line: 0, message: /^LXC is not installed/ }] },
    { name: 'LXC without lxc-checkpoint', host: host({ tools: tools({ 'lxc-checkpoint': null }) }), errors: [{ messageId: 'lxcCheckpointMissing', file: 'host', message: /lxc-checkpoint is not on PATH/ }] },
  ],
});
