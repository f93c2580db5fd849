import rule from '../../rules/bind-mount-restore.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, criu, host, version } from '../helpers/live-facts.js';

const sources = (...facts: { source: string; exists: boolean; symlink: boolean; realPath?: string }[]) => ({ ok: true as const, value: facts });
const compatEngine = criu({ features: { network_lock_nftables: true, move_mount_set_group: false, timens: true, mem_dirty_track: false } });
const FIXED = BUSYBOX_CONFIG.replace('lxc.mount.entry = /lib lib', 'lxc.mount.entry = /usr/lib lib').replace('lxc.mount.entry = /lib64 lib64', 'lxc.mount.entry = /usr/lib64 lib64');

new RuleTester().run(rule, {
  valid: [
    { name: 'the fixed busybox config: sources are real folders', config: FIXED, host: host(), container: busybox() },
    { name: 'CRIU uses the compat mount engine (no MOVE_MOUNT_SET_GROUP)', config: BUSYBOX_CONFIG, host: host({ criu: compatEngine }), container: busybox() },
    { name: 'CRIU 3.16 has no mount-v2', config: BUSYBOX_CONFIG, host: host({ criu: criu({ version: version('3.16.1') }) }), container: busybox() },
    { name: 'a dump alone works', config: BUSYBOX_CONFIG, host: host(), container: busybox(), purpose: 'dump' },
    {
      name: 'a dangling link (an optional entry LXC skips)',
      config: 'lxc.mount.entry = /opt/gone opt/gone none ro,bind,optional 0 0\n',
      host: host(),
      container: busybox({ bindSources: sources({ source: '/opt/gone', exists: false, symlink: true }) }),
    },
    { name: 'an fstab-style non-bind mount', config: 'lxc.mount.entry = shm dev/shm tmpfs defaults 0 0\n', host: host(), container: busybox() },
  ],
  invalid: [
    {
      name: 'the busybox template on a merged-/usr host: /lib and /lib64 are links',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox(),
      errors: [
        { messageId: 'symlinkSource', file: 'config', line: 30, column: 1, severity: 'error', message: /^lxc\.mount\.entry '\/lib lib none ro,bind 0 0': its source \/lib is a symlink to \/usr\/lib; .*"mnt-v2: Failed to move_mount from \/lib to \.\.\.: Invalid argument"\)\. Point the entry at \/usr\/lib$/ },
        { messageId: 'symlinkSource', file: 'config', line: 32, message: /source \/lib64 is a symlink to \/usr\/lib64/ },
      ],
      output: { config: FIXED },
      suggestionOutput: null,
    },
    {
      name: 'the move_mount_set_group probe did not answer: judged by the kernel (6.18 has it)',
      config: 'lxc.mount.entry = /lib lib none ro,bind 0 0\n',
      host: host({ criu: criu({ features: {} }) }),
      container: busybox(),
      errors: [{ messageId: 'symlinkSource', line: 1 }],
      output: { config: 'lxc.mount.entry = /usr/lib lib none ro,bind 0 0\n' },
    },
    {
      name: 'a quoted value, a target with a space: only the source changes, escaped',
      config: 'lxc.mount.entry = "/data/link data\\040dir none bind,create=dir 0 0"\n',
      host: host(),
      container: busybox({ bindSources: sources({ source: '/data/link', exists: true, symlink: true, realPath: '/srv/real data' }) }),
      errors: [{ messageId: 'symlinkSource', line: 1, message: /symlink to \/srv\/real data/ }],
      output: { config: 'lxc.mount.entry = "/srv/real\\040data data\\040dir none bind,create=dir 0 0"\n' },
    },
  ],
});
