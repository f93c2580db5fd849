import rule from '../../rules/target-arch-mismatch.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, version } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const kernel = (release: string, arch: string) => ({ ok: true as const, value: { release, version: version(release), arch } });

new RuleTester().run(rule, {
  valid: [{ name: 'x86_64 on both (recorded)', ...base, move: move(readyTarget()) }],
  invalid: [
    {
      name: 'an aarch64 target',
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, kernel: kernel('6.18.44', 'aarch64') } })),
      errors: [{ messageId: 'archDiffers', file: 'target host2', message: "target host2: architecture aarch64, the source's is x86_64: CRIU cannot restore these images there" }],
      output: null,
    },
  ],
});
