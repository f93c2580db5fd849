import rule from '../../rules/lxc-checkpoint-error.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// LXC's messages (src/lxc/criu.c, src/lxc/tools/lxc_checkpoint.c) in lxc-checkpoint's stderr and log-file forms.
testLogRule(rule, {
  valid: [
    // A known LXC cause keeps its own rule.
    'lxc-checkpoint: c1: criu.c: __criu_dump: 1226 please use a fresh directory for the dump directory',
    "(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
  ],
  invalid: [
    { line: 'lxc-checkpoint: c1: criu.c: do_restore: 958 failed restoring network info', message: /^CRIU failed in LXC's checkpoint code/ },
    'lxc-checkpoint c1 20250611093012.123 ERROR    cgfsng - cgroups/cgfsng.c:cgfsng_payload_create:1325 - Failed to create cgroup "/sys/fs/cgroup/lxc.payload.c1"',
    // Only the cascade of a failed CRIU is pasted: lxc-checkpoint failed, and CRIU's own log has the cause.
    'lxc-checkpoint: lxc-test-criu: criu.c: do_dump: 1279 dump failed with 1',
  ],
});
