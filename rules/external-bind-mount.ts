/** A mount in the container comes from outside its mount namespace, and CRIU was not told how to treat it. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';
import { mountpointOf } from '../src/criu/log-helpers.js';
import { mountCookie } from '../src/criu/filesystems.js';

export default defineRule({
  id: 'external-bind-mount',
  severity: 'error',
  summary: 'A mount in the container comes from outside its mount namespace, and CRIU was not told how to treat it.',
  scope: 'log',
  docs: {
    why: 'CRIU dumps the mount tree of the container; a bind mount whose root lies outside ("doesn\'t have a proper root mount") or a slave of a host mount ("has unreachable sharing") must be declared external, and the restore must map it back.',
    fix: 'Pass --external mnt[] (lxc-checkpoint passes --ext-mount-map auto) or --external mnt[PATH]:COOKIE on dump and --external mnt[COOKIE]:HOST_PATH on restore; --enable-external-masters for slaves.',
  },
  logSignatures: [
    {
      pattern: /(?<!\d)(\d+):(\S+) doesn't have a proper root mount/,
      explain(m) {
        const mountpoint = mountpointOf(m[2]!);
        return {
          message: `${mountpoint} is a bind mount from outside the container's mount namespace`,
          fix: `Mark it external: --external mnt[${mountpoint}]:${mountCookie(mountpoint)} on dump and --external mnt[${mountCookie(mountpoint)}]:HOST_PATH on restore, or let CRIU find such mounts with --external mnt[] (lxc-checkpoint passes --ext-mount-map auto).`,
          criuOptions: ['--external', 'mnt[]'],
        };
      },
      samples: [
        { line: 'mnt: 554:./etc/hosts doesn\'t have a proper root mount', source: 'criu v4.2 criu/mount.c:753 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      pattern: /Mount (\d+) (\S+) \(master_id: (\d+) shared_id: (\d+)\) has unreachable sharing/,
      explain(m) {
        return {
          message: `${mountpointOf(m[2]!)} is a slave of a mount outside the container`,
          fix: 'Pass --enable-external-masters (or --external mnt[]:m) on dump and restore.',
          criuOptions: ['--enable-external-masters'],
        };
      },
      samples: [
        { line: 'Mount 80 ./sys (master_id: 3 shared_id: 0) has unreachable sharing. Try --enable-external-masters.', source: 'criu v4.2 criu/mount-v2.c:198 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      pattern: /Mount (\d+):(\S+) is autodetected external mount/,
      explain(m) {
        return {
          message: `the dump auto-detected ${mountpointOf(m[2]!)} as an external mount, and the restore was not told to accept it`,
          fix: 'Pass --external mnt[] (or --ext-mount-map auto) on restore too.',
          criuOptions: ['--external', 'mnt[]'],
        };
      },
      samples: [
        { line: 'Mount 80:./data is autodetected external mount. Try "--ext-mount-map auto" to allow them.', source: 'criu v4.2 criu/mount.c:3121 (the message it prints, with this run\'s values)' },
      ],
    },
    {
      // CRIU before 2.x printed the mountpoint without its mount id: "No mapping for /sys/fs/cgroup/perf_event mountpoint".
      pattern: /No mapping for (?:(\d+):)?(\S+) mountpoint/,
      explain(m) {
        return {
          message: `the images name ${mountpointOf(m[2]!)} as an external mount, but the restore gave no host path for it`,
          fix: 'Pass --external mnt[COOKIE]:HOST_PATH on restore with the cookie used on dump (--ext-mount-map COOKIE:HOST_PATH on CRIU before 2.8).',
        };
      },
      samples: [
        { line: 'No mapping for 80:./data mountpoint', source: 'criu v4.2 criu/mount.c:3141 (the message it prints, with this run\'s values)' },
        { line: '(00.006633) Error (mount.c:2393): mnt: No mapping for /sys/fs/cgroup/perf_event mountpoint', source: 'https://github.com/checkpoint-restore/criu/issues/79 (CRIU 1.x)' },
      ],
    },
  ],
});
