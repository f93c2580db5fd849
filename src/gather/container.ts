/**
 * Live facts about one container: its state and init PID (from lxc-info, or
 * from LXC's monitor process without liblxc), and then, at once, the init's
 * mount table, the container's processes and the sockets they hold, read
 * from /proc through the container's own namespaces.
 */
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { close as fsClose, open as fsOpen, read as fsRead } from 'node:fs';
import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  ContainerFacts, FdFacts, FdKind, FileLockFacts, Gathered, MappingFacts, MountInfoEntry, NamespaceKind, ProcessFacts, SocketFacts,
} from '../types.js';
import { describeError, findOnPath, run, settle } from './exec.js';
import {
  NETLINK_PROTOCOL_NAMES, parseCmdline, parseMountInfo, parseNetInet, parseNetNetlink, parseNetPacket, parseNetUnix,
  parseProcStat, parseProcStatus, socketInode, statusNumbers,
  NAMESPACE_KINDS, fdKindOfLink, fdPathOfLink, parseFdInfo, parseLocks, parseMaps, parseSsUnix,
  type InetSocketEntry, type MapsEntry, type ProcStat, type SsUnixEntry, type NetlinkSocketEntry, type PacketSocketEntry, type UnixSocketEntry,
} from './procfs.js';

export interface ContainerGatherOptions {
  /** Environment for lxc-info (and the PATH it is looked up on); default process.env. */
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** The run's one pass over /proc, shared by its containers; made here when absent. */
  scan?: ProcScan;
}

