/**
 * The live half of unsupported-filesystem (src/live/mounts.ts): mounts of the
 * running container that its config does not declare. The static half has
 * its own cases in unsupported-filesystem.test.ts.
 */
import rule from '../../rules/unsupported-filesystem.js';
import type { MountInfoEntry } from '../../src/types.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG_PATH, busybox, criu, host, stoppedBusybox, version } from '../helpers/live-facts.js';

/** The recorded busybox mount table plus these. */
function withMounts(...extra: Partial<MountInfoEntry>[]) {
  const base = busybox().mountinfo;
  if (!base.ok) throw new Error('no recorded mounts');
  const made = extra.map((m, i) => ({
    mountId: 500 + i, parentId: 88, majorMinor: '0:99', root: '/', mountPoint: '/mnt', options: ['rw'], fstype: 'tmpfs', source: 'none', superOptions: ['rw'], ...m,
  }));
  return busybox({ mountinfo: { ok: true, value: [...base.value, ...made] } });
}

// A config without mounts of its own: what is live is then only in the mount table.
const PLAIN = 'lxc.uts.name = bb\n';

new RuleTester().run(rule, {
  valid: [
    { name: 'the stock busybox container: ext4 root and ext4 binds of /usr/lib are fine', config: PLAIN, host: host(), container: busybox() },
    { name: 'a runtime tmpfs and a configfs CRIU knows', config: PLAIN, host: host(), container: withMounts({ fstype: 'tmpfs', mountPoint: '/run' }, { fstype: 'debugfs', mountPoint: '/sys/kernel/debug' }) },
    { name: 'hugetlbfs: lxc-checkpoint passes --enable-fs hugetlbfs', config: PLAIN, host: host(), container: withMounts({ fstype: 'hugetlbfs', mountPoint: '/dev/hugepages' }) },
    { name: 'a bind of an ext4 subfolder (root is not /): external, auto-detected', config: PLAIN, host: host(), container: withMounts({ fstype: 'ext4', root: '/srv/data', mountPoint: '/data', source: '/dev/vdb' }) },
    { name: 'stopped: no mount table', config: PLAIN, host: host(), container: stoppedBusybox() },
    {
      name: 'the declared mqueue mount, found empty by the doctor: the static warning is settled',
      config: 'lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n',
      host: host(),
      container: busybox({ mustBeEmpty: { ok: true, value: [{ mountPoint: '/dev/mqueue', fstype: 'mqueue', entries: [] }] } }),
    },
    { name: 'a restore does not dump', config: PLAIN, host: host(), container: withMounts({ fstype: 'configfs', mountPoint: '/sys/kernel/config' }), purpose: 'restore' },
  ],
  invalid: [
    {
      name: 'the declared mqueue mount holding a queue: an error (the lab: "mqueue isn\'t empty"), not the static warning',
      config: 'lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n',
      host: host(),
      container: busybox({ mustBeEmpty: { ok: true, value: [{ mountPoint: '/dev/mqueue', fstype: 'mqueue', entries: ['q'] }] } }),
      errors: [{ messageId: 'notEmpty', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: /^mqueue at \/dev\/mqueue holds 1 POSIX message queue \(q\)/ }],
    },
    {
      name: 'the declared mqueue mount, contents unknown: the static warning stays',
      suggestionOutput: { config: '# ctcr: CRIU can dump mqueue mounts only when empty (unsupported-filesystem)\n# lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n' },
      config: 'lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n',
      host: host(),
      container: busybox(),
      errors: [{ messageId: 'mustBeEmpty', file: 'config', line: 1, severity: 'warning', message: /only when it is empty/ }],
    },
    {
      name: 'declared in the config: reported once, by the static half, on its line',
      suggestionOutput: { config: '# ctcr: CRIU cannot dump ext4 mounts (unsupported-filesystem)\n# lxc.mount.entry = /dev/vdb data ext4 defaults 0 0\n' },
      config: 'lxc.mount.entry = /dev/vdb data ext4 defaults 0 0\n',
      host: host(),
      container: withMounts({ fstype: 'ext4', mountPoint: '/data', source: '/dev/vdb' }),
      errors: [{ messageId: 'cannotDump', file: 'config', line: 1, message: /^lxc\.mount\.entry '\/dev\/vdb data ext4 defaults 0 0': CRIU 4\.2\.1 cannot dump ext4 mounts/ }],
    },
    {
      name: 'configfs mounted by the container itself',
      config: PLAIN,
      host: host(),
      container: withMounts({ fstype: 'configfs', mountPoint: '/sys/kernel/config', source: 'configfs' }),
      errors: [{ messageId: 'undeclaredMount', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: /^configfs \(configfs\) is mounted at \/sys\/kernel\/config in the running container, not by its config: CRIU 4\.2\.1 cannot dump it .*"FS mnt \.\/sys\/kernel\/config dev \.\.\. unsupported".*--skip-mnt \/sys\/kernel\/config/ }],
    },
    {
      name: 'a FUSE mount of type fuse: always fails',
      config: PLAIN,
      host: host(),
      container: withMounts({ fstype: 'fuse', mountPoint: '/media/x', source: 'sshfs' }),
      errors: [{ messageId: 'undeclaredMount', message: /always fail/ }],
    },
    {
      name: 'a whole ext4 filesystem mounted inside, with an old CRIU',
      config: PLAIN,
      host: host({ criu: criu({ version: version('3.17.1') }) }),
      container: withMounts({ fstype: 'ext4', mountPoint: '/data', source: '/dev/vdb' }),
      errors: [{ messageId: 'undeclaredMount', message: /^ext4 \(\/dev\/vdb\) is mounted at \/data in the running container, not by its config: CRIU 3\.17\.1 cannot dump it/ }],
    },
  ],
});
