import rule from '../../rules/target-name-taken.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };

new RuleTester().run(rule, {
  valid: [
    { name: 'an empty target lxcpath (recorded)', ...base, move: move(readyTarget()) },
    { name: 'other containers there', ...base, move: move(readyTarget({ lxcpath: { ...targetFacts().lxcpath, names: { ok: true, value: ['bb2', 'web1'] } } })) },
  ],
  invalid: [
    {
      name: 'bb exists there',
      ...base,
      move: move(readyTarget({ lxcpath: { ...targetFacts().lxcpath, names: { ok: true, value: ['bb', 'web1'] } } })),
      errors: [{ messageId: 'nameTaken', file: '/var/lib/lxc/bb/config', line: 0, message: 'target host2: /srv/lxc/bb already exists: the name bb is taken in /srv/lxc. Remove it there or choose another target lxcpath' }],
      output: null,
    },
  ],
});
