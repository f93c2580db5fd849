/**
 * Pure parsers of the kernel's /proc text. No I/O here: the gatherers read, these parse, and the
 * tests feed them text recorded on a real machine (fixtures/live/).
 *
 * A line that does not have the shape the kernel prints throws an Error
 * naming the file kind and line; the gatherer turns that into a fact that
 * could not be determined.
 */
import type { FdKind, FileLockFacts, MountInfoEntry, NamespaceKind } from '../types.js';

// ---------------------------------------------------------------------------
// /proc/PID/mountinfo

/** Undoes the kernel's octal escapes of space, tab, newline and backslash (`\040`, `\011`, `\012`, `\134`). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * /proc/PID/mountinfo: `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
 * Optional fields run up to the ` - ` separator.
 */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (fields.length < 10 || sep < 0 || fields.length < sep + 3) {
      throw new Error(`mountinfo line ${index + 1}: expected "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS", got "${line}"`);
    }
    const optionalFields = fields.slice(6, sep);
    const entry: MountInfoEntry = {
      mountId: Number(fields[0]),
      parentId: Number(fields[1]),
      majorMinor: fields[2],
      root: unescapeMountField(fields[3]),
      mountPoint: unescapeMountField(fields[4]),
      options: fields[5].split(','),
      fstype: unescapeMountField(fields[sep + 1]),
      source: unescapeMountField(fields[sep + 2]),
      superOptions: (fields[sep + 3] ?? '').split(',').filter((o) => o !== ''),
      optionalFields,
    };
    if (!Number.isInteger(entry.mountId) || !Number.isInteger(entry.parentId)) {
      throw new Error(`mountinfo line ${index + 1}: mount IDs are not numbers: "${line}"`);
    }
    for (const tag of optionalFields) {
      const [key, value] = tag.split(':');
      if (key === 'shared') entry.shared = Number(value);
      else if (key === 'master') entry.master = Number(value);
      else if (key === 'propagate_from') entry.propagateFrom = Number(value);
      else if (key === 'unbindable') entry.unbindable = true;
    }
    entries.push(entry);
  });
  return entries;
}

// ---------------------------------------------------------------------------
// cgroup mounts

export type CgroupLayout = 'v1' | 'v2' | 'hybrid' | 'none';

export interface CgroupMounts {
  layout: CgroupLayout;
  mounts: { fstype: string; target: string; options: string[] }[];
  /** Where the v1 freezer controller is mounted, or null. */
  freezerV1: string | null;
  /** Where the cgroup2 hierarchy is mounted (the first one), or null. */
  unifiedPath: string | null;
}

/** Super options of a v1 cgroup mount that are not controllers. */
const CGROUP_V1_FLAGS = new Set(['rw', 'ro', 'xattr', 'noprefix', 'clone_children', 'cpuset_v2_mode', 'none', 'all', 'favordynmods']);

/** Controllers of a v1 cgroup mount, from its super options (`rw,cpu,cpuacct` -> cpu, cpuacct). */
export function cgroupV1Controllers(mount: MountInfoEntry): string[] {
  return mount.superOptions.filter((o) => !CGROUP_V1_FLAGS.has(o) && !o.includes('='));
}

/**
 * The cgroup layout seen in a mount table: only cgroup2 is `v2`; v1
 * hierarchies beside a cgroup2 mount (systemd's "hybrid", cgroup2 usually at
 * /sys/fs/cgroup/unified) is `hybrid`; v1 alone is `v1`.
 */
export function cgroupMounts(mounts: MountInfoEntry[]): CgroupMounts {
  const cgroups = mounts.filter((m) => m.fstype === 'cgroup' || m.fstype === 'cgroup2');
  const v1 = cgroups.filter((m) => m.fstype === 'cgroup');
  const v2 = cgroups.filter((m) => m.fstype === 'cgroup2');
  const layout: CgroupLayout = v1.length && v2.length ? 'hybrid' : v1.length ? 'v1' : v2.length ? 'v2' : 'none';
  const freezer = v1.find((m) => cgroupV1Controllers(m).includes('freezer'));
  return {
    layout,
    mounts: cgroups.map((m) => ({ fstype: m.fstype, target: m.mountPoint, options: m.superOptions })),
    freezerV1: freezer ? freezer.mountPoint : null,
    unifiedPath: v2.length ? v2[0].mountPoint : null,
  };
}

// ---------------------------------------------------------------------------
// /proc/PID/stat, status, cmdline, fd links

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
}

