import rule from '../../rules/target-cgroup-mismatch.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, sourceNeeds, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const v2 = { ok: true as const, value: { layout: 'v2' as const, mounts: [{ fstype: 'cgroup2', target: '/sys/fs/cgroup', options: ['rw', 'nsdelegate'] }], freezerV1: null, unifiedPath: '/sys/fs/cgroup' } };

new RuleTester().run(rule, {
  valid: [{ name: 'hybrid on both, the same controllers (recorded)', ...base, move: move(readyTarget()) }],
  invalid: [
    {
      name: 'a pure v2 target for a hybrid source, without net_cls and net_prio',
      ...base,
      move: move(readyTarget({ host: { ...targetFacts().host, cgroups: v2 }, cgroupControllers: { ok: true, value: ['cpu', 'cpuset', 'hugetlb', 'io', 'memory', 'misc', 'pids'] } }), sourceNeeds({ cgroupControllers: { ok: true, value: ['cpu', 'memory', 'net_cls', 'pids'] } })),
      errors: [
        { messageId: 'controllersMissing', file: 'target host2', severity: 'warning', message: /^target host2: cgroup controller net_cls of the source missing there/ },
        { messageId: 'layoutDiffers', severity: 'error', message: "target host2: cgroup layout v2, the source's is hybrid: CRIU restores the cgroup images only into the same layout" },
      ],
      output: null,
    },
  ],
});
