import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../rules/unsupported-filesystem.js';
import { RuleTester, runCase } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';
import { host } from '../helpers/live-facts.js';

const SEED_FSTAB = readFileSync(path.join(REPO, 'fixtures', 'containers', 'seed', 'fstab'), 'utf8');
/** LXC 1.0's Ubuntu template: binds of the host's fusectl, debugfs, securityfs and pstore as lxc.mount.entry lines. */
const UBUNTU_COMMON = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '03-lxc1.0-ubuntu-common.conf'), 'utf8');
/** The same four bind lines moved into an lxc.mount.fstab file (targets relative to the rootfs, as LXC allows there). */
const UBUNTU_BINDS_FSTAB = UBUNTU_COMMON.split('\n').filter((l) => / none bind,optional /.test(l)).map((l) => l.replace(/^lxc\.mount\.entry = /, '')).join('\n') + '\n';
const BIND_FSTAB_NOTE = '# ctcr: lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)';
const NOTE = (fstype: string) => `# ctcr: CRIU cannot dump ${fstype} mounts (unsupported-filesystem)`;

new RuleTester().run(rule, {
  valid: [
    { name: "the CRIU wiki's fstab: devpts, proc, sysfs, tmpfs", config: 'lxc.mount.fstab = fstab\n', files: { fstab: SEED_FSTAB } },
    { name: 'a bind lxc.mount.entry (lxc-checkpoint maps it external)', config: 'lxc.mount.entry = /srv/data srv/data none bind,create=dir 0 0\n' },
    { name: 'an rbind lxc.mount.entry', config: 'lxc.mount.entry = /srv/data srv/data none rbind,optional 0 0\n' },
    {
      name: 'supported types as entries',
      config:
        'lxc.mount.entry = proc proc proc nodev,noexec,nosuid 0 0\nlxc.mount.entry = sysfs sys sysfs ro 0 0\n' +
        'lxc.mount.entry = cgroup2 sys/fs/cgroup cgroup2 rw 0 0\nlxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0\n' +
        'lxc.mount.entry = overlay mnt overlay lowerdir=/a,upperdir=/b,workdir=/c 0 0\n',
    },
    { name: 'lxc.mount.auto tokens', config: 'lxc.mount.auto = proc:mixed sys:ro cgroup:mixed\nlxc.mount.auto = cgroup2:force\n' },
    { name: 'hugetlbfs: lxc-checkpoint passes --enable-fs hugetlbfs', config: 'lxc.mount.entry = hugetlbfs dev/hugepages hugetlbfs defaults,create=dir 0 0\n' },
    { name: 'a cleared mount list', config: 'lxc.mount.entry = configfs sys/kernel/config configfs defaults 0 0\nlxc.mount.entry =\n' },
    { name: 'a commented-out fstab line', config: 'lxc.mount.fstab = fstab\n', files: { fstab: '# none /sys/kernel/config configfs defaults 0 0\nproc proc proc defaults 0 0\n' } },
    { name: 'cgroup2 with CRIU 3.14', criuVersion: '3.14', config: 'lxc.mount.auto = cgroup2\n' },
    // Bind entries are external to CRIU (lxc-checkpoint maps each): pstore's "must be empty" is never checked for them.
    { name: "LXC 1.0's Ubuntu template: binds of pstore, debugfs, securityfs, fusectl as lxc.mount.entry", config: UBUNTU_COMMON },
    {
      name: "LXC 1.0's Ubuntu userns template: binds of the host's efivarfs and binfmt_misc roots as lxc.mount.entry (external)",
      config: readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '28-lxc1.0-ubuntu-userns.conf'), 'utf8'),
    },
    {
      name: 'fstab binds of the roots of debugfs, securityfs, fusectl: CRIU re-mounts those types if it does not find them',
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: UBUNTU_BINDS_FSTAB.split('\n').filter((l) => !l.includes('pstore')).join('\n') },
    },
    {
      name: "doctor: the host's mount table says /srv/dbg is debugfs's root",
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: '/srv/dbg srv/dbg none bind 0 0\n' },
      host: host({ mounts: { ok: true, value: [{ mountPoint: '/', root: '/', fstype: 'ext4', source: '/dev/vda1' }, { mountPoint: '/srv/dbg', root: '/', fstype: 'debugfs', source: 'debugfs' }] } }),
    },
  ],
  invalid: [
    {
      name: 'configfs (podman#12574)',
      config: 'lxc.uts.name = c1\nlxc.mount.entry = configfs sys/kernel/config configfs defaults 0 0\n',
      errors: [
        { messageId: 'cannotDump', 
          file: 'config',
          line: 2,
          column: 1,
          severity: 'error',
          message:
            /^lxc\.mount\.entry 'configfs sys\/kernel\/config configfs defaults 0 0': CRIU 4\.2 cannot dump configfs mounts .*"FS mnt \/sys\/kernel\/config \.\.\. unsupported".*--enable-fs configfs, or --skip-mnt \/sys\/kernel\/config, or --external mnt\[\/sys\/kernel\/config\]:ext-sys-kernel-config$/,
        },
      ],
      output: null,
      suggestionOutput: {
        config: `lxc.uts.name = c1\n${NOTE('configfs')}\n# lxc.mount.entry = configfs sys/kernel/config configfs defaults 0 0\n`,
      },
    },
    {
      name: 'plain fuse always fails, and --enable-fs cannot help',
      suggestionOutput: { config: '# ctcr: CRIU cannot dump fuse mounts (unsupported-filesystem)\n# lxc.mount.entry = sshfs#me@host:/ mnt/remote fuse defaults 0 0\n' },
      config: 'lxc.mount.entry = sshfs#me@host:/ mnt/remote fuse defaults 0 0\n',
      errors: [{ messageId: 'cannotDump', message: /"failed to dump fs \/mnt\/remote \(fuse\): always fail"\. Do not mount it, or pass --skip-mnt \/mnt\/remote, or --external/ }],
    },
    {
      name: "fuse.lxcfs is not 'fuse': unsupported, --enable-fs offered",
      suggestionOutput: { config: '# ctcr: CRIU cannot dump fuse.lxcfs mounts (unsupported-filesystem)\n# lxc.mount.entry = lxcfs proc/cpuinfo fuse.lxcfs defaults 0 0\n' },
      config: 'lxc.mount.entry = lxcfs proc/cpuinfo fuse.lxcfs defaults 0 0\n',
      errors: [{ messageId: 'cannotDump', message: /cannot dump fuse\.lxcfs mounts \(not in CRIU's table \(a FUSE subtype.*--enable-fs fuse\.lxcfs/ }],
    },
    {
      name: 'a block device at its fs root (ext4)',
      config: 'lxc.mount.entry = /dev/sdb1 mnt/data ext4 defaults,create=dir 0 0',
      errors: [{ messageId: 'cannotDump', line: 1, message: /cannot dump ext4 mounts/ }],
      suggestionOutput: { config: `${NOTE('ext4')}\n# lxc.mount.entry = /dev/sdb1 mnt/data ext4 defaults,create=dir 0 0` },
    },
    {
      name: 'the busybox template mqueue entry must be empty (warning)',
      config: 'lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n',
      errors: [{ messageId: 'mustBeEmpty', severity: 'warning', message: /CRIU dumps mqueue at \/dev\/mqueue only when it is empty \("mqueue isn't empty" otherwise\)/ }],
      suggestionOutput: {
        config: '# ctcr: CRIU can dump mqueue mounts only when empty (unsupported-filesystem)\n# lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n',
      },
    },
    {
      name: 'pstore in the fstab (CRIU wiki error), CRLF kept',
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: 'proc proc proc defaults 0 0\r\nnone /var/lib/lxc/c1/rootfs/sys/fs/pstore pstore defaults 0 0\r\n' },
      errors: [{ messageId: 'mustBeEmpty', file: 'fstab', line: 2, column: 1, severity: 'warning', message: /pstore at \/var\/lib\/lxc\/c1\/rootfs\/sys\/fs\/pstore/ }],
      suggestionOutput: {
        fstab:
          'proc proc proc defaults 0 0\r\n# ctcr: CRIU can dump pstore mounts only when empty (unsupported-filesystem)\r\n' +
          '# none /var/lib/lxc/c1/rootfs/sys/fs/pstore pstore defaults 0 0\r\n',
      },
    },
    {
      name: 'fstab targets under lxc.rootfs.path are shown as the container sees them',
      suggestionOutput: { fstab: '# ctcr: CRIU cannot dump configfs mounts (unsupported-filesystem)\n# none /var/lib/lxc/c1/rootfs/sys/kernel/config configfs defaults 0 0\n' },
      config: 'lxc.rootfs.path = dir:/var/lib/lxc/c1/rootfs\nlxc.mount.fstab = fstab\n',
      files: { fstab: 'none /var/lib/lxc/c1/rootfs/sys/kernel/config configfs defaults 0 0\n' },
      errors: [{ messageId: 'cannotDump', file: 'fstab', message: /FS mnt \/sys\/kernel\/config/ }],
    },
    {
      name: 'a bind line in the fstab: lxc-checkpoint does not map it',
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: '  /srv/share srv/share none bind,create=dir 0 0\n' },
      errors: [{ messageId: 'fstabBind', file: 'fstab', line: 1, column: 3, severity: 'warning', message: /lxc-checkpoint does not mark external.*--external mnt\[\/srv\/share\]:ext-srv-share/ }],
      suggestionOutput: {
        fstab: '# ctcr: lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)\n#   /srv/share srv/share none bind,create=dir 0 0\n',
      },
    },
    {
      name: "LXC 1.0's Ubuntu binds moved to an fstab: pstore is judged as pstore (the root of the host's pstore), the others pass",
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: UBUNTU_BINDS_FSTAB },
      errors: [{ messageId: 'fstabBind', 
        file: 'fstab', line: 4, severity: 'warning',
        message: /^fstab line '\/sys\/fs\/pstore sys\/fs\/pstore none': a bind mount of \/sys\/fs\/pstore, the root of the host's pstore filesystem \(well-known mount point\).*fails with "pstore isn't empty" when the host's pstore holds anything/,
      }],
      suggestionOutput: { fstab: UBUNTU_BINDS_FSTAB.replace('/sys/fs/pstore sys/fs/pstore none bind,optional 0 0\n', `${BIND_FSTAB_NOTE}\n# /sys/fs/pstore sys/fs/pstore none bind,optional 0 0\n`) },
    },
    {
      name: 'an fstab bind of the host configfs root: judged as configfs, not as none',
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: '/sys/kernel/config sys/kernel/config none bind,optional 0 0\n' },
      errors: [{ messageId: 'fstabBind', file: 'fstab', line: 1, message: /the root of the host's configfs filesystem.*"FS mnt \.\/sys\/kernel\/config dev \.\.\. unsupported" \(CRIU 4\.2 cannot dump configfs/ }],
      suggestionOutput: { fstab: "# ctcr: lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)\n# /sys/kernel/config sys/kernel/config none bind,optional 0 0\n" },
    },
    {
      name: 'an fstab bind of a folder inside a well-known mount: a bind, not the filesystem',
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: '/sys/fs/bpf/progs sys/fs/bpf/progs none bind 0 0\n' },
      errors: [{ messageId: 'fstabBind', file: 'fstab', line: 1, message: /doesn't have a proper root mount/ }],
      suggestionOutput: { fstab: "# ctcr: lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)\n# /sys/fs/bpf/progs sys/fs/bpf/progs none bind 0 0\n" },
    },
    {
      name: "doctor: the host's mount table says /srv/efi is the root of an efivarfs",
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: '/srv/efi srv/efi none bind 0 0\n' },
      host: host({ mounts: { ok: true, value: [{ mountPoint: '/', root: '/', fstype: 'ext4', source: '/dev/vda1' }, { mountPoint: '/srv/efi', root: '/', fstype: 'efivarfs', source: 'efivarfs' }] } }),
      errors: [{ messageId: 'fstabBind', file: 'fstab', line: 1, message: /the root of the host's efivarfs filesystem \(host mount table\).*FS mnt \.\/srv\/efi/ }],
      suggestionOutput: { fstab: "# ctcr: lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)\n# /srv/efi srv/efi none bind 0 0\n" },
    },
    {
      name: "doctor: the host has no configfs mounted, so /sys/kernel/config is a folder of sysfs: a plain bind",
      config: 'lxc.mount.fstab = fstab\n',
      files: { fstab: '/sys/kernel/config sys/kernel/config none bind 0 0\n' },
      host: host({ mounts: { ok: true, value: [{ mountPoint: '/', root: '/', fstype: 'ext4', source: '/dev/vda1' }, { mountPoint: '/sys', root: '/', fstype: 'sysfs', source: 'sysfs' }] } }),
      errors: [{ messageId: 'fstabBind', file: 'fstab', line: 1, message: /doesn't have a proper root mount/ }],
      suggestionOutput: { fstab: "# ctcr: lxc-checkpoint does not mark fstab bind mounts external (unsupported-filesystem)\n# /sys/kernel/config sys/kernel/config none bind 0 0\n" },
    },
    {
      name: 'lxc.mount.auto cgroup2 with CRIU 3.13: no line to comment out',
      criuVersion: '3.13',
      config: 'lxc.mount.auto = proc:mixed cgroup2\n',
      errors: [{ messageId: 'cannotDump', line: 1, column: 29, message: /CRIU 3\.13 cannot dump cgroup2 mounts \(CRIU 3\.13 does not know cgroup2 \(added in 3\.14\)\)/ }],
      suggestionOutput: null,
    },
    {
      name: 'in an included file',
      config: 'lxc.include = mounts.conf\n',
      files: { 'mounts.conf': 'lxc.mount.entry = bpf sys/fs/bpf bpf defaults 0 0\n' },
      errors: [{ messageId: 'cannotDump', file: 'mounts.conf', line: 1, message: /bpf/ }],
      suggestionOutput: { 'mounts.conf': `${NOTE('bpf')}\n# lxc.mount.entry = bpf sys/fs/bpf bpf defaults 0 0\n` },
    },
  ],
});

test('unsupported-filesystem: criuOptions name the workaround CRIU takes', async () => {
  const configfs = await runCase(rule, { config: 'lxc.mount.entry = configfs sys/kernel/config configfs defaults 0 0\n' });
  assert.deepEqual(configfs.findings.map((f) => f.criuOptions), [['--enable-fs', 'configfs']]);
  const fuse = await runCase(rule, { config: 'lxc.mount.entry = x mnt/f fuse defaults 0 0\n' });
  assert.deepEqual(fuse.findings.map((f) => f.criuOptions), [['--skip-mnt', '/mnt/f']]);
  const mqueue = await runCase(rule, { config: 'lxc.mount.entry = mqueue dev/mqueue mqueue defaults 0 0\n' });
  assert.deepEqual(mqueue.findings.map((f) => f.criuOptions), [['--skip-mnt', '/dev/mqueue']]);
});