/** The containers of `lxcpath`: its directories that hold a `config` file, sorted; none when lxcpath does not exist. */
export async function listContainers(lxcpath: string): Promise<Gathered<string[]>> {
  return settle(`containers in ${lxcpath}`, 5000, async () => {
    let names: string[];
    try {
      names = await readdir(lxcpath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const defined = await Promise.all(names.map((n) => isFile(path.join(lxcpath, n, 'config'))));
    return names.filter((_, i) => defined[i]).sort();
  });
}

/** Gathers the live facts of container `name` in `lxcpath`. Never throws. */
export async function gatherContainer(name: string, lxcpath: string, opts: ContainerGatherOptions): Promise<ContainerFacts> {
  const configPath = path.join(lxcpath, name, 'config');
  const [defined, lookup] = await Promise.all([
    isFile(configPath),
    // lxc-info has its own timeout; the margin bounds the monitor scan (a cmdline read can block on a stuck process).
    settle(`state of container ${name}`, opts.timeoutMs + 250, () => findContainerInit(name, lxcpath, opts)),
  ]);
  const found: InitLookup = lookup.ok
    ? lookup.value
    : { state: 'UNKNOWN', initPid: null, source: 'monitor', note: lookup.reason, monitorPid: null };
  const base = {
    name, lxcpath, configPath, defined,
    state: found.state,
    initPid: found.initPid,
    stateSource: found.source,
    ...(found.note ? { stateNote: found.note } : {}),
    ...(found.monitorPid !== undefined ? { monitorPid: found.monitorPid } : {}),
  };
  if (found.initPid === null) {
    // A stopped container has no mounts, processes or sockets: an empty answer, not an unknown one.
    const none = <T>(): Gathered<T[]> => found.state === 'STOPPED'
      ? { ok: true, value: [] }
      : { ok: false, reason: `container ${name} is ${found.state} but its init PID is unknown${found.note ? ` (${found.note})` : ''}` };
    return { ...base, mountinfo: none(), processes: none(), sockets: none(), locks: none() };
  }
  const tree = await gatherProcessTree(found.initPid, opts);
  return { ...base, ...tree };
}

// ---------------------------------------------------------------------------
// State and init PID

export interface InitLookup {
  /** LXC's state name (RUNNING, STOPPED, FROZEN...), UNKNOWN when it cannot be told. */
  state: string;
  initPid: number | null;
  source: 'lxc-info' | 'monitor';
  note?: string;
  monitorPid?: number | null;
}

/**
 * `lxc-info -s -p -H` output. With two filters it prints `State:  RUNNING`
 * and `PID:  1234` lines (PID only while running); with one, the bare value.
 */
export function parseLxcInfo(stdout: string): { state?: string; pid?: number } {
  const result: { state?: string; pid?: number } = {};
  for (const line of stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const m = /^(State|PID):\s*(\S+)$/.exec(line);
    if (m && m[1] === 'State') result.state = m[2];
    else if (m && m[1] === 'PID' && /^\d+$/.test(m[2])) result.pid = Number(m[2]);
    else if (/^\d+$/.test(line)) result.pid = Number(line);
    else if (/^[A-Z]+$/.test(line)) result.state = line;
  }
  return result;
}

/**
 * lxc-info's arguments under `unshare`, run with the container's config
 * hidden: liblxc's lxc_container_new() loads `LXCPATH/NAME/config` before it
 * asks anything, and loading `lxc.log.file` creates that file and its folders
 * (confile.c set_config_log_file -> lxc_log_set_file, whatever -o/-l say:
 * measured with LXC 5.0.2). In a private mount namespace /dev/null is bound
 * over the config, so liblxc reads an empty one; the state and init PID come
 * from the container's command socket (an abstract socket, reached from any
 * mount namespace), as they always do. Node cannot ask that socket itself:
 * it pads abstract socket names to the whole sun_path, which LXC does not.
 */
export function hiddenConfigLxcInfoArgs(lxcInfo: string, mount: string, lxcpath: string, name: string): string[] {
  const config = path.join(lxcpath, name, 'config');
  // Exit 97: the config could not be hidden, so lxc-info is not run (the monitor route answers instead).
  const script = 'if [ -e "$1" ]; then "$2" --bind /dev/null "$1" || exit 97; fi; exec "$3" -P "$4" -n "$5" -s -p -H';
  return ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', config, mount, lxcInfo, lxcpath, name];
}

/**
 * State and init PID: lxc-info (with the config hidden, see
 * hiddenConfigLxcInfoArgs) when it is on PATH and answers; otherwise
 * LXC's monitor process `[lxc monitor] LXCPATH NAME`, whose child is init.
 */
export async function findContainerInit(name: string, lxcpath: string, opts: ContainerGatherOptions): Promise<InitLookup> {
  const env = opts.env ?? process.env;
  const [lxcInfo, unshare, mount] = await Promise.all(['lxc-info', 'unshare', 'mount'].map((t) => findOnPath(t, env)));
  let note: string;
  if (lxcInfo && unshare && mount && process.geteuid?.() === 0) {
    const r = await run(unshare, hiddenConfigLxcInfoArgs(lxcInfo, mount, lxcpath, name), { env, timeoutMs: opts.timeoutMs });
    const info = parseLxcInfo(r.stdout);
    if (r.ok && info.state) {
      return { state: info.state, initPid: info.pid ?? null, source: 'lxc-info' };
    }
    const said = r.stderr.trim().split('\n')[0];
    note = `lxc-info: ${said || r.reason || 'no state in its output'}`;
  } else {
    note = !lxcInfo
      ? 'lxc-info is not on PATH'
      : process.geteuid?.() !== 0
        ? 'lxc-info not run: it loads the container\'s config (and LXC creates the lxc.log.file it names); hiding the config needs root'
        : 'lxc-info not run: it loads the container\'s config (and LXC creates the lxc.log.file it names); hiding the config needs unshare and mount';
  }
  const monitor = await findMonitor(name, lxcpath, opts.scan);
  if (!monitor) return { state: 'STOPPED', initPid: null, source: 'monitor', note, monitorPid: null };
  if (monitor.initPid === null) {
    return { state: 'UNKNOWN', initPid: null, source: 'monitor', note: `${note}; monitor process ${monitor.monitorPid} has no child`, monitorPid: monitor.monitorPid };
  }
  return { state: 'RUNNING', initPid: monitor.initPid, source: 'monitor', note, monitorPid: monitor.monitorPid };
}

/** The process title LXC gives a container's monitor. */
export function monitorTitle(name: string, lxcpath: string): string {
  return `[lxc monitor] ${lxcpath.replace(/\/+$/, '') || '/'} ${name}`;
}

/**
 * Finds `[lxc monitor] LXCPATH NAME` among all processes and its child, the
 * container's init (a child in a new pid namespace, i.e. PID 1 there, when
 * there are several). `scan`: the doctor run's one pass over /proc.
 */
export async function findMonitor(name: string, lxcpath: string, scan: ProcScan = new ProcScan()): Promise<{ monitorPid: number; initPid: number | null } | null> {
  const title = monitorTitle(name, lxcpath);
  const pids = scan.pids;
  const cmdlines = await scan.cmdlines();
  // LXC writes the title over argv[0] (and blanks the rest): compare that, so a stand-in made with `exec -a` matches too.
  const index = cmdlines.findIndex((c) => parseCmdline(c)[0]?.trim() === title);
  if (index < 0) return null;
  const monitorPid = pids[index];
  const children = await childrenOf(monitorPid, scan);
  if (children.length === 0) return { monitorPid, initPid: null };
  if (children.length === 1) return { monitorPid, initPid: children[0] };
  const nspids = await Promise.all(children.map((pid) => readFile(`/proc/${pid}/status`, 'utf8').then(
    (t) => statusNumbers(parseProcStatus(t), 'NSpid'), () => [] as number[])));
  const init = children.find((_, i) => nspids[i].length > 1 && nspids[i][nspids[i].length - 1] === 1);
  return { monitorPid, initPid: init ?? children[0] };
}

async function childrenOf(pid: number, scan: ProcScan): Promise<number[]> {
  try {
    // Needs CONFIG_PROC_CHILDREN; lists the children of this thread (the monitor is single-threaded when it forks init).
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.trim().split(/\s+/).filter((t) => t !== '').map(Number);
  } catch {
    return [...scan.stats.values()].filter((s) => s.ppid === pid).map((s) => s.pid).sort((a, b) => a - b);
  }
}

// ---------------------------------------------------------------------------
// Processes, mounts, sockets

export interface ProcessTreeFacts {
  mountinfo: Gathered<MountInfoEntry[]>;
  processes: Gathered<ProcessFacts[]>;
  sockets: Gathered<SocketFacts[]>;
  locks: Gathered<FileLockFacts[]>;
  unixPeers: Gathered<string>;
}

/**
 * The mounts, processes and sockets of the tree rooted at `initPid`.
 * Processes: init and its descendants, plus, when init has a pid namespace of
 * its own, every other process in that namespace (e.g. lxc-attach'ed ones,
 * whose parent is outside). Sockets: each socket fd of those processes,
 * described from the tables of the network namespace the process is in.
 */
export async function gatherProcessTree(initPid: number, opts: { timeoutMs: number; scan?: ProcScan; env?: NodeJS.ProcessEnv }): Promise<ProcessTreeFacts> {
  const scan = opts.scan ?? new ProcScan();
  // The unix listing of init's netns starts now, beside the reading of the tasks (it costs a process spawn).
  const listings = new UnixListings(opts);
  const initNetns = readlinkOrNull(`/proc/${initPid}/ns/net`);
  if (initNetns !== null) listings.of(initNetns, initPid);
  const members = scanMembers(initPid, scan);
  // Unhandled while the settles below have not attached yet: they report it.
  members.catch(() => undefined);
  const sockets = settle(`sockets of PID ${initPid}`, opts.timeoutMs, async () => describeSockets(await members));
  const [mountinfo, processes, socketFacts, locks, unixPeers] = await Promise.all([
    settle(`mount table of PID ${initPid}`, opts.timeoutMs, async () => parseMountInfo(await readFile(`/proc/${initPid}/mountinfo`, 'utf8'))),
    settle(`processes of PID ${initPid}`, opts.timeoutMs, async () => (await members).map((m) => m.process)),
    sockets,
    settle(`file locks of PID ${initPid}'s tasks (/proc/locks)`, opts.timeoutMs, async () => {
      const pids = new Set((await members).map((m) => m.process.pid));
      return (await scan.locks()).filter((l) => pids.has(l.pid));
    }),
    settle(`unix socket peers of PID ${initPid}'s tasks (ss -xan)`, opts.timeoutMs, async () => {
      const s = await sockets;
      if (!s.ok) throw new Error(s.reason);
      return addUnixPeers(await members, s.value, listings);
    }),
  ]);
  return { mountinfo, processes, sockets: socketFacts, locks, unixPeers };
}

/**
 * Fills peerInode and peerOutside of the unix sockets, in place. /proc/net/unix
 * has no peer; the kernel tells it through sock_diag (UNIX_DIAG_PEER), per
 * network namespace, which `ss -xan` asks: run in each netns the sockets are
 * in with `nsenter -t PID -n`. Returns how the peers were found.
 */
async function addUnixPeers(members: Member[], sockets: SocketFacts[], listings: UnixListings): Promise<string> {
  const unix = sockets.filter((s) => s.family === 'unix');
  if (unix.length === 0) return 'no unix sockets';
  const netnsOf = new Map(members.map((m) => [m.process.pid, m.process.netns ?? `pid ${m.process.pid}`]));
  const readers = new Map<string, number>();
  for (const s of unix) {
    const key = netnsOf.get(s.pid)!;
    if (!readers.has(key)) readers.set(key, s.pid);
  }
  const peers = new Map<number, number>();
  const tables = await Promise.all([...readers].map(([netns, pid]) => listings.of(netns, pid)));
  for (const table of tables) for (const e of table) peers.set(e.inode, e.peerInode);
  const held = new Set(sockets.map((s) => s.inode));
  for (const s of unix) {
    const peer = s.inode === undefined ? undefined : peers.get(s.inode);
    if (peer === undefined) continue; // closed meanwhile
    s.peerInode = peer;
    if (peer !== 0) s.peerOutside = !held.has(peer);
  }
  return `ss -xan in ${readers.size} network namespace(s)`;
}

/** `ss -xan` of each network namespace, run once per namespace (through `nsenter -t PID -n` for another than ours). */
class UnixListings {
  private readonly byNetns = new Map<string, Promise<SsUnixEntry[]>>();
  private readonly tools: Promise<[string | null, string | null]>;
  private readonly ownNetns = readlinkOrNull('/proc/self/ns/net');

  constructor(private readonly opts: { timeoutMs: number; env?: NodeJS.ProcessEnv }) {
    const env = opts.env ?? process.env;
    this.tools = Promise.all([findOnPath('ss', env), findOnPath('nsenter', env)]);
  }

  of(netns: string, pid: number): Promise<SsUnixEntry[]> {
    let listing = this.byNetns.get(netns);
    if (!listing) {
      listing = this.list(netns, pid);
      listing.catch(() => undefined); // started early: whoever awaits it reports the failure
      this.byNetns.set(netns, listing);
    }
    return listing;
  }

  private async list(netns: string, pid: number): Promise<SsUnixEntry[]> {
    const env = this.opts.env ?? process.env;
    const [ss, nsenter] = await this.tools;
    if (!ss) throw new Error('ss (iproute2) is not on PATH');
    const own = netns === this.ownNetns;
    if (!own && !nsenter) throw new Error('nsenter (util-linux) is not on PATH');
    const r = own
      ? await run(ss, ['-xan'], { env, timeoutMs: this.opts.timeoutMs })
      : await run(nsenter!, ['-t', String(pid), '-n', ss, '-xan'], { env, timeoutMs: this.opts.timeoutMs });
    if (!r.ok) throw new Error(`${own ? 'ss -xan' : `nsenter -t ${pid} -n ss -xan`}: ${r.stderr.trim().split('\n')[0] || r.reason}`);
    return parseSsUnix(r.stdout);
  }
}

interface Member {
  process: ProcessFacts;
  /** Socket fds: fd number -> socket inode. */
  socketFds: { fd: number; inode: number }[];
}

// The whole-/proc scans read synchronously: a few µs per file against tens of
// µs through the thread pool, and stat, status, ns and fd links, fdinfo and
// stat through /proc/PID/fd/N never wait on a process's memory (cmdline and
// maps can, so they are read asynchronously, under the caller's timeout).

/**
 * One pass over /proc for a whole doctor run: the PIDs, their stat lines and
 * pid namespaces, read once and shared by every container (and, lazily, the
 * cmdlines findMonitor compares and /proc/locks).
 */
export class ProcScan {
  readonly pids: number[];
  readonly stats: Map<number, ProcStat>;
  private pidns?: Map<number, string>;
  private cmdlinesRead?: Promise<string[]>;
  private locksRead?: Promise<FileLockFacts[]>;

  constructor() {
    this.pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    this.stats = new Map();
    for (const pid of this.pids) {
      try {
        const s = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        this.stats.set(s.pid, s);
      } catch {
        /* exited since the listing */
      }
    }
  }

  /** PID -> its `/proc/PID/ns/pid` link, for every process (read once, on first use). */
  pidNamespaces(): Map<number, string> {
    if (!this.pidns) {
      this.pidns = new Map();
      for (const pid of this.pids) {
        const link = readlinkOrNull(`/proc/${pid}/ns/pid`);
        if (link !== null) this.pidns.set(pid, link);
      }
    }
    return this.pidns;
  }

  /** The raw cmdline of each of `pids` ('' when unreadable), in that order. */
  cmdlines(): Promise<string[]> {
    this.cmdlinesRead ??= Promise.all(this.pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
    return this.cmdlinesRead;
  }

  /** Every line of /proc/locks (rejects when it cannot be read). */
  locks(): Promise<FileLockFacts[]> {
    this.locksRead ??= readFile('/proc/locks', 'utf8').then(parseLocks);
    return this.locksRead;
  }
}

/** A shared buffer for the small /proc files read synchronously (status, fdinfo): no fstat, no allocation per file. */
const SMALL = Buffer.allocUnsafe(64 * 1024);

/** Reads a /proc file of at most 64 KiB synchronously (throws like readFileSync). */
function readSmall(p: string): string {
  const fd = openSync(p, 'r');
  try {
    let length = 0;
    for (let n; length < SMALL.length && (n = readSync(fd, SMALL, length, SMALL.length - length, null)) > 0;) length += n;
    return SMALL.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function readlinkOrNull(p: string): string | null {
  try {
    return readlinkSync(p);
  } catch {
    return null;
  }
}

async function scanMembers(initPid: number, shared: ProcScan): Promise<Member[]> {
  const initPidns = await readlink(`/proc/${initPid}/ns/pid`).catch((err) => {
    throw new Error(`process ${initPid} cannot be read: ${describeError(err)}`);
  });
  const ownPidns = await readlink('/proc/self/ns/pid');
  // A container started after the run's scan is not in it: scan again for it.
  const scan = shared.stats.has(initPid) ? shared : new ProcScan();
  const stats = scan.stats;
  if (!stats.has(initPid)) throw new Error(`process ${initPid} is gone`);

  // Descendants of init, by parent links.
  const children = new Map<number, number[]>();
  for (const s of stats.values()) {
    const list = children.get(s.ppid) ?? [];
    list.push(s.pid);
    children.set(s.ppid, list);
  }
  const inTree = new Set<number>([initPid]);
  const queue = [initPid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (!inTree.has(child)) { inTree.add(child); queue.push(child); }
    }
  }
  // Others in init's pid namespace, only when it is not ours (else that would be every host process).
  const selected = new Set(inTree);
  if (initPidns !== ownPidns) {
    for (const [pid, ns] of scan.pidNamespaces()) if (ns === initPidns) selected.add(pid);
  }

  const members = await Promise.all([...selected].sort((a, b) => a - b).map((pid) => readMember(pid, stats.get(pid), inTree.has(pid))));
  return members.filter((m): m is Member => m !== null);
}

function gone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** One process's facts; null when it exited while being read. */
async function readMember(pid: number, stat: ProcStat | undefined, inTree: boolean): Promise<Member | null> {
  const dir = `/proc/${pid}`;
  let status: Record<string, string>;
  try {
    status = parseProcStatus(readSmall(`${dir}/status`));
  } catch {
    return null;
  }
  const namespaces: Partial<Record<NamespaceKind, string>> = {};
  for (const kind of NAMESPACE_KINDS) {
    const link = readlinkOrNull(`${dir}/ns/${kind}`);
    if (link !== null) namespaces[kind] = link;
  }
  const fds = readFds(pid);
  if (fds === null) return null;
  const [cmdline, exe, mappings] = await Promise.all([
    readFile(`${dir}/cmdline`, 'utf8').then(parseCmdline, () => [] as string[]),
    readlink(`${dir}/exe`).catch(() => undefined),
    readMappings(pid),
  ]);
  if (mappings === null) return null;
  const nspids = statusNumbers(status, 'NSpid');
  const nssids = statusNumbers(status, 'NSsid');
  const number = (key: string) => (status[key] !== undefined && /^\d+$/.test(status[key]) ? { [key]: Number(status[key]) } : {});
  const tracer = number('TracerPid'), threads = number('Threads'), seccomp = number('Seccomp');
  const process: ProcessFacts = {
    pid,
    ...(nspids.length ? { nspid: nspids[nspids.length - 1] } : {}),
    ppid: stat?.ppid ?? Number(status.PPid),
    comm: stat?.comm ?? status.Name ?? '',
    cmdline,
    ...(exe !== undefined ? { exe } : {}),
    inTree,
    ...(namespaces.net !== undefined ? { netns: namespaces.net } : {}),
    ...(stat?.state ? { state: stat.state } : status.State ? { state: status.State.charAt(0) } : {}),
    ...('TracerPid' in tracer ? { tracerPid: tracer.TracerPid } : {}),
    ...('Threads' in threads ? { threads: threads.Threads } : {}),
    ...('Seccomp' in seccomp ? { seccomp: seccomp.Seccomp } : {}),
    ...(nssids.length ? { nsSid: nssids[nssids.length - 1] } : {}),
    namespaces,
    fds,
    mappings,
  };
  const socketFds = fds.ok ? fds.value.filter((f) => f.kind === 'socket' && f.socketInode !== undefined).map((f) => ({ fd: f.fd, inode: f.socketInode! })) : [];
  return { process, socketFds };
}

/** Refines 'regular' (a path) by what stat says the open file is. */
function kindOfStat(kind: FdKind, st: Stats, link: string): FdKind {
  if (kind !== 'regular') return kind;
  if (st.isDirectory()) return 'directory';
  if (st.isCharacterDevice()) return /^\/dev\/(pts\/\d+|tty\d*|console|ptmx)$/.test(link) ? 'tty' : 'chr';
  if (st.isBlockDevice()) return 'blk';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isSymbolicLink()) return 'symlink';
  if (link.startsWith('/dev/mqueue/')) return 'mqueue';
  return 'regular';
}

/** Every descriptor of PID with its fdinfo and stat; null when the process is gone, a failure when the fd table cannot be read. */
function readFds(pid: number): Gathered<FdFacts[]> | null {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch (err) {
    if (gone(err)) return null;
    return { ok: false, reason: `/proc/${pid}/fd: ${describeError(err)}` };
  }
  const fds: FdFacts[] = [];
  for (const name of names) {
    const fd = Number(name);
    const p = `/proc/${pid}/fd/${name}`;
    const link = readlinkOrNull(p);
    if (link === null) continue; // closed meanwhile
    let kind = fdKindOfLink(link);
    const facts: FdFacts = { fd, link, kind };
    const filePath = fdPathOfLink(link);
    if (filePath !== undefined) facts.path = filePath;
    const inode = socketInode(link);
    if (inode !== null) facts.socketInode = inode;
    try {
      const info = parseFdInfo(readSmall(`/proc/${pid}/fdinfo/${name}`));
      if (info.pos !== undefined) facts.pos = info.pos;
      if (info.flags !== undefined) facts.flags = info.flags;
      if (info.mntId !== undefined) facts.mntId = info.mntId;
      if (Object.keys(info.info).length) facts.info = info.info;
    } catch {
      /* closed meanwhile, or fdinfo not readable: the link alone is still a fact */
    }
    try {
      const st = statSync(p);
      kind = kindOfStat(kind, st, link);
      facts.kind = kind;
      facts.size = st.size; facts.nlink = st.nlink; facts.dev = st.dev; facts.ino = st.ino;
    } catch {
      /* closed meanwhile */
    }
    fds.push(facts);
  }
  return { ok: true, value: fds.sort((a, b) => a.fd - b.fd) };
}

/**
 * Reads a /proc file asynchronously in few thread-pool trips: open, reads of
 * 64 KiB until the end, close, through the callback API (readFile adds an
 * fstat; FileHandle adds its own bookkeeping).
 */
function readWhole(p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    fsOpen(p, 'r', (err, fd) => {
      if (err) { reject(err); return; }
      const chunks: Buffer[] = [];
      const next = (): void => {
        const buffer = Buffer.allocUnsafe(64 * 1024);
        fsRead(fd, buffer, 0, buffer.length, null, (e, n) => {
          if (e || n === 0) {
            fsClose(fd, () => (e ? reject(e) : resolve(Buffer.concat(chunks).toString('utf8'))));
            return;
          }
          chunks.push(buffer.subarray(0, n));
          next();
        });
      };
      next();
    });
  });
}

/** The name of a mapping in /proc/PID/map_files: its bounds without the leading zeros maps prints (`00400000` is `400000`). */
export function mapFilesName(start: string, end: string): string {
  const bare = (hex: string) => hex.replace(/^0+(?=[0-9a-f])/, '');
  return `${bare(start)}-${bare(end)}`;
}

/** The mappings of deleted files; null when the process is gone. */
async function readMappings(pid: number): Promise<Gathered<MappingFacts[]> | null> {
  let text: string;
  try {
    text = await readWhole(`/proc/${pid}/maps`);
  } catch (err) {
    if (gone(err)) return null;
    return { ok: false, reason: `/proc/${pid}/maps: ${describeError(err)}` };
  }
  let entries: MapsEntry[];
  try {
    entries = parseMaps(text);
  } catch (err) {
    return { ok: false, reason: `/proc/${pid}/maps: ${describeError(err)}` };
  }
  const mappings: MappingFacts[] = [];
  for (const e of entries) {
    const special = e.path === 'anon_inode:[io_uring]' || e.path === '[uprobes]';
    if (!special && !(e.deleted && e.path.startsWith('/'))) continue;
    const m: MappingFacts = { start: e.start, end: e.end, perms: e.perms, path: e.path, deleted: e.deleted, inode: e.inode };
    try {
      m.size = statSync(`/proc/${pid}/map_files/${mapFilesName(e.start, e.end)}`).size;
    } catch {
      /* map_files needs CAP_SYS_ADMIN; the size stays unknown */
    }
    mappings.push(m);
  }
  return { ok: true, value: mappings };
}

/** The /proc/PID/net tables read for sockets, with the family and protocol each describes. */
const INET_TABLES: { file: string; family: 'inet' | 'inet6'; protocol: string }[] = [
  { file: 'tcp', family: 'inet', protocol: 'tcp' },
  { file: 'tcp6', family: 'inet6', protocol: 'tcp' },
  { file: 'udp', family: 'inet', protocol: 'udp' },
  { file: 'udp6', family: 'inet6', protocol: 'udp' },
  { file: 'udplite', family: 'inet', protocol: 'udplite' },
  { file: 'udplite6', family: 'inet6', protocol: 'udplite' },
  { file: 'raw', family: 'inet', protocol: 'raw' },
  { file: 'raw6', family: 'inet6', protocol: 'raw' },
  { file: 'icmp', family: 'inet', protocol: 'icmp' },
  { file: 'icmp6', family: 'inet6', protocol: 'icmp' },
];

type SocketDescription = Omit<SocketFacts, 'pid' | 'fd'>;

/** The kernel prints addresses as native-endian words. */
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** Reads a table of /proc/PID/net; an absent table (IPv6 disabled, module not loaded) is empty. */
async function readNetTable(pid: number, file: string): Promise<string | null> {
  try {
    return await readFile(`/proc/${pid}/net/${file}`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`/proc/${pid}/net/${file}: ${describeError(err)}`);
  }
}

/** inode -> description, for every socket in the network namespace PID is in. */
async function socketsOfNetns(pid: number): Promise<Map<number, SocketDescription>> {
  const byInode = new Map<number, SocketDescription>();
  const [netlink, packet, unix, ...inet] = await Promise.all([
    readNetTable(pid, 'netlink'), readNetTable(pid, 'packet'), readNetTable(pid, 'unix'),
    ...INET_TABLES.map((t) => readNetTable(pid, t.file)),
  ]);
  if (netlink) for (const e of parseNetNetlink(netlink)) byInode.set(e.inode, describeNetlink(e));
  if (packet) for (const e of parseNetPacket(packet)) byInode.set(e.inode, describePacket(e));
  if (unix) for (const e of parseNetUnix(unix)) byInode.set(e.inode, describeUnix(e));
  INET_TABLES.forEach((t, i) => {
    const text = inet[i];
    if (!text) return;
    for (const e of parseNetInet(text, t.file, LITTLE_ENDIAN)) {
      // A socket in no table may still be listed under inode 0 (TIME_WAIT, request socks): those belong to no fd.
      if (e.inode !== 0) byInode.set(e.inode, describeInet(e, t.family, t.protocol));
    }
  });
  return byInode;
}

function describeNetlink(e: NetlinkSocketEntry): SocketDescription {
  return {
    family: 'netlink', protocol: String(e.protocol), protocolName: NETLINK_PROTOCOL_NAMES[e.protocol] ?? `netlink ${e.protocol}`,
    recvQueue: e.rmem, inode: e.inode, local: String(e.portId),
  };
}

function describePacket(e: PacketSocketEntry): SocketDescription {
  return {
    family: 'packet', protocol: `0x${e.proto.toString(16).padStart(4, '0')}`, type: e.type === 2 ? 'dgram' : e.type === 3 ? 'raw' : `type ${e.type}`,
    recvQueue: e.rmem, inode: e.inode, local: `ifindex ${e.ifindex}`,
  };
}

function describeUnix(e: UnixSocketEntry): SocketDescription {
  return {
    family: 'unix', protocol: 'unix', type: e.typeName, state: e.stateName, listening: e.listening, inode: e.inode,
    ...(e.path !== undefined ? { path: e.path, local: e.path } : {}),
  };
}

function describeInet(e: InetSocketEntry, family: 'inet' | 'inet6', protocol: string): SocketDescription {
  const host = (ip: string) => (family === 'inet6' ? `[${ip}]` : ip);
  // Raw sockets carry the IP protocol where the port would be.
  const local = protocol === 'raw' ? host(e.local) : `${host(e.local)}:${e.localPort}`;
  const remote = protocol === 'raw' ? host(e.remote) : `${host(e.remote)}:${e.remotePort}`;
  return {
    family, protocol, protocolName: protocol === 'raw' ? `raw ${e.localPort}` : protocol,
    state: e.stateName, recvQueue: e.rxQueue, local, remote, inode: e.inode,
    ...(protocol === 'tcp' ? { listening: e.stateName === 'LISTEN' } : {}),
  };
}

async function describeSockets(members: Member[]): Promise<SocketFacts[]> {
  // One read of the tables per network namespace, through a process that is in it.
  const netnsReader = new Map<string, number>();
  for (const m of members) {
    if (m.socketFds.length === 0) continue;
    const key = m.process.netns ?? `pid ${m.process.pid}`;
    if (!netnsReader.has(key)) netnsReader.set(key, m.process.pid);
  }
  const tables = new Map<string, Map<number, SocketDescription>>();
  await Promise.all([...netnsReader].map(async ([key, pid]) => { tables.set(key, await socketsOfNetns(pid)); }));

  const sockets: SocketFacts[] = [];
  for (const m of members) {
    const table = tables.get(m.process.netns ?? `pid ${m.process.pid}`);
    for (const { fd, inode } of m.socketFds) {
      // A socket belongs to the netns it was created in, which the process may have left since.
      const d = table?.get(inode) ?? [...tables.values()].map((t) => t.get(inode)).find((x) => x !== undefined);
      // Not in any table: unbound and unconnected inet sockets, or families /proc does not list (AF_ALG, vsock...).
      sockets.push({ pid: m.process.pid, fd, ...(d ?? { family: 'other', protocol: 'unknown', inode }) });
    }
  }
  return sockets;
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}
