/**
 * Generates a fleet of container configs for the lint-throughput benchmark:
 * the mix a CI gate sees on a real fleet. Each container has a config of
 * 30-80 lines in one of the two key generations (LXC 2.x legacy keys, LXC
 * 3+ keys), with comments, an fstab, an `lxc.include` of a shared common
 * file of its generation and an `lxc.include` of its own local file.
 * Deterministic: the same seed gives the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRng, type Rng } from './prng.js';

export type Generation = 'legacy' | 'current';

export interface GeneratedContainer {
  name: string;
  generation: Generation;
  /** Path of the container's main config. */
  config: string;
  /** Lines of the main config (includes and fstab not counted). */
  configLines: number;
}

export interface GeneratedFleet {
  dir: string;
  containers: GeneratedContainer[];
  /** Every file written, main configs included. */
  files: number;
  bytes: number;
}

/** The texts of one container, before they are written. */
export interface ContainerTexts {
  name: string;
  generation: Generation;
  config: string;
  fstab: string;
  local: string;
}

export const MIN_CONFIG_LINES = 30;
export const MAX_CONFIG_LINES = 80;

const DISTROS = [
  { dist: 'debian', releases: ['bullseye', 'bookworm', 'trixie'] },
  { dist: 'ubuntu', releases: ['focal', 'jammy', 'noble'] },
  { dist: 'alpine', releases: ['3.18', '3.19', '3.20'] },
  { dist: 'centos', releases: ['7', '8-Stream'] },
];
const ROLES = ['web', 'db', 'cache', 'queue', 'build', 'proxy', 'mail', 'dns', 'metrics', 'worker'];
const CAPS = ['sys_module', 'mac_admin', 'mac_override', 'sys_time', 'sys_rawio', 'sys_boot', 'sys_nice', 'net_admin'];

const hex2 = (rng: Rng) => rng.int(0, 255).toString(16).padStart(2, '0');
const mac = (rng: Rng) => `00:16:3e:${hex2(rng)}:${hex2(rng)}:${hex2(rng)}`;
const ipv4 = (rng: Rng, subnet: number) => `10.${subnet}.${rng.int(0, 3)}.${rng.int(2, 250)}`;

/** The shared include of containers of the current generation (like LXC's common.conf). */
export function currentCommonText(): string {
  return `# Default configuration shared by all containers (generated for ctcr's benchmark)

# Setup the LXC devices in /dev/lxc/
lxc.tty.dir = lxc

# Allow for 1024 pseudo terminals
lxc.pty.max = 1024

# Setup 4 tty devices
lxc.tty.max = 4

# Drop some harmful capabilities
lxc.cap.drop = mac_admin mac_override sys_time sys_module sys_rawio

# CGroup allowlist
lxc.cgroup2.devices.deny = a
## Allow any mknod (but not reading/writing the node)
lxc.cgroup2.devices.allow = c *:* m
lxc.cgroup2.devices.allow = b *:* m
### /dev/null
lxc.cgroup2.devices.allow = c 1:3 rwm
### /dev/zero
lxc.cgroup2.devices.allow = c 1:5 rwm
### /dev/full
lxc.cgroup2.devices.allow = c 1:7 rwm
### /dev/tty
lxc.cgroup2.devices.allow = c 5:0 rwm
### /dev/console
lxc.cgroup2.devices.allow = c 5:1 rwm
### /dev/ptmx
lxc.cgroup2.devices.allow = c 5:2 rwm
### /dev/random
lxc.cgroup2.devices.allow = c 1:8 rwm
### /dev/urandom
lxc.cgroup2.devices.allow = c 1:9 rwm
### /dev/pts/*
lxc.cgroup2.devices.allow = c 136:* rwm
### fuse
lxc.cgroup2.devices.allow = c 10:229 rwm

# Setup the default mounts
lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed
lxc.mount.entry = /sys/fs/fuse/connections sys/fs/fuse/connections none bind,optional 0 0
`;
}

