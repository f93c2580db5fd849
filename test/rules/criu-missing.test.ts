import rule from '../../rules/criu-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, version } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host: CRIU 4.2.1 on PATH', host: host() },
    { name: 'CRIU could not be asked (facts-unavailable says so, not this rule)', host: host({ criu: { ok: false, reason: 'criu: timed out after 10000 ms' } }) },
    { name: 'without live facts (ctcr lint) the rule is silent', config: BUSYBOX_CONFIG },
  ],
  invalid: [
    {
      name: 'no criu on PATH, kernel 6.18: names the CRIU it needs',
      host: host({ criu: { ok: true, value: null } }),
      errors: [{ messageId: 'criuMissing', file: 'host', line: 0, severity: 'error', message: /^CRIU is not installed: there is no criu on PATH.*execing criu failed.*needs CRIU 4\.2 or newer/ }],
      output: null,
    },
    {
      name: 'no criu on kernel 5.10: glibc rseq needs CRIU 3.17',
      host: host({ criu: { ok: true, value: null }, kernel: { ok: true, value: { release: '5.10.0-28-amd64', version: version('5.10.0'), arch: 'x86_64' } } }),
      errors: [{ messageId: 'criuMissing', file: 'host', message: /Install CRIU \(kernel 5\.10 \(x86_64\) needs CRIU 3\.17 or newer: glibc ≥ 2\.35 registers rseq/ }],
    },
    {
      name: 'no criu on an old kernel: no version demanded',
      host: host({ criu: { ok: true, value: null }, kernel: { ok: true, value: { release: '4.9.0-19-amd64', version: version('4.9.0'), arch: 'x86_64' } } }),
      errors: [{ messageId: 'criuMissing', file: 'host', message: /Install CRIU$/ }],
    },
    {
      name: 'reported on the host location, also from a container snapshot',
      config: BUSYBOX_CONFIG,
      host: host({ criu: { ok: true, value: null } }),
      container: busybox(),
      errors: [{ messageId: 'criuMissing', file: 'host', line: 0, column: 0 }],
    },
  ],
});
