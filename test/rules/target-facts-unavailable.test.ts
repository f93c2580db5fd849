import rule from '../../rules/target-facts-unavailable.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, criu } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded target answered every probe', ...base, move: move(readyTarget()) },
    { name: 'no move: silent', ...base },
  ],
  invalid: [
    {
      name: 'ssh failed',
      ...base,
      move: move({ ok: false, reason: 'ssh -o BatchMode=yes -- host2 ... exited with code 255: Permission denied (publickey).' }),
      errors: [{ messageId: 'noFacts', file: 'target host2', line: 0, severity: 'error', message: /^target host2: cannot read its facts: ssh .*Permission denied \(publickey\)\.$/ }],
      output: null,
    },
    {
      name: 'criu check timed out there: a warning naming the probe',
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, criu: { ok: false, reason: 'criu check timed out after 10000 ms' } } })),
      errors: [{ messageId: 'factUnknown', severity: 'warning', message: 'target host2: criu unknown (criu check timed out after 10000 ms): the rules that need it could not judge the move' }],
    },
    {
      name: 'the ip probe failed there (target-tool-missing needs it)',
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, ip: { ok: false, reason: 'ip -V timed out after 5000 ms' } } })),
      errors: [{ messageId: 'factUnknown', severity: 'warning', message: 'target host2: ip unknown (ip -V timed out after 5000 ms): the rules that need it could not judge the move' }],
    },
    {
      name: "CRIU's configuration files unreadable there",
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, criuConfig: { ok: false, reason: '/etc/criu/default.conf: permission denied' } } })),
      errors: [{ messageId: 'factUnknown', severity: 'warning', message: "target host2: CRIU configuration files unknown (/etc/criu/default.conf: permission denied): the rules that need it could not judge the move" }],
    },
  ],
});
