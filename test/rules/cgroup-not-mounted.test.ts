import rule from '../../rules/cgroup-not-mounted.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { host } from '../helpers/live-facts.js';

const cgroups = (layout: 'v1' | 'v2' | 'hybrid' | 'none', freezerV1: string | null, unifiedPath: string | null) => ({ ok: true as const, value: { layout, mounts: [], freezerV1, unifiedPath } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded hybrid host: freezer at /sys/fs/cgroup/freezer', host: host() },
    { name: 'pure cgroup2 at /sys/fs/cgroup', host: host({ cgroups: cgroups('v2', null, '/sys/fs/cgroup') }) },
  ],
  invalid: [
    { name: 'no cgroup mounted at all', host: host({ cgroups: cgroups('none', null, null) }), errors: [{ messageId: 'noCgroup', file: 'host', line: 0, message: /^no cgroup filesystem is mounted/ }] },
    { name: 'hybrid without the freezer controller', host: host({ cgroups: cgroups('hybrid', null, '/sys/fs/cgroup/unified') }), errors: [{ messageId: 'freezerMissing', message: /freezer controller is not mounted; mount it at \/sys\/fs\/cgroup\/freezer$/ }] },
    { name: 'v1 with the freezer elsewhere', host: host({ cgroups: cgroups('v1', '/cgroup/freezer', null) }), errors: [{ messageId: 'freezerMissing', message: /is mounted at \/cgroup\/freezer/ }] },
    { name: 'cgroup2 alone, not at /sys/fs/cgroup', host: host({ cgroups: cgroups('v2', null, '/sys/fs/cgroup/unified') }), errors: [{ messageId: 'unifiedElsewhere', message: /^cgroup2 is mounted at \/sys\/fs\/cgroup\/unified/ }] },
  ],
});