/**
 * /proc/PID/stat. The comm field is in parentheses and may itself contain
 * spaces and parentheses, so it ends at the LAST `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`stat: no "(comm)" in "${text.slice(0, 80)}"`);
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) throw new Error(`stat: pid or ppid is not a number in "${text.slice(0, 80)}"`);
  return { pid, comm: text.slice(open + 1, close), state: rest[0], ppid, pgrp: Number(rest[2]), session: Number(rest[3]) };
}

/** /proc/PID/status as key -> value (value trimmed; tabs between numbers kept as single spaces). */
export function parseProcStatus(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields[line.slice(0, colon)] = line.slice(colon + 1).trim().replace(/\s+/g, ' ');
  }
  return fields;
}

/** A numeric list field of /proc/PID/status, e.g. `NSpid: 7747 2` -> [7747, 2] (outermost namespace first). */
export function statusNumbers(status: Record<string, string>, key: string): number[] {
  const value = status[key];
  if (!value) return [];
  return value.split(' ').map(Number).filter((n) => Number.isInteger(n));
}

/** /proc/PID/cmdline: NUL-separated arguments (a rewritten title such as LXC's monitor's may have no final NUL). */
export function parseCmdline(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The inode of a `/proc/PID/fd/N` link to a socket (`socket:[12345]`), else null. */
export function socketInode(link: string): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------
// /proc/PID/net/* (the tables of the network namespace PID is in)

/** Splits a /proc table into its header's column names and its rows' fields. */
function table(text: string, kind: string): { columns: string[]; rows: { fields: string[]; line: number; text: string }[] } {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  if (header.trim() === '') throw new Error(`${kind}: empty, no header line`);
  const rows = lines.slice(1)
    .map((t, i) => ({ fields: t.trim().split(/\s+/), line: i + 2, text: t }))
    .filter((r) => r.text.trim() !== '');
  return { columns: header.trim().split(/\s+/), rows };
}

function column(columns: string[], name: string, kind: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new Error(`${kind}: no "${name}" column in header "${columns.join(' ')}"`);
  return i;
}

function num(value: string | undefined, radix: number, kind: string, line: number): number {
  const n = value === undefined ? NaN : parseInt(value, radix);
  if (!Number.isFinite(n)) throw new Error(`${kind} line ${line}: "${value}" is not a number`);
  return n;
}

export const NETLINK_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'route', 1: 'unused', 2: 'usersock', 3: 'firewall', 4: 'sock_diag', 5: 'nflog', 6: 'xfrm', 7: 'selinux',
  8: 'iscsi', 9: 'audit', 10: 'fib_lookup', 11: 'connector', 12: 'netfilter', 13: 'ip6_fw', 14: 'dnrtmsg',
  15: 'kobject_uevent', 16: 'generic', 18: 'scsitransport', 19: 'ecryptfs', 20: 'rdma', 21: 'crypto', 22: 'smc',
};

export interface NetlinkSocketEntry {
  inode: number;
  /** The `Eth` column: the netlink protocol (0 route, 4 sock_diag, 15 kobject_uevent...). */
  protocol: number;
  portId: number;
  groups: string;
  /** Bytes queued for reading: CRIU refuses to dump a netlink socket with unread data. */
  rmem: number;
  wmem: number;
  drops: number;
}

/** /proc/net/netlink: `sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode`. */
export function parseNetNetlink(text: string): NetlinkSocketEntry[] {
  const kind = 'netlink';
  const { columns, rows } = table(text, kind);
  const c = {
    eth: column(columns, 'Eth', kind), pid: column(columns, 'Pid', kind), groups: column(columns, 'Groups', kind),
    rmem: column(columns, 'Rmem', kind), wmem: column(columns, 'Wmem', kind), drops: column(columns, 'Drops', kind),
    inode: column(columns, 'Inode', kind),
  };
  return rows.map(({ fields, line }) => ({
    inode: num(fields[c.inode], 10, kind, line),
    protocol: num(fields[c.eth], 10, kind, line),
    portId: num(fields[c.pid], 10, kind, line),
    groups: fields[c.groups],
    rmem: num(fields[c.rmem], 10, kind, line),
    wmem: num(fields[c.wmem], 10, kind, line),
    drops: num(fields[c.drops], 10, kind, line),
  }));
}