/** The shared include of containers of the legacy generation (like LXC 2.0's ubuntu.common.conf). */
export function legacyCommonText(): string {
  return `# Default pivot location
lxc.pivotdir = lxc_putold

# Default mount entries
lxc.mount.entry = proc proc proc nodev,noexec,nosuid 0 0
lxc.mount.entry = sysfs sys sysfs defaults 0 0
lxc.mount.entry = /sys/fs/fuse/connections sys/fs/fuse/connections none bind,optional 0 0
lxc.mount.entry = /sys/kernel/debug sys/kernel/debug none bind,optional 0 0
lxc.mount.entry = /sys/kernel/security sys/kernel/security none bind,optional 0 0
lxc.mount.entry = /sys/fs/pstore sys/fs/pstore none bind,optional 0 0

# Default console settings
lxc.devttydir = lxc
lxc.tty = 4
lxc.pts = 1024

# Default capabilities
lxc.cap.drop = sys_module mac_admin mac_override sys_time

# When using LXC with apparmor, the container will be confined by default.
lxc.aa_profile = lxc-container-default-with-nesting

# Default cgroup limits
lxc.cgroup.devices.deny = a
## Allow any mknod (but not using the node)
lxc.cgroup.devices.allow = c *:* m
lxc.cgroup.devices.allow = b *:* m
## /dev/null and zero
lxc.cgroup.devices.allow = c 1:3 rwm
lxc.cgroup.devices.allow = c 1:5 rwm
## consoles
lxc.cgroup.devices.allow = c 5:0 rwm
lxc.cgroup.devices.allow = c 5:1 rwm
## /dev/{,u}random
lxc.cgroup.devices.allow = c 1:8 rwm
lxc.cgroup.devices.allow = c 1:9 rwm
## /dev/pts/*
lxc.cgroup.devices.allow = c 5:2 rwm
lxc.cgroup.devices.allow = c 136:* rwm
## rtc
lxc.cgroup.devices.allow = c 254:0 rm
## fuse
lxc.cgroup.devices.allow = c 10:229 rwm
## tun
lxc.cgroup.devices.allow = c 10:200 rwm

# Blacklist some syscalls which are not safe in privileged containers
lxc.seccomp = /usr/share/lxc/config/common.seccomp
`;
}

function fstabText(rng: Rng, name: string, role: string): string {
  const lines = [`# fstab of ${name} (${role}): mounted by LXC at start, paths relative to the rootfs`];
  const candidates = [
    `/srv/${name}/data srv/data none bind,create=dir 0 0`,
    `/srv/shared/${role} srv/shared none ro,bind,create=dir 0 0`,
    `tmpfs tmp tmpfs defaults,size=${rng.pick([64, 128, 256, 512])}m 0 0`,
    `/var/log/containers/${name} var/log/app none bind,create=dir 0 0`,
    `/dev/fuse dev/fuse none bind,optional,create=file 0 0`,
    `/etc/ssl/certs etc/ssl/certs none ro,bind 0 0`,
    `proc proc proc nodev,noexec,nosuid 0 0`,
    `/home/${role} home/${role} none bind,optional,create=dir 0 0`,
    `/srv/${name}/cache var/cache/app none bind,create=dir 0 0`,
    `none dev/shm tmpfs defaults,nosuid,nodev 0 0`,
  ];
  const n = rng.int(2, 8);
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.25)) lines.push(rng.pick(['# data volume', '# managed by config management, do not edit', '', '# logs']));
    lines.push(candidates[(i * 3 + rng.int(0, 2)) % candidates.length]!);
  }
  return lines.join('\n') + '\n';
}

function localText(rng: Rng, name: string, generation: Generation): string {
  const lines = [`# Local settings of ${name}, kept apart from the template-made config`];
  if (generation === 'current') {
    lines.push(`lxc.environment = APP_ENV=${rng.pick(['production', 'staging', 'test'])}`);
    lines.push(`lxc.prlimit.nofile = ${rng.pick([4096, 65536, 1048576])}`);
    if (rng.chance(0.5)) lines.push(`lxc.sysctl.net.core.somaxconn = ${rng.pick([1024, 4096])}`);
    if (rng.chance(0.3)) lines.push('lxc.hook.pre-start = /usr/local/lib/lxc/hooks/prepare-volumes');
    if (rng.chance(0.2)) lines.push('lxc.tty.max = 0');
  } else {
    lines.push(`lxc.limit.nofile = ${rng.pick([4096, 65536])}`);
    if (rng.chance(0.5)) lines.push(`lxc.cgroup.cpu.shares = ${rng.pick([512, 1024, 2048])}`);
    if (rng.chance(0.3)) lines.push('lxc.hook.pre-start = /usr/local/lib/lxc/hooks/prepare-volumes');
  }
  return lines.join('\n') + '\n';
}

interface Section {
  /** Lines always present (with their comments). */
  lines: string[];
}

function headerComments(rng: Rng, generation: Generation): string[] {
  const d = rng.pick(DISTROS);
  const template = generation === 'legacy' ? `lxc-${d.dist}` : 'lxc-download';
  const params = generation === 'legacy' ? `-r ${rng.pick(d.releases)}` : `--dist ${d.dist} --release ${rng.pick(d.releases)} --arch amd64`;
  return [
    `# Template used to create this container: /usr/share/lxc/templates/${template}`,
    `# Parameters passed to the template: ${params}`,
    '# For additional config options, please look at lxc.container.conf(5)',
    '',
  ];
}

