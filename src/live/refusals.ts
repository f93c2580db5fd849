/**
 * What CRIU 4.2's dump refuses that the task facts show beforehand (the
 * process gatherer's state, namespaces, descriptors, mappings and unix peers),
 * as pure functions of a snapshot. Each returns the reports of one cause; the
 * rule module of that cause calls it (docs/criu-refusals.md lists the source
 * line of each refusal). Only what CRIU refuses with the options lxc-checkpoint
 * and `--engine criu` pass is reported: a state CRIU handles gives nothing.
 *
 * Every check looks at the tree CRIU dumps (`-t init`: init and its
 * descendants, `inTree` not false) and stays silent on facts that are absent
 * (older snapshots) or could not be read (facts-unavailable says so).
 */
import type { ContainerFacts, FdFacts, NamespaceKind, ProcessFacts, Report, Snapshot, SocketFacts } from '../types.js';
import { containerLocation, criuVersionOf, describeProcess, dumpSide, isRunning, known } from './facts.js';
import { atLeast, formatVersion } from '../criu/version.js';

/** CRIU's default --ghost-limit (DEFAULT_GHOST_LIMIT, 1 MiB); lxc-checkpoint never changes it. */
export const GHOST_LIMIT = 1 << 20;

/** The running container whose tree a dump would seize, or undefined (a restore, a stopped container, no facts). */
export function dumpedContainer(snapshot: Snapshot): ContainerFacts | undefined {
  const c = snapshot.container;
  return c && dumpSide(snapshot) && isRunning(c) ? c : undefined;
}

/** The tasks CRIU dumps: init and its descendants. */
export function dumpedTree(c: ContainerFacts): ProcessFacts[] {
  return (known(c.processes) ?? []).filter((p) => p.inTree !== false);
}

function initOf(c: ContainerFacts, tree: ProcessFacts[]): ProcessFacts | undefined {
  return tree.find((p) => p.pid === c.initPid) ?? tree.find((p) => p.nspid === 1);
}

const fdsOf = (p: ProcessFacts): FdFacts[] => known(p.fds) ?? [];

// --- nested-namespace --------------------------------------------------------

/** Namespaces CRIU cannot dump nested inside the tree (criu/namespaces.c: only CLONE_NEWNS|CLONE_NEWNET may nest). */
const NOT_NESTABLE: readonly NamespaceKind[] = ['pid', 'user', 'ipc', 'uts', 'cgroup', 'time'];

/** Tasks in another pid/user/ipc/uts/cgroup/time namespace than init, or with a pending time namespace. */
export function nestedNamespaceReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const tree = dumpedTree(c);
  const init = initOf(c, tree);
  if (!init?.namespaces) return [];
  const reports: Report[] = [];
  for (const p of tree) {
    if (p === init || !p.namespaces) continue;
    const nested = NOT_NESTABLE.filter((k) => p.namespaces![k] && init.namespaces![k] && p.namespaces![k] !== init.namespaces![k]);
    // criu/namespaces.c: a time namespace for children that differs from the task's own is refused too.
    const pendingTime = p.namespaces.time && p.namespaces.time_for_children && p.namespaces.time !== p.namespaces.time_for_children && !nested.includes('time');
    if (pendingTime) nested.push('time');
    if (!nested.length) continue;
    reports.push({
      messageId: 'nestedNamespace',
      message:
        `${describeProcess(p)} is in ${nested.length === 1 ? 'a ' : ''}${nested.join(', ')} namespace${nested.length === 1 ? '' : 's'} of its own ` +
        `(${nested.map((k) => (k === 'time' && pendingTime ? `time_for_children ${p.namespaces!.time_for_children}` : `${p.namespaces![k]} vs init's ${init.namespaces![k]}`)).join('; ')}): ` +
        `CRIU can dump only mount and network namespaces nested in a container; the dump fails ("Can't dump nested ${nested[0]} namespace for ${p.pid}"). ` +
        'Run it without that namespace (systemd: PrivateUsers=, ProtectHostname=, PrivateIPC= off; no unshare), or stop it before the checkpoint',
      location: containerLocation(c),
    });
  }
  return reports;
}

// --- io-uring ----------------------------------------------------------------

const IO_URING = 'anon_inode:[io_uring]';

