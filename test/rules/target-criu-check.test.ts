import rule from '../../rules/target-criu-check.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, criu, version } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };

new RuleTester().run(rule, {
  valid: [
    { name: 'Looks good. on the target', ...base, move: move(readyTarget()) },
    { name: 'no CRIU there: target-criu-version says so', ...base, move: move(readyTarget({ host: { ...targetFacts().host, criu: { ok: true, value: null } } })) },
  ],
  invalid: [
    {
      name: 'CRIU 3.17.1 on kernel 6.18 (the lab\'s bookworm candidate)',
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, criu: criu({ version: version('3.17.1'), checkOk: false, checkExitCode: 1, checkOutput: 'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\nError (criu/kerndat.c:1700): Could not initialize kernel features detection.' }) } })),
      errors: [{ messageId: 'checkFails', file: 'target host2', message: /^target host2: criu check fails \(CRIU 3\.17\.1, exit 1: Error \(criu\/vdso\.c:381\): vdso: Unexpected rt vDSO area bounds \| .*\): the restore would fail there$/ }],
      output: null,
    },
  ],
});
