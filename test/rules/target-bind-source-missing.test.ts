import rule from '../../rules/target-bind-source-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const paths = targetFacts().paths;

new RuleTester().run(rule, {
  valid: [
    { name: 'every bind source is there (recorded)', ...base, move: move(readyTarget()) },
    { name: 'a path the target was not asked about is not judged', ...base, move: move(readyTarget({ paths: {} })) },
  ],
  invalid: [
    {
      name: '/usr/lib64 missing there, and the optional /sys/kernel/security',
      ...base,
      move: move(readyTarget({ paths: { ...paths, '/usr/lib64': { exists: false }, '/sys/kernel/security': { exists: false } } })),
      errors: [
        { messageId: 'bindSourceMissing', file: 'config', line: 33, severity: 'error', message: 'target host2: /usr/lib64 (the source of the bind mount at usr/lib64) does not exist there: the restore cannot mount it. Create it there' },
        { messageId: 'bindSourceMissing', file: 'config', line: 34, severity: 'warning', message: /does not exist there; the entry is optional, so LXC skips it/ },
      ],
      output: null,
    },
  ],
});