/** Tasks holding an io_uring instance (an fd, or its rings mapped). */
export function ioUringReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const reports: Report[] = [];
  for (const p of dumpedTree(c)) {
    const fds = fdsOf(p).filter((f) => f.kind === 'io_uring' || f.link === IO_URING);
    const mapped = (known(p.mappings) ?? []).some((m) => m.path === IO_URING || m.path === '[io_uring]');
    if (!fds.length && !mapped) continue;
    const where = fds.length ? `fd ${fds.map((f) => f.fd).join(', ')}` : 'its mappings';
    reports.push({
      messageId: 'ioUring',
      message:
        `${describeProcess(p)} uses io_uring (${where}): CRIU does not support io_uring and the dump fails ` +
        `(${mapped ? '"Unknown shit ... (anon_inode:[io_uring])", "Collect mappings ... failed"' : '"Can\'t dump file ... of that type ... (anon anon_inode:[io_uring])"'}). ` +
        'Stop it before the checkpoint, or configure it not to use io_uring',
      location: containerLocation(c),
    });
  }
  return reports;
}

// --- unsupported-file --------------------------------------------------------

/** Anonymous inodes CRIU 4.2 dumps (criu/files.c dump_one_file); bpf-map only in builds with libbpf. */
const SUPPORTED_ANON = new Set(['anon_inode:[eventfd]', 'anon_inode:[eventpoll]', 'anon_inode:inotify', 'anon_inode:[fanotify]', 'anon_inode:[signalfd]', 'anon_inode:[timerfd]', 'anon_inode:[pidfd]']);
const UNSUPPORTED_KINDS = new Set(['userfaultfd', 'perf_event', 'bpf-prog', 'bpf-link']);
/** O_DIRECT on x86 and most architectures: a pipe in packet mode (pipe2(O_DIRECT)), which criu/pipes.c refuses. */
const O_DIRECT = 0o40000;

/** Descriptors of a kind CRIU has no dumper for (io_uring has its own rule). */
export function unsupportedFileReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const version = criuVersionOf(snapshot);
  // pidfds are dumped since CRIU 4.1 (criu/pidfd.c, 1ce408ffa); before, they are one more unknown anon inode.
  const supported = atLeast(version, '4.1') ? SUPPORTED_ANON : new Set([...SUPPORTED_ANON].filter((l) => l !== 'anon_inode:[pidfd]'));
  const reports: Report[] = [];
  for (const p of dumpedTree(c)) {
    for (const f of fdsOf(p)) {
      if (f.kind === 'io_uring' || f.link === IO_URING) continue;
      if (f.kind === 'pidfd' && !supported.has('anon_inode:[pidfd]')) {
        reports.push({
          messageId: 'pidfdUnsupported',
          message:
            `${describeProcess(p)} holds a pidfd on fd ${f.fd}: CRIU ${formatVersion(version)} cannot dump pidfds (supported since 4.1); the dump fails ("Can't dump file ${f.fd} of that type ... (anon anon_inode:[pidfd])"). ` +
            'Use CRIU 4.1 or later, or close it before the checkpoint',
          location: containerLocation(c),
        });
        continue;
      }
      if (f.kind === 'bpf-map' || f.link === 'anon_inode:bpf-map') {
        // An error: the lab's CRIU 4.2.1 (Debian's build, no libbpf) refuses it (docs/ground-truth.md, bpf-map).
        reports.push({
          messageId: 'bpfMap',
          message:
            `${describeProcess(p)} holds a BPF map on fd ${f.fd}: CRIU dumps BPF maps only when built with libbpf (Debian's 4.2 package is not) ` +
            'and only some map types; otherwise the dump fails ("Can\'t dump file ... of that type ... anon_inode:bpf-map" or "CRIU does not currently support dumping BPF map type"). ' +
            'Close it before the checkpoint (with a CRIU built with libbpf, some map types dump: suppress this finding then)',
          location: containerLocation(c),
        });
        continue;
      }
      if (f.kind === 'pipe' && f.flags !== undefined && (f.flags & O_DIRECT) !== 0) {
        reports.push({
          messageId: 'packetPipe',
          message:
            `${describeProcess(p)} has a pipe opened with O_DIRECT (packet mode) on fd ${f.fd}: CRIU cannot dump it ("The packetized mode for pipes is not supported yet"). ` +
            'Stop or restart the process before the checkpoint',
          location: containerLocation(c),
        });
        continue;
      }
      const anon = f.link.startsWith('anon_inode:');
      if (!UNSUPPORTED_KINDS.has(f.kind) && !(anon && !supported.has(f.link) && f.kind !== 'memfd' && f.kind !== 'pidfd')) continue;
      reports.push({
        messageId: 'unsupportedFile',
        message:
          `${describeProcess(p)} holds ${f.link} on fd ${f.fd}, a kind of file CRIU cannot dump: the dump fails ("Can't dump file ${f.fd} of that type ... (anon ${f.link})"). ` +
          'Close it before the checkpoint (stop or restart the process)',
        location: containerLocation(c),
      });
    }
  }
  return reports;
}

// --- ghost-file-too-big --------------------------------------------------------

