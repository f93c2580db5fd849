import rule from '../../rules/target-rootfs-copy.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget } from '../helpers/move-facts.js';

const base = { host: host(), container: busybox() };

new RuleTester().run(rule, {
  valid: [
    { name: 'no config: nothing to say', ...base, move: move(readyTarget()) },
    { name: 'no move', config: BUSYBOX_CONFIG, ...base },
  ],
  invalid: [
    {
      name: 'the rootfs in the container folder is copied into the target container folder',
      config: BUSYBOX_CONFIG, ...base, move: move(readyTarget()),
      errors: [{ messageId: 'copied', file: 'config', line: 15, severity: 'info', message: 'target host2: the rootfs /var/lib/lxc/bb/rootfs is copied with rsync to /srv/lxc/bb/rootfs (2.0 MiB), once while the container runs and again after the freeze' }],
      output: null,
    },
    {
      name: 'a rootfs on shared storage that exists there is used in place',
      config: 'lxc.rootfs.path = dir:/srv/shared/bb\n', ...base,
      move: move(readyTarget({ paths: { '/srv/shared/bb': { exists: true, type: 'dir', realPath: '/srv/shared/bb' } } })),
      errors: [{ messageId: 'shared', line: 1, severity: 'info', message: /^target host2: \/srv\/shared\/bb exists there: used in place as shared storage/ }],
    },
    {
      name: 'an lvm rootfs cannot be copied',
      config: 'lxc.rootfs.path = lvm:/dev/vg0/bb\n', ...base, move: move(readyTarget()),
      errors: [{ messageId: 'cannotCopy', line: 1, severity: 'error', message: /on a lvm backend, which ctcr cannot copy/ }],
    },
  ],
});
