import rule from '../../rules/udevd-present.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'no rootfs: nothing to look at', config: 'lxc.uts.name = c1\n' },
    { name: 'a rootfs without udev', rootfs: { '/sbin/init': 'file', '/bin/busybox': 'file' } },
    { name: 'already renamed the way the CRIU wiki does', rootfs: { '/sbin/udevd.bcp': 'file' } },
    { name: 'a dangling link is no daemon', rootfs: { '/sbin/udevd': { symlink: '/lib/systemd/systemd-udevd' } } },
    { name: 'a directory of that name is no daemon', rootfs: { '/lib/udev/udevd': 'dir' } },
  ],
  invalid: [
    {
      name: 'the CRIU wiki case: /sbin/udevd',
      config: 'lxc.uts.name = c1\n',
      rootfs: { '/sbin/udevd': 'file' },
      errors: [{ messageId: 'udevdInRootfs', file: 'rootfs/sbin/udevd', line: 1, column: 1, severity: 'warning', message: /^\/sbin\/udevd is a udev daemon.*The socket has data to read/ }],
      output: null,
      suggestionOutput: {},
      rootfsOps: ['rename /sbin/udevd -> /sbin/udevd.bcp'],
    },
    {
      name: 'merged /usr: one finding for the real file',
      rootfs: { '/sbin': { symlink: 'usr/sbin' }, '/usr/sbin/udevd': 'file' },
      errors: [{ messageId: 'udevdInRootfs', file: 'rootfs/usr/sbin/udevd', message: /^\/usr\/sbin\/udevd \(also reached as \/sbin\/udevd\)/ }],
      rootfsOps: ['rename /usr/sbin/udevd -> /usr/sbin/udevd.bcp'],
    },
    {
      name: 'Debian: /sbin/udevd links to systemd-udevd, which is renamed',
      rootfs: { '/sbin/udevd': { symlink: '/lib/systemd/systemd-udevd' }, '/lib/systemd/systemd-udevd': 'file' },
      errors: [{ messageId: 'udevdInRootfs', file: 'rootfs/lib/systemd/systemd-udevd', message: /also reached as \/sbin\/udevd/ }],
      rootfsOps: ['rename /lib/systemd/systemd-udevd -> /lib/systemd/systemd-udevd.bcp'],
    },
    {
      // Issue 15.3: the link is renamed, never the container's /etc/passwd it points at.
      name: 'a udevd that is a link to ../etc/passwd: the link is renamed, not its target',
      rootfs: { '/etc/passwd': 'file', '/sbin/udevd': { symlink: '../etc/passwd' } },
      errors: [{ messageId: 'udevdLink', file: 'rootfs/etc/passwd', message: /^\/sbin\/udevd \(a link to \/etc\/passwd\) is a udev daemon name.*not \/etc\/passwd/ }],
      rootfsOps: ['rename /sbin/udevd -> /sbin/udevd.bcp'],
    },
    {
      name: 'systemd: systemd-udevd links to udevadm: the link is renamed, udevadm stays',
      rootfs: { '/bin/udevadm': 'file', '/lib/systemd/systemd-udevd': { symlink: '../../bin/udevadm' } },
      errors: [{ messageId: 'udevdLink', message: /^\/lib\/systemd\/systemd-udevd \(a link to \/bin\/udevadm\)/ }],
      rootfsOps: ['rename /lib/systemd/systemd-udevd -> /lib/systemd/systemd-udevd.bcp'],
    },
    {
      name: 'merged /usr and a link out of the udevd paths: the one link, at its real place, renamed once',
      rootfs: { '/sbin': { symlink: 'usr/sbin' }, '/usr/bin/udevadm': 'file', '/usr/sbin/udevd': { symlink: '../bin/udevadm' } },
      errors: [{ messageId: 'udevdLink', message: /^\/usr\/sbin\/udevd \(a link to \/usr\/bin\/udevadm\)/ }],
      rootfsOps: ['rename /usr/sbin/udevd -> /usr/sbin/udevd.bcp'],
    },
    {
      name: 'two daemons, two findings',
      rootfs: { '/sbin/udevd': 'file', '/usr/lib/systemd/systemd-udevd': 'file' },
      errors: [{ messageId: 'udevdInRootfs', file: 'rootfs/sbin/udevd' }, { messageId: 'udevdInRootfs', file: 'rootfs/usr/lib/systemd/systemd-udevd' }],
      rootfsOps: ['rename /sbin/udevd -> /sbin/udevd.bcp', 'rename /usr/lib/systemd/systemd-udevd -> /usr/lib/systemd/systemd-udevd.bcp'],
    },
  ],
});
