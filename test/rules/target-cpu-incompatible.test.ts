import rule from '../../rules/target-cpu-incompatible.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, criu } from '../helpers/live-facts.js';
import { move, readyTarget, sourceNeeds } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };

new RuleTester().run(rule, {
  valid: [
    { name: 'the source\'s image passes criu cpuinfo check there (recorded)', ...base, move: move(readyTarget()) },
    { name: 'no CRIU on the source: nothing to compare, criu-missing speaks', ...base, move: move(readyTarget(), sourceNeeds({ cpuinfo: { ok: true, value: null } })) },
  ],
  invalid: [
    {
      name: 'a CPU without the source\'s xfeatures (criu/arch/x86/cpu.c messages)',
      ...base,
      move: move(readyTarget({ cpuinfoCheck: { ok: true, value: { ok: false, exitCode: 1, output: 'Error (criu/arch/x86/cpu.c:387): CPU xfeatures has unsupported bits (0xe0)\nError (criu/arch/x86/cpu.c:472): CPU capabilities do not match run time' } } })),
      errors: [{ messageId: 'incompatible', file: 'target host2', severity: 'error', message: /^target host2: criu cpuinfo check of the source's CPU image fails \(exit 1: .*CPU capabilities do not match run time\): the restored tasks may die of SIGILL there \(CRIU restores without comparing CPUs unless --cpu-cap is given\)$/ }],
      output: null,
    },
    {
      name: 'aarch64: cpuinfo dump is not supported on the source, a warning that nothing was checked',
      ...base,
      move: move(readyTarget(), sourceNeeds({ cpuinfo: { ok: false, reason: 'criu cpuinfo dump exited with code 1: Error (criu/cr-check.c): cpuinfo dump: ENOTSUP' } })),
      errors: [{ messageId: 'notChecked', severity: 'warning', message: /^target host2: CPU compatibility not checked: criu cpuinfo dump failed on the source/ }],
    },
  ],
});
