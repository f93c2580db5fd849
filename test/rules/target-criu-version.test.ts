import rule from '../../rules/target-criu-version.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, criu, version } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const withCriu = (c: ReturnType<typeof criu>) => readyTarget({ host: { ...targetFacts().host, criu: c } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the same CRIU 4.2.1 on both', ...base, move: move(readyTarget()) },
    { name: 'a newer CRIU on the target', ...base, move: move(withCriu(criu({ version: version('4.3') }))) },
  ],
  invalid: [
    {
      name: 'CRIU 4.1.1 on the target, 4.2.1 here',
      ...base,
      move: move(withCriu(criu({ version: version('4.1.1') }))),
      errors: [{ messageId: 'olderCriu', file: 'target host2', message: /^target host2: CRIU 4\.1\.1 \(\/usr\/local\/sbin\/criu\) is older than the source's CRIU 4\.2\.1, which writes the images/ }],
      output: null,
    },
    {
      name: 'no CRIU on the target',
      ...base,
      move: move(withCriu({ ok: true, value: null })),
      errors: [{ messageId: 'noCriu', message: 'target host2: no criu on PATH: nothing can restore the images there. Install CRIU on the target' }],
    },
  ],
});
