import rule from '../../rules/rootfs-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'no rootfs named', config: 'lxc.uts.name = c1\n' },
    { name: 'the rootfs given with --rootfs', config: 'lxc.rootfs.path = dir:/nonexistent/ctcr-test/rootfs\n', rootfs: { '/sbin/init': 'file' }, containerDir: true },
    { name: 'a rootfs folder beside the config', config: 'lxc.rootfs.path = dir:/nonexistent/ctcr-test/rootfs\n', files: { 'rootfs/etc/hostname': 'c1\n' }, containerDir: true },
  ],
  invalid: [
    {
      name: 'a container directory without its rootfs',
      containerDir: true,
      config: 'lxc.uts.name = c1\nlxc.rootfs.path = dir:/nonexistent/ctcr-test/rootfs\n',
      errors: [
        { messageId: 'rootfsMissing', 
          line: 2,
          column: 1,
          severity: 'error',
          message: 'lxc.rootfs.path = dir:/nonexistent/ctcr-test/rootfs: no such directory (/nonexistent/ctcr-test/rootfs); the container cannot start or be restored without its rootfs',
        },
      ],
      output: null,
      suggestionOutput: null,
    },
    {
      name: 'the legacy key',
      containerDir: true,
      config: 'lxc.rootfs = /nonexistent/ctcr-test/rootfs/\n',
      errors: [{ messageId: 'rootfsMissing', severity: 'error', message: /^lxc\.rootfs = \/nonexistent\/ctcr-test\/rootfs\/: no such directory/ }],
    },
    {
      name: 'a config linted alone: only a note that rootfs rules were skipped',
      config: 'lxc.rootfs.path = /nonexistent/ctcr-test/rootfs\n',
      errors: [{ messageId: 'rootfsUnread', severity: 'info', message: /; rootfs rules were skipped \(give the rootfs with --rootfs DIR or --image FILE\)$/ }],
    },
    {
      name: 'an lvm rootfs is not read statically, even for a container directory',
      containerDir: true,
      config: 'lxc.rootfs.path = lvm:/dev/vg0/c1\n',
      errors: [{ messageId: 'rootfsUnread', severity: 'info', message: /^lxc\.rootfs\.path = lvm:\/dev\/vg0\/c1: storage backend 'lvm' is not read by a static run/ }],
    },
  ],
});