/**
 * Deleted-looking mappings that are not ghost files: shared anonymous memory (`/dev/zero (deleted)`), SysV shm, memfd,
 * aio rings; POSIX shm under /dev/shm is left out too (not measured).
 */
const NOT_GHOSTS = ['/dev/zero', '/SYSV', '/memfd:', '/[aio]', '/dev/shm/'];

const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

/**
 * Deleted files still open or mapped, with no other link, bigger than the ghost limit: CRIU must copy them into the
 * images and refuses above --ghost-limit. CRIU counts allocated blocks; the size is an upper bound for sparse files.
 */
export function ghostFileReports(snapshot: Snapshot, limit = GHOST_LIMIT): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const reports: Report[] = [];
  const seen = new Set<string>();
  for (const p of dumpedTree(c)) {
    const files: { what: string; path: string; size: number; key: string }[] = [];
    for (const f of fdsOf(p)) {
      // nlink > 0: --link-remap (lxc-checkpoint passes it) handles it.
      if (f.kind !== 'deleted' || f.nlink !== 0 || f.size === undefined || f.size <= limit) continue;
      files.push({ what: `fd ${f.fd}`, path: f.path ?? f.link.replace(/ \(deleted\)$/, ''), size: f.size, key: `${f.dev ?? ''}:${f.ino ?? f.path}` });
    }
    for (const m of known(p.mappings) ?? []) {
      if (!m.deleted || m.size === undefined || m.size <= limit || NOT_GHOSTS.some((prefix) => m.path.startsWith(prefix))) continue;
      files.push({ what: 'a mapping', path: m.path, size: m.size, key: `map:${m.inode}` });
    }
    for (const g of files) {
      if (seen.has(`${p.pid}:${g.key}`)) continue;
      seen.add(`${p.pid}:${g.key}`);
      reports.push({
        messageId: 'ghostFile',
        message:
          `${describeProcess(p)} keeps the deleted file ${g.path} (${mib(g.size)}) open through ${g.what}: CRIU copies deleted files into the images only up to ` +
          `--ghost-limit (${mib(limit)} by default, and lxc-checkpoint cannot raise it); the dump fails ("Can't dump ghost file ${g.path} of ... size, increase limit"). ` +
          'Restart the process so that it lets go of the old file (after an upgrade: restart the service), or pass a larger --ghost-limit to a raw criu dump',
        location: containerLocation(c),
        criuOptions: ['--ghost-limit', String(Math.ceil(g.size / (1 << 20)) * (1 << 20))],
      });
    }
  }
  return reports;
}

// --- external-unix-socket ------------------------------------------------------

