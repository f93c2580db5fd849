import rule from '../../rules/external-bind-mount.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    '(00.007567) Error (criu/mount.c:625): mnt: FS mnt ./sys/kernel/config dev 0x23 root / unsupported id 3017',
    'Error (criu/util.c:1534): rlimit: Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
  ],
  invalid: [
    'mnt: 554:./etc/hosts doesn\'t have a proper root mount',
    'Mount 80 ./sys (master_id: 3 shared_id: 0) has unreachable sharing. Try --enable-external-masters.',
    'Mount 80:./data is autodetected external mount. Try "--ext-mount-map auto" to allow them.',
    'No mapping for 80:./data mountpoint',
    // CRIU 1.x, without the mount id (criu#79)
    '(00.006633) Error (mount.c:2393): mnt: No mapping for /sys/fs/cgroup/perf_event mountpoint',
  ],
});