/** Lines that may be added to reach the chosen length: more mounts, limits, devices, comments. */
function fillerLines(rng: Rng, name: string, generation: Generation, index: number): string[] {
  const cg = generation === 'legacy' ? 'lxc.cgroup' : 'lxc.cgroup2';
  const options = [
    () => `lxc.mount.entry = /srv/${name}/vol${index} srv/vol${index} none bind,create=dir 0 0`,
    () => `${cg}.devices.allow = c ${rng.int(1, 250)}:${rng.int(0, 9)} rwm`,
    () => `# volume ${index}: see the runbook before resizing`,
    () => (generation === 'legacy' ? `lxc.cgroup.blkio.weight = ${rng.int(100, 900)}` : `lxc.cgroup2.io.weight = ${rng.int(100, 900)}`),
    () => (generation === 'legacy' ? `lxc.cgroup.cpuset.cpus = ${rng.int(0, 3)}` : `lxc.cgroup2.cpuset.cpus = ${rng.int(0, 3)}`),
    () => '',
    () => `lxc.environment = FEATURE_${index}=${rng.chance(0.5) ? 'on' : 'off'}`,
    () => (generation === 'legacy' ? `lxc.network.ipv4 = ${ipv4(rng, 3)}/24` : `lxc.net.0.ipv4.address = ${ipv4(rng, 3)}/24`),
  ];
  return [rng.pick(options)()];
}