/** include/net/tcp_states.h */
export const TCP_STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'ESTABLISHED', 2: 'SYN_SENT', 3: 'SYN_RECV', 4: 'FIN_WAIT1', 5: 'FIN_WAIT2', 6: 'TIME_WAIT',
  7: 'CLOSE', 8: 'CLOSE_WAIT', 9: 'LAST_ACK', 10: 'LISTEN', 11: 'CLOSING', 12: 'NEW_SYN_RECV',
};

/**
 * TCP states CRIU refuses to dump without `--tcp-established`
 * ("Connected TCP socket, consider using --tcp-established option.").
 */
export const TCP_STATES_NEEDING_ESTABLISHED: readonly string[] = ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING', 'SYN_SENT'];

export interface InetSocketEntry {
  inode: number;
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  /** Numeric state as in the kernel; for raw sockets the "port" columns carry the IP protocol instead. */
  state: number;
  stateName: string;
  txQueue: number;
  rxQueue: number;
  uid: number;
}

/**
 * Decodes an address of /proc/net/{tcp,udp,raw,...}: the kernel prints each
 * 32-bit word of the network-order address as a native integer (%08X), so on
 * a little-endian host the bytes of each word come out reversed.
 */
export function decodeProcAddress(hex: string, littleEndian = true): string {
  if (hex.length !== 8 && hex.length !== 32) throw new Error(`address "${hex}" is neither 8 nor 32 hex digits`);
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    const wordBytes = [0, 2, 4, 6].map((i) => parseInt(word.slice(i, i + 2), 16));
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes));
  }
  if (bytes.some((b) => !Number.isInteger(b))) throw new Error(`address "${hex}" is not hex`);
  if (bytes.length === 4) return bytes.join('.');
  return formatIpv6(bytes);
}

/** RFC 5952 text of 16 bytes: lower case, longest run of zero groups (2 or more) shortened to `::`, IPv4-mapped kept dotted. */
export function formatIpv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6,icmp,icmp6}: one format for all. */
export function parseNetInet(text: string, kind = 'inet', littleEndian = true): InetSocketEntry[] {
  const { rows } = table(text, kind);
  return rows.map(({ fields, line }) => {
    // sl local rem st tx:rx tr:tm->when retrnsmt uid timeout inode ...
    if (fields.length < 10 || !fields[0].endsWith(':')) throw new Error(`${kind} line ${line}: unexpected "${fields.join(' ')}"`);
    const [localHex, localPort] = fields[1].split(':');
    const [remoteHex, remotePort] = fields[2].split(':');
    const [tx, rx] = fields[4].split(':');
    const state = num(fields[3], 16, kind, line);
    return {
      inode: num(fields[9], 10, kind, line),
      local: decodeProcAddress(localHex, littleEndian),
      localPort: num(localPort, 16, kind, line),
      remote: decodeProcAddress(remoteHex, littleEndian),
      remotePort: num(remotePort, 16, kind, line),
      state,
      stateName: TCP_STATE_NAMES[state] ?? `0x${fields[3]}`,
      txQueue: num(tx, 16, kind, line),
      rxQueue: num(rx, 16, kind, line),
      uid: num(fields[7], 10, kind, line),
    };
  });
}

export interface PacketSocketEntry {
  inode: number;
  /** 2 SOCK_DGRAM or 3 SOCK_RAW. */
  type: number;
  /** The ethertype, e.g. 0x0003 ETH_P_ALL, 0x0800 IPv4. */
  proto: number;
  ifindex: number;
  running: boolean;
  rmem: number;
  uid: number;
}

/** /proc/net/packet: `sk RefCnt Type Proto Iface R Rmem User Inode`. */
export function parseNetPacket(text: string): PacketSocketEntry[] {
  const kind = 'packet';
  const { columns, rows } = table(text, kind);
  const c = {
    type: column(columns, 'Type', kind), proto: column(columns, 'Proto', kind), iface: column(columns, 'Iface', kind),
    r: column(columns, 'R', kind), rmem: column(columns, 'Rmem', kind), user: column(columns, 'User', kind),
    inode: column(columns, 'Inode', kind),
  };
  return rows.map(({ fields, line }) => ({
    inode: num(fields[c.inode], 10, kind, line),
    type: num(fields[c.type], 10, kind, line),
    proto: num(fields[c.proto], 16, kind, line),
    ifindex: num(fields[c.iface], 10, kind, line),
    running: fields[c.r] === '1',
    rmem: num(fields[c.rmem], 10, kind, line),
    uid: num(fields[c.user], 10, kind, line),
  }));
}

