/**
 * Recorded live facts for rule tests: a healthy host and a running stock
 * busybox container, as gathered on a real machine (kernel 6.18, CRIU 4.2.1,
 * LXC 5.0.2, hybrid cgroups, no AppArmor; fixtures/doctor/, re-recorded by
 * fixtures/doctor/record.mjs). Each builder returns a fresh copy with the
 * given facts replaced, so a case states only what it changes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerFacts, CriuFacts, HostFacts, ProcessFacts, SocketFacts } from '../../src/types.js';
import { REPO } from './cli.js';

const FIXTURES = path.join(REPO, 'fixtures', 'doctor');
const read = <T>(file: string, key: string): T => (JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, T>)[key]!;

const HOST: HostFacts = read('host.json', 'host');
const BUSYBOX: ContainerFacts = read('busybox-container.json', 'container');

/** The busybox template's config as lxc-create wrote it (paths as for container `bb` in /var/lib/lxc). */
export const BUSYBOX_CONFIG = readFileSync(path.join(FIXTURES, 'busybox-config'), 'utf8');
/** Where the recorded container's config is: container findings without a config line are reported there. */
export const BUSYBOX_CONFIG_PATH = BUSYBOX.configPath;

const copy = <T>(x: T): T => structuredClone(x);

/** The recorded host, with whole facts replaced. */
export function host(overrides: Partial<HostFacts> = {}): HostFacts {
  return { ...copy(HOST), ...overrides };
}

/** The recorded host's CRIU with fields replaced (`criu({ version: ... })`). */
export function criu(overrides: Partial<CriuFacts> = {}): HostFacts['criu'] {
  const base = HOST.criu.ok && HOST.criu.value ? copy(HOST.criu.value) : undefined;
  if (!base) throw new Error('the recorded host has no CRIU');
  return { ok: true, value: { ...base, ...overrides } };
}

/** The recorded host's helper programs, some replaced (null: not on PATH). */
export function tools(overrides: Record<string, string | null>): HostFacts['tools'] {
  if (!HOST.tools.ok) throw new Error('the recorded host has no tools fact');
  return { ok: true, value: { ...HOST.tools.value, ...overrides } };
}

export function version(text: string): { major: number; minor: number; patch: number; text: string } {
  const [major = 0, minor = 0, patch = 0] = text.split(/[.-]/).map(Number);
  return { major, minor, patch, text };
}

/** The recorded running busybox container, with whole facts replaced. */
export function busybox(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return { ...copy(BUSYBOX), ...overrides };
}

/** The same container, stopped: LXC reports no PID, and there is nothing to read. */
export function stoppedBusybox(): ContainerFacts {
  return busybox({ state: 'STOPPED', initPid: null, mountinfo: { ok: true, value: [] }, processes: { ok: true, value: [] }, sockets: { ok: true, value: [] } });
}

/** The recorded processes plus these. */
export function withProcesses(extra: ProcessFacts[]): ContainerFacts['processes'] {
  const base = BUSYBOX.processes.ok ? copy(BUSYBOX.processes.value) : [];
  return { ok: true, value: [...base, ...extra] };
}

/** The recorded sockets plus these. */
export function withSockets(extra: SocketFacts[]): ContainerFacts['sockets'] {
  const base = BUSYBOX.sockets.ok ? copy(BUSYBOX.sockets.value) : [];
  return { ok: true, value: [...base, ...extra] };
}

/** udhcpc of the recorded tree: the DHCP client whose packet socket trips old CRIU on new kernels. */
export function udhcpc(): ProcessFacts {
  const p = (BUSYBOX.processes.ok ? BUSYBOX.processes.value : []).find((x) => x.comm === 'udhcpc');
  if (!p) throw new Error('the recorded tree has no udhcpc');
  return copy(p);
}

/** A packet socket such as busybox udhcpc opens (AF_PACKET, SOCK_DGRAM, ETH_P_IP). */
export function packetSocket(pid: number, fd = 3): SocketFacts {
  return { pid, fd, family: 'packet', protocol: '0x0800', type: 'dgram', recvQueue: 0, inode: 91001, local: 'ifindex 2' };
}

/** A TCP socket in the container's network namespace. */
export function tcpSocket(pid: number, state: string, fd = 5): SocketFacts {
  return {
    pid, fd, family: 'inet', protocol: 'tcp', protocolName: 'tcp', state, recvQueue: 0,
    local: state === 'LISTEN' ? '0.0.0.0:22' : '10.0.3.5:22', remote: state === 'LISTEN' ? '0.0.0.0:0' : '10.0.3.1:51234', inode: 91002, listening: state === 'LISTEN',
  };
}

/** A netlink socket with `recvQueue` bytes queued. */
export function netlinkSocket(pid: number, recvQueue: number, protocolName = 'route', fd = 4): SocketFacts {
  return { pid, fd, family: 'netlink', protocol: protocolName === 'kobject_uevent' ? '15' : '0', protocolName, recvQueue, inode: 91003, local: String(pid) };
}

/** A process of the container (in-namespace PID `nspid`). */
export function process(pid: number, nspid: number, comm: string, exe?: string): ProcessFacts {
  return { pid, nspid, ppid: BUSYBOX.initPid ?? 1, comm, cmdline: [exe ?? comm], ...(exe ? { exe } : {}), inTree: true, netns: 'net:[4026532256]' };
}