/** One container's texts. `dir` is where the fleet is written (the includes name their files there). */
export function containerTexts(rng: Rng, dir: string, index: number): ContainerTexts {
  const role = rng.pick(ROLES);
  const name = `${role}${String(index).padStart(4, '0')}`;
  const generation: Generation = rng.chance(0.4) ? 'legacy' : 'current';
  const here = path.join(dir, name);
  const commonFile = path.join(dir, 'common', generation === 'legacy' ? 'legacy-common.conf' : 'common.conf');
  const nets = rng.int(1, 3);
  const sections: Section[] = [];
  sections.push({ lines: headerComments(rng, generation) });

  if (generation === 'legacy') {
    const net: string[] = ['# Network configuration'];
    for (let i = 0; i < nets; i++) {
      net.push(`lxc.network.type = ${i === 0 ? 'veth' : rng.pick(['veth', 'macvlan', 'vlan'])}`);
      net.push(`lxc.network.link = ${i === 0 ? 'lxcbr0' : rng.pick(['br-data', 'eno2', 'bond0'])}`);
      net.push('lxc.network.flags = up');
      net.push(`lxc.network.hwaddr = ${mac(rng)}`);
      if (rng.chance(0.5)) net.push(`lxc.network.name = eth${i}`);
    }
    net.push('');
    sections.push({ lines: net });
    sections.push({
      lines: [
        `lxc.rootfs = /var/lib/lxc/${name}/rootfs`,
        'lxc.rootfs.backend = dir',
        '',
        '# Common configuration',
        `lxc.include = ${commonFile}`,
        `lxc.include = ${path.join(here, 'local.conf')}`,
        '',
        '# Container specific configuration',
        `lxc.mount = ${path.join(here, 'fstab')}`,
        `lxc.utsname = ${name}`,
        'lxc.arch = amd64',
        `lxc.tty = ${rng.pick([0, 1, 4])}`,
        `lxc.pts = ${rng.pick([0, 1024])}`,
        `lxc.aa_profile = ${rng.pick(['lxc-container-default', 'unconfined', 'lxc-container-default-with-nesting'])}`,
        `lxc.cgroup.memory.limit_in_bytes = ${rng.pick(['256M', '512M', '1G', '4G'])}`,
        `lxc.start.auto = ${rng.int(0, 1)}`,
        `lxc.loglevel = ${rng.int(0, 3)}`,
        `lxc.logfile = /var/log/lxc/${name}.log`,
      ],
    });
    if (rng.chance(0.3)) sections.push({ lines: ['lxc.kmsg = 0'] });
    if (rng.chance(0.3)) sections.push({ lines: [`lxc.id_map = u 0 100000 65536`, `lxc.id_map = g 0 100000 65536`] });
  } else {
    const net: string[] = ['# Network configuration'];
    for (let i = 0; i < nets; i++) {
      const type = i === 0 ? 'veth' : rng.pick(['veth', 'macvlan', 'vlan']);
      net.push(`lxc.net.${i}.type = ${type}`);
      net.push(`lxc.net.${i}.link = ${i === 0 ? 'lxcbr0' : rng.pick(['br-data', 'eno2', 'bond0'])}`);
      net.push(`lxc.net.${i}.flags = up`);
      net.push(`lxc.net.${i}.hwaddr = ${mac(rng)}`);
      if (type === 'macvlan') net.push(`lxc.net.${i}.macvlan.mode = bridge`);
      if (type === 'vlan') net.push(`lxc.net.${i}.vlan.id = ${rng.int(2, 4000)}`);
      if (rng.chance(0.5)) net.push(`lxc.net.${i}.ipv4.address = ${ipv4(rng, 3)}/24`);
    }
    net.push('');
    sections.push({ lines: net });
    sections.push({
      lines: [
        '# Distribution configuration',
        `lxc.include = ${commonFile}`,
        'lxc.arch = linux64',
        '',
        '# Container specific configuration',
        `lxc.rootfs.path = dir:/var/lib/lxc/${name}/rootfs`,
        `lxc.uts.name = ${name}`,
        `lxc.include = ${path.join(here, 'local.conf')}`,
        `lxc.mount.fstab = ${path.join(here, 'fstab')}`,
        '',
        '# For checkpoint/restore with CRIU',
        `lxc.console.path = ${rng.pick(['none', 'none', '/dev/console'])}`,
        `lxc.tty.max = ${rng.pick([0, 0, 4])}`,
        `lxc.pty.max = ${rng.pick([0, 1024])}`,
        `lxc.apparmor.profile = ${rng.pick(['generated', 'unconfined', 'lxc-container-default-cgns'])}`,
        `lxc.apparmor.allow_nesting = ${rng.int(0, 1)}`,
        `lxc.cgroup2.memory.max = ${rng.pick(['256M', '512M', '1G', '4G'])}`,
        `lxc.cgroup2.cpu.max = ${rng.pick([100000, 200000, 400000])} 100000`,
        `lxc.mount.auto = ${rng.pick(['proc:mixed sys:ro cgroup:mixed', 'proc:rw sys:rw cgroup:rw', 'cgroup:mixed proc:mixed sys:mixed'])}`,
        `lxc.start.auto = ${rng.int(0, 1)}`,
        `lxc.log.level = ${rng.int(0, 3)}`,
        `lxc.log.file = /var/log/lxc/${name}.log`,
      ],
    });
    if (rng.chance(0.4)) sections.push({ lines: ['lxc.idmap = u 0 100000 65536', 'lxc.idmap = g 0 100000 65536'] });
    if (rng.chance(0.3)) sections.push({ lines: ['lxc.signal.halt = SIGUSR1', 'lxc.signal.reboot = SIGTERM'] });
  }
  sections.push({ lines: [`lxc.cap.drop = ${[...new Set([rng.pick(CAPS), rng.pick(CAPS), rng.pick(CAPS)])].join(' ')}`] });

  const lines = sections.flatMap((s) => s.lines);
  const target = rng.int(MIN_CONFIG_LINES, MAX_CONFIG_LINES);
  for (let i = 0; lines.length < target; i++) lines.push(...fillerLines(rng, name, generation, i));
  // Sections alone never exceed the maximum; guard so a future edit cannot silently break the stated range.
  if (lines.length > MAX_CONFIG_LINES) lines.length = MAX_CONFIG_LINES;

  return { name, generation, config: lines.join('\n') + '\n', fstab: fstabText(rng, name, role), local: localText(rng, name, generation) };
}

/** Writes `count` containers (and the shared includes) into `dir`, which must be empty or absent. */
export async function generateFleet(dir: string, count: number, seed = 20241127): Promise<GeneratedFleet> {
  const rng = seededRng(seed);
  let files = 0;
  let bytes = 0;
  const write = async (file: string, text: string) => {
    await writeFile(file, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  await mkdir(path.join(dir, 'common'), { recursive: true });
  await write(path.join(dir, 'common', 'common.conf'), currentCommonText());
  await write(path.join(dir, 'common', 'legacy-common.conf'), legacyCommonText());
  const containers: GeneratedContainer[] = [];
  for (let i = 1; i <= count; i++) {
    const t = containerTexts(rng, dir, i);
    const here = path.join(dir, t.name);
    await mkdir(here, { recursive: true });
    await write(path.join(here, 'config'), t.config);
    await write(path.join(here, 'fstab'), t.fstab);
    await write(path.join(here, 'local.conf'), t.local);
    containers.push({ name: t.name, generation: t.generation, config: path.join(here, 'config'), configLines: t.config.split('\n').length - 1 });
  }
  return { dir, containers, files, bytes };
}