export const UNIX_TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'stream', 2: 'dgram', 5: 'seqpacket' };
export const UNIX_STATE_NAMES: Readonly<Record<number, string>> = { 1: 'UNCONNECTED', 2: 'CONNECTING', 3: 'CONNECTED', 4: 'DISCONNECTING' };
/** __SO_ACCEPTCON in the Flags column: a listening socket. */
const UNIX_FLAG_LISTENING = 0x10000;

export interface UnixSocketEntry {
  inode: number;
  type: number;
  typeName: string;
  state: number;
  stateName: string;
  listening: boolean;
  /** Bound name: a path, `@name` for the abstract namespace (NULs shown as `@`), undefined when unbound. */
  path?: string;
}

/** /proc/net/unix: `Num RefCount Protocol Flags Type St Inode Path`; the path may contain spaces. */
export function parseNetUnix(text: string): UnixSocketEntry[] {
  const kind = 'unix';
  const lines = text.split('\n');
  if (!/^Num\s+RefCount/.test(lines[0] ?? '')) throw new Error(`unix: unexpected header "${lines[0] ?? ''}"`);
  const entries: UnixSocketEntry[] = [];
  lines.slice(1).forEach((t, i) => {
    if (t.trim() === '') return;
    const m = /^(\S+): (\S+) (\S+) (\S+) (\S+) (\S+)\s+(\d+)(?: (.*))?$/.exec(t);
    if (!m) throw new Error(`${kind} line ${i + 2}: unexpected "${t}"`);
    const type = parseInt(m[5], 16);
    const state = parseInt(m[6], 16);
    entries.push({
      inode: Number(m[7]),
      type,
      typeName: UNIX_TYPE_NAMES[type] ?? `type ${type}`,
      state,
      stateName: UNIX_STATE_NAMES[state] ?? `state ${state}`,
      listening: (parseInt(m[4], 16) & UNIX_FLAG_LISTENING) !== 0,
      ...(m[8] !== undefined && m[8] !== '' ? { path: m[8] } : {}),
    });
  });
  return entries;
}

// ---------------------------------------------------------------------------
// What CRIU reads of every task: descriptors, mappings, locks, namespaces

/** The kind of a descriptor from its /proc/PID/fd/N link alone; 'regular' for paths (the gatherer refines those with stat). */
export function fdKindOfLink(link: string): FdKind {
  if (/^socket:\[\d+\]$/.test(link)) return 'socket';
  if (/^pipe:\[\d+\]$/.test(link)) return 'pipe';
  if (link.startsWith('/memfd:')) return 'memfd';
  const anon = /^anon_inode:\[?([^\]]*)\]?$/.exec(link);
  if (anon) {
    const name = anon[1];
    const known: Record<string, FdKind> = {
      eventfd: 'eventfd', eventpoll: 'eventpoll', signalfd: 'signalfd', timerfd: 'timerfd', inotify: 'inotify',
      fanotify: 'fanotify', io_uring: 'io_uring', perf_event: 'perf_event', 'bpf-map': 'bpf-map', 'bpf-prog': 'bpf-prog',
      bpf_link: 'bpf-link', 'bpf-link': 'bpf-link', userfaultfd: 'userfaultfd', pidfd: 'pidfd',
    };
    return known[name] ?? 'anon';
  }
  if (link.endsWith(' (deleted)')) return 'deleted';
  if (/^\/dev\/(pts\/\d+|tty\d*|console|ptmx)$/.test(link)) return 'tty';
  if (link.startsWith('/')) return 'regular';
  return 'other';
}

/** The path of a descriptor's link: without ` (deleted)`; for memfd its name. Undefined for pseudo-files. */
export function fdPathOfLink(link: string): string | undefined {
  if (link.startsWith('/memfd:')) return link.slice('/memfd:'.length).replace(/ \(deleted\)$/, '');
  if (link.startsWith('/')) return link.replace(/ \(deleted\)$/, '');
  return undefined;
}

export interface FdInfo {
  pos?: number;
  flags?: number;
  mntId?: number;
  /** Every other line, key -> value (repeated keys joined by newlines). */
  info: Record<string, string>;
}

/**
 * /proc/PID/fdinfo/N: `pos:`, `flags:` (octal), `mnt_id:`, then kind-specific
 * lines (`inotify wd:1 ino:...`, `eventfd-count: 7`, `tfd: 3 events: 19 ...`,
 * `lock: 1: POSIX ...`). A line's key is the text before its first colon.
 */
