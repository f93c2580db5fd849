import rule from '../../rules/target-kernel-older.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, version } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const kernel = (release: string) => ({ ok: true as const, value: { release, version: version(release), arch: 'x86_64' } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the same kernel (recorded)', ...base, move: move(readyTarget()) },
    { name: 'a newer target kernel', ...base, move: move(readyTarget({ host: { ...targetFacts().host, kernel: kernel('6.19.1') } })) },
  ],
  invalid: [
    {
      name: 'a 6.1 target for a 6.18 source',
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, kernel: kernel('6.1.0-28-amd64') } })),
      errors: [{ messageId: 'olderKernel', file: 'target host2', severity: 'warning', message: /^target host2: kernel 6\.1\.0-28-amd64 is older than the source's 6\.18\./ }],
      output: null,
    },
  ],
});