/** Unix sockets of the tree connected to a socket no task of the tree holds. */
export function externalUnixSocketReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const tree = dumpedTree(c);
  const treePids = new Set(tree.map((p) => p.pid));
  const byPid = new Map(tree.map((p) => [p.pid, p]));
  const sockets = known(c.sockets) ?? [];
  const held = new Set(sockets.filter((s) => treePids.has(s.pid) && s.inode).map((s) => s.inode!));
  const reports: Report[] = [];
  const seen = new Set<number | string>();
  for (const s of sockets) {
    if (s.family !== 'unix' || !treePids.has(s.pid)) continue;
    const outside = externalPeer(s, held);
    if (!outside) continue;
    const key = s.inode ?? `${s.pid}:${s.fd}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p = byPid.get(s.pid)!;
    const stream = s.type === 'stream' || s.type === 'seqpacket';
    reports.push({
      messageId: 'externalPeer',
      message:
        `${describeProcess(p)} has unix socket fd ${s.fd}${s.path ? ` (${s.path})` : ''} connected to a peer${s.peerInode ? ` (inode ${s.peerInode})` : ''} that no task of the container holds: ` +
        `CRIU refuses external unix sockets ("External socket is used. Consider using --ext-unix-sk option."${stream ? '; a stream connection cannot be external at all: "Can\'t dump half of stream unix connection"' : ''}). ` +
        'Close the connection before the checkpoint (stop the process, or the host side), or keep both ends in the container',
      location: containerLocation(c),
    });
  }
  return reports;
}

function externalPeer(s: SocketFacts, held: Set<number>): boolean {
  if (s.peerInode && s.peerInode > 0) return !held.has(s.peerInode);
  return s.peerOutside === true;
}

// --- zombie-process ------------------------------------------------------------

/** Zombies whose threads still live (criu/seize.c "Zombies with threads are not supported"). */
export function zombieWithThreadsReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  return dumpedTree(c)
    .filter((p) => p.state === 'Z' && (p.threads ?? 1) > 1)
    .map((p) => ({
      messageId: 'zombieThreads',
      message:
        `${describeProcess(p)} is a zombie whose ${p.threads! - 1} other thread${p.threads! > 2 ? 's' : ''} still run: CRIU cannot dump that ("Zombies with threads are not supported"). ` +
        'Wait for it to exit, or kill its remaining threads (kill the process) before the checkpoint',
      location: containerLocation(c),
    }));
}

// --- unsupported-socket --------------------------------------------------------

const UNSUPPORTED_INET: Record<string, string> = {
  sctp: 'SCTP (protocol 132)',
  '132': 'SCTP (protocol 132)',
  mptcp: 'MPTCP (protocol 262; Go 1.24+ listeners use it by default: GODEBUG=multipathtcp=0 turns it off)',
  '262': 'MPTCP (protocol 262; Go 1.24+ listeners use it by default: GODEBUG=multipathtcp=0 turns it off)',
  dccp: 'DCCP (protocol 33)',
  '33': 'DCCP (protocol 33)',
};

/** Inet sockets of protocols CRIU cannot dump (criu/sk-inet.c "Unsupported proto"). */
export function unsupportedSocketReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const tree = new Map(dumpedTree(c).map((p) => [p.pid, p]));
  const version = criuVersionOf(snapshot);
  const reports: Report[] = [];
  for (const s of known(c.sockets) ?? []) {
    if ((s.family !== 'inet' && s.family !== 'inet6') || !tree.has(s.pid)) continue;
    const proto = (s.protocolName ?? s.protocol).toLowerCase();
    // ICMP "ping" sockets (SOCK_DGRAM, IPPROTO_ICMP) are dumped since CRIU 4.2 (a80c54484); raw ones since 3.12.
    const name = UNSUPPORTED_INET[proto] ?? ((proto === 'icmp' || proto === 'icmpv6') && !atLeast(version, '4.2') ? `ICMP (a ping socket; CRIU ${formatVersion(version)} dumps those only from 4.2)` : undefined);
    if (!name) continue;
    reports.push({
      messageId: 'unsupportedSocket',
      message:
        `${describeProcess(tree.get(s.pid)!)} has an ${name} socket on fd ${s.fd}: CRIU cannot dump it ("Unsupported proto ... for socket"). ` +
        'Stop the process or make it use TCP/UDP before the checkpoint',
      location: containerLocation(c),
    });
  }
  return reports;
}

// --- external-file -------------------------------------------------------------

const PATH_KINDS = new Set(['regular', 'directory', 'deleted', 'chr', 'blk', 'fifo', 'symlink']);

/** Files opened on a mount that is not in the container's mount namespace (criu/files-reg.c "Can't lookup mount"). */
export function externalFileReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  const mounts = known(c.mountinfo);
  if (!mounts?.length) return [];
  const ids = new Set(mounts.map((m) => m.mountId));
  const tree = dumpedTree(c);
  const initMnt = initOf(c, tree)?.namespaces?.mnt;
  const reports: Report[] = [];
  for (const p of tree) {
    // The mount table is init's: a task in a nested mount namespace (which CRIU dumps too) has other mount ids.
    if (initMnt && p.namespaces?.mnt && p.namespaces.mnt !== initMnt) continue;
    for (const f of fdsOf(p)) {
      if (!PATH_KINDS.has(f.kind) || f.mntId === undefined || ids.has(f.mntId)) continue;
      const path = f.path ?? f.link;
      reports.push({
        messageId: 'externalFile',
        message:
          `${describeProcess(p)} has ${path} open on fd ${f.fd} from mount ${f.mntId}, which is not a mount of the container: the dump fails ` +
          `("Can't lookup mount=${f.mntId} for fd=${f.fd} path=${path}"). Close it before the checkpoint (it was passed in from the host), ` +
          'or give CRIU --external file[mnt_id:inode] and --inherit-fd on restore (raw criu only)',
        location: containerLocation(c),
      });
    }
  }
  return reports;
}

// --- uprobes -------------------------------------------------------------------

/** Tasks with a uprobes area (a bpftrace/perf probe on them): CRIU 4.2 needs --allow-uprobes, which lxc-checkpoint does not pass. */
export function uprobesReports(snapshot: Snapshot): Report[] {
  const c = dumpedContainer(snapshot);
  if (!c) return [];
  return dumpedTree(c)
    .filter((p) => (known(p.mappings) ?? []).some((m) => m.path === '[uprobes]'))
    .map((p) => ({
      messageId: 'uprobes',
      message:
        `${describeProcess(p)} has a uprobes area (a bpftrace, perf or systemtap probe is attached to it): the dump fails ("PID ${p.pid} has uprobes vma. Consider using --allow-uprobes."), ` +
        'and lxc-checkpoint cannot pass --allow-uprobes. Detach the probe first (stop the tracing tool)',
      location: containerLocation(c),
      criuOptions: ['--allow-uprobes'],
    }));
}