export function parseFdInfo(text: string): FdInfo {
  const result: FdInfo = { info: {} };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) { add(result.info, line.trim(), ''); continue; }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'pos' && /^\d+$/.test(value)) result.pos = Number(value);
    else if (key === 'flags' && /^[0-7]+$/.test(value)) result.flags = parseInt(value, 8);
    else if (key === 'mnt_id' && /^\d+$/.test(value)) result.mntId = Number(value);
    else if (key === 'ino') continue; // the same as stat's st_ino
    else add(result.info, key, value);
  }
  return result;
}

function add(map: Record<string, string>, key: string, value: string): void {
  map[key] = key in map ? `${map[key]}\n${value}` : value;
}

export interface MapsEntry {
  start: string;
  end: string;
  perms: string;
  offset: string;
  dev: string;
  inode: number;
  path: string;
  deleted: boolean;
}

/** /proc/PID/maps: `start-end perms offset dev inode [path]`; the path may hold spaces and ends in ` (deleted)` for unlinked files. */
export function parseMaps(text: string): MapsEntry[] {
  const entries: MapsEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S+)\s+([0-9a-f]+)\s+(\S+)\s+(\d+)\s*(.*)$/.exec(line);
    if (!m) throw new Error(`maps line ${i + 1}: cannot read "${line.slice(0, 80)}"`);
    const raw = m[7];
    const deleted = raw.endsWith(' (deleted)');
    entries.push({ start: m[1], end: m[2], perms: m[3], offset: m[4], dev: m[5], inode: Number(m[6]), path: deleted ? raw.slice(0, -' (deleted)'.length) : raw, deleted });
  });
  return entries;
}

/** /proc/locks: `1: POSIX  ADVISORY  WRITE 1234 fe:00:2171521 0 EOF`; `1: -> FLOCK ...` lines wait on lock 1. OFD locks print pid -1. */
export function parseLocks(text: string): FileLockFacts[] {
  const locks: FileLockFacts[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\d+):\s+(->\s+)?(\S+)\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(\S+?):(\d+)\s+(\S+)\s+(\S+)\s*$/.exec(line.trim());
    if (!m) throw new Error(`/proc/locks line ${i + 1}: cannot read "${line.slice(0, 80)}"`);
    locks.push({
      id: Number(m[1]), kind: m[3], mode: m[4], type: m[5], pid: Number(m[6]), device: `${m[7]}:${m[8]}`, inode: Number(m[8]),
      start: m[9], end: m[10], ...(m[2] ? { blocked: true } : {}),
    });
  });
  return locks;
}

export const NAMESPACE_KINDS: readonly NamespaceKind[] = ['pid', 'pid_for_children', 'user', 'net', 'mnt', 'ipc', 'uts', 'cgroup', 'time', 'time_for_children'];

/** A /proc/PID/ns/NAME link, `net:[4026531833]` -> { type: 'net', inode }; null for anything else. */
export function parseNsLink(link: string): { type: string; inode: number } | null {
  const m = /^([a-z_]+):\[(\d+)\]$/.exec(link);
  return m ? { type: m[1], inode: Number(m[2]) } : null;
}

export interface SsUnixEntry {
  netid: string;
  state: string;
  recvQ: number;
  sendQ: number;
  /** The bound name, absent for `*`. */
  path?: string;
  inode: number;
  /** 0 when unconnected. */
  peerInode: number;
}

/**
 * `ss -xan` (unix sockets, no process column): `u_str ESTAB 0 0 * 393794 * 393795`.
 * Read from the right, since a bound name may hold spaces.
 */
export function parseSsUnix(text: string): SsUnixEntry[] {
  const entries: SsUnixEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || /^Netid\s/.test(line)) return;
    const f = line.trim().split(/\s+/);
    if (f.length < 8) throw new Error(`ss line ${i + 1}: too few columns in "${line.slice(0, 80)}"`);
    let end = f.length;
    if (f[end - 1].startsWith('users:(')) end -= 1; // tolerate -p output
    const peerInode = Number(f[end - 1]);
    const inode = Number(f[end - 3]);
    if (!Number.isInteger(inode) || !Number.isInteger(peerInode)) throw new Error(`ss line ${i + 1}: no inode columns in "${line.slice(0, 80)}"`);
    const local = f.slice(4, end - 3).join(' ');
    entries.push({
      netid: f[0], state: f[1], recvQ: Number(f[2]), sendQ: Number(f[3]), inode, peerInode,
      ...(local !== '*' ? { path: local } : {}),
    });
  });
  return entries;
}
