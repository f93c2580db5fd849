/**
 * The live checks of src/live/refusals.ts, from recorded facts (the stock
 * busybox container, plus the one change each case names). Each check is
 * wrapped in a rule here so that RuleTester runs it the way the engine does;
 * the rule modules of these causes (nested-namespace, io-uring, ...) call the
 * same functions.
 */
import type { FdFacts, MappingFacts, ProcessFacts, Report, Rule, Snapshot, SocketFacts } from '../../src/types.js';
import {
  externalFileReports, externalUnixSocketReports, ghostFileReports, ioUringReports, nestedNamespaceReports,
  unsupportedFileReports, unsupportedSocketReports, uprobesReports, zombieWithThreadsReports,
} from '../../src/live/refusals.js';
import { liveNonEmptyMounts } from '../../src/live/mounts.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, criu, host, process, stoppedBusybox, version, withProcesses, withSockets } from '../helpers/live-facts.js';
import nestedNamespaceRule from '../../rules/nested-namespace.js';
import ioUringRule from '../../rules/io-uring.js';
import unsupportedFileRule from '../../rules/unsupported-file.js';
import ghostFileTooBigRule from '../../rules/ghost-file-too-big.js';
import externalUnixSocketRule from '../../rules/external-unix-socket.js';
import zombieProcessRule from '../../rules/zombie-process.js';
import unsupportedSocketRule from '../../rules/unsupported-socket.js';
import externalFileRule from '../../rules/external-file.js';
import uprobesRule from '../../rules/uprobes.js';

const asRule = (id: string, check: (s: Snapshot) => Report[]): Rule => ({ id, severity: 'error', summary: id, scope: 'live', docs: { why: id, fix: id }, check });

/** /proc/PID/ns links of the recorded container's init (as `ls -l /proc/INIT/ns` showed them). */
const INIT_NS = { pid: 'pid:[4026532260]', pid_for_children: 'pid:[4026532260]', user: 'user:[4026531837]', net: 'net:[4026532256]', mnt: 'mnt:[4026532257]', ipc: 'ipc:[4026532259]', uts: 'uts:[4026532258]', cgroup: 'cgroup:[4026532261]', time: 'time:[4026531834]', time_for_children: 'time:[4026531834]' };

/** The recorded container with init's namespaces filled in and these processes added. */
function withTasks(...extra: ProcessFacts[]) {
  const c = busybox();
  const procs = c.processes.ok ? c.processes.value.map((p) => ({ ...p, namespaces: { ...INIT_NS } })) : [];
  return busybox({ processes: { ok: true, value: [...procs, ...extra] } });
}
const task = (pid: number, nspid: number, comm: string, extra: Partial<ProcessFacts> = {}): ProcessFacts => ({ ...process(pid, nspid, comm), namespaces: { ...INIT_NS }, state: 'S', threads: 1, ...extra });
const fds = (...list: FdFacts[]) => ({ fds: { ok: true as const, value: list } });
const fd = (n: number, link: string, kind: FdFacts['kind'], extra: Partial<FdFacts> = {}): FdFacts => ({ fd: n, link, kind, ...extra });
const maps = (...list: MappingFacts[]) => ({ mappings: { ok: true as const, value: list } });
const base = { config: BUSYBOX_CONFIG, host: host() };

new RuleTester().run(nestedNamespaceRule, {
  valid: [
    { ...base, name: 'every task in init\'s namespaces', container: withTasks(task(90100, 30, 'httpd')) },
    { ...base, name: 'nested mount and network namespaces: CRIU dumps them', container: withTasks(task(90100, 30, 'ip', { namespaces: { ...INIT_NS, net: 'net:[4026532999]', mnt: 'mnt:[4026532998]' } })) },
    { ...base, name: "a task outside init's tree (lxc-attach'ed) is not dumped", container: withTasks(task(90100, 30, 'unshare', { inTree: false, namespaces: { ...INIT_NS, uts: 'uts:[4026532997]' } })) },
    { ...base, name: 'namespaces unknown (older facts)', container: busybox({ processes: withProcesses([process(90100, 30, 'httpd')]) }) },
    { ...base, name: 'stopped', container: stoppedBusybox() },
  ],
  invalid: [
    {
      ...base,
      name: 'unshare -u: a uts namespace of its own',
      container: withTasks(task(90100, 30, 'sleep', { namespaces: { ...INIT_NS, uts: 'uts:[4026532997]' } })),
      errors: [{ messageId: 'nestedNamespace', file: BUSYBOX_CONFIG_PATH, line: 0, message: /^sleep \(PID 30 in the container, 90100 on the host\) is in a uts namespace of its own \(uts:\[4026532997\] vs init's uts:\[4026532258\]\): .*"Can't dump nested uts namespace for 90100"/ }],
    },
    {
      ...base,
      name: 'systemd PrivateUsers + ProtectHostname: user and uts',
      container: withTasks(task(90100, 30, 'svc', { namespaces: { ...INIT_NS, user: 'user:[4026532900]', uts: 'uts:[4026532901]' } })),
      errors: [{ messageId: 'nestedNamespace', message: /is in user, uts namespaces of its own .*"Can't dump nested user namespace/ }],
    },
    {
      ...base,
      name: 'unshare -T without a fork: time_for_children differs',
      container: withTasks(task(90100, 30, 'sh', { namespaces: { ...INIT_NS, time_for_children: 'time:[4026532902]' } })),
      errors: [{ messageId: 'nestedNamespace', message: /time_for_children time:\[4026532902\].*"Can't dump nested time namespace for 90100"/ }],
    },
  ],
});

new RuleTester().run(ioUringRule, {
  valid: [
    { ...base, name: 'eventfd and epoll are fine', container: withTasks(task(90110, 31, 'app', fds(fd(3, 'anon_inode:[eventfd]', 'eventfd'), fd(4, 'anon_inode:[eventpoll]', 'eventpoll')))) },
    { ...base, name: "an io_uring user outside init's tree", container: withTasks(task(90110, 31, 'fio', { inTree: false, ...fds(fd(3, 'anon_inode:[io_uring]', 'io_uring')) })) },
  ],
  invalid: [
    { ...base, name: 'an io_uring fd', container: withTasks(task(90110, 31, 'fio', fds(fd(3, 'anon_inode:[io_uring]', 'io_uring')))), errors: [{ messageId: 'ioUring', message: /^fio \(PID 31 in the container, 90110 on the host\) uses io_uring \(fd 3\): CRIU does not support io_uring/ }] },
    { ...base, name: 'rings mapped, fd closed', container: withTasks(task(90110, 31, 'app', maps({ start: '7f00', end: '7f10', perms: 'rw-s', path: 'anon_inode:[io_uring]', deleted: false, inode: 1 }))), errors: [{ messageId: 'ioUring', message: /uses io_uring \(its mappings\).*Unknown shit/ }] },
  ],
});

new RuleTester().run(unsupportedFileRule, {
  valid: [
    {
      ...base,
      name: 'every anon inode CRIU dumps, a memfd, regular files',
      container: withTasks(task(90120, 32, 'app', fds(
        fd(3, 'anon_inode:[eventfd]', 'eventfd'), fd(4, 'anon_inode:[eventpoll]', 'eventpoll'), fd(5, 'anon_inode:inotify', 'inotify'), fd(6, 'anon_inode:[fanotify]', 'fanotify'),
        fd(12, 'pipe:[7731]', 'pipe', { flags: 0o2000000 }),
        fd(7, 'anon_inode:[signalfd]', 'signalfd'), fd(8, 'anon_inode:[timerfd]', 'timerfd'), fd(9, 'anon_inode:[pidfd]', 'pidfd'), fd(10, '/memfd:x (deleted)', 'memfd'), fd(11, '/etc/passwd', 'regular'),
      ))),
    },
    { ...base, name: 'io_uring is io-uring\'s, not reported twice', container: withTasks(task(90120, 32, 'fio', fds(fd(3, 'anon_inode:[io_uring]', 'io_uring')))) },
  ],
  invalid: [
    {
      ...base,
      name: 'userfaultfd, perf_event and an unknown anon inode',
      container: withTasks(task(90120, 32, 'app', fds(fd(3, 'anon_inode:[userfaultfd]', 'userfaultfd'), fd(4, 'anon_inode:[perf_event]', 'perf_event'), fd(5, 'anon_inode:[seccomp notify]', 'anon')))),
      errors: [
        // Findings come sorted by message.
        { messageId: 'unsupportedFile', severity: 'error', message: /holds anon_inode:\[perf_event\] on fd 4, a kind of file CRIU cannot dump/ },
        { messageId: 'unsupportedFile', severity: 'error', message: /holds anon_inode:\[seccomp notify\] on fd 5/ },
        { messageId: 'unsupportedFile', severity: 'error', message: /holds anon_inode:\[userfaultfd\] on fd 3/ },
      ],
    },
    {
      ...base,
      name: 'a pidfd with CRIU 4.0 (pidfds are dumped since 4.1)',
      host: host({ criu: criu({ version: version('4.0.1') }) }),
      container: withTasks(task(90120, 32, 'supervisor', fds(fd(9, 'anon_inode:[pidfd]', 'pidfd', { info: { Pid: '90121' } })))),
      errors: [{ messageId: 'pidfdUnsupported', severity: 'error', message: /holds a pidfd on fd 9: CRIU 4\.0\.1 cannot dump pidfds \(supported since 4\.1\)/ }],
    },
    { ...base, name: 'a pipe in packet mode (O_DIRECT)', container: withTasks(task(90120, 32, 'app', fds(fd(3, 'pipe:[7731]', 'pipe', { flags: 0o40000 })))), errors: [{ messageId: 'packetPipe', message: /has a pipe opened with O_DIRECT \(packet mode\) on fd 3: .*"The packetized mode for pipes is not supported yet"/ }] },
    { ...base, name: 'a BPF map: the lab\'s CRIU (no libbpf) refuses it, an error', container: withTasks(task(90120, 32, 'agent', fds(fd(3, 'anon_inode:bpf-map', 'bpf-map')))), errors: [{ messageId: 'bpfMap', severity: 'error', message: /holds a BPF map on fd 3: CRIU dumps BPF maps only when built with libbpf/ }] },
  ],
});

const big = 3 << 20;
new RuleTester().run(ghostFileTooBigRule, {
  valid: [
    { ...base, name: 'a small deleted file (ghost, dumped)', container: withTasks(task(90130, 33, 'app', fds(fd(3, '/tmp/x (deleted)', 'deleted', { path: '/tmp/x', nlink: 0, size: 4096 })))) },
    { ...base, name: 'a big unlinked file with another link: --link-remap', container: withTasks(task(90130, 33, 'app', fds(fd(3, '/var/a (deleted)', 'deleted', { path: '/var/a', nlink: 1, size: big })))) },
    { ...base, name: 'a big file that is not deleted', container: withTasks(task(90130, 33, 'app', fds(fd(3, '/var/big', 'regular', { path: '/var/big', nlink: 1, size: big })))) },
    { ...base, name: 'shared anonymous memory shows as /dev/zero (deleted): not a file', container: withTasks(task(90130, 33, 'app', maps({ start: '1', end: '2', perms: 'rw-s', path: '/dev/zero', deleted: true, inode: 6, size: big }))) },
    { ...base, name: 'a deleted memfd mapping is a memfd, not a ghost', container: withTasks(task(90130, 33, 'app', maps({ start: '1', end: '2', perms: 'rw-s', path: '/memfd:buf', deleted: true, inode: 5, size: big }))) },
  ],
  invalid: [
    {
      ...base,
      name: 'a 3 MiB deleted log still open',
      container: withTasks(task(90130, 33, 'app', fds(fd(3, '/var/log/old.log (deleted)', 'deleted', { path: '/var/log/old.log', nlink: 0, size: big })))),
      errors: [{ messageId: 'ghostFile', message: /^app \(PID 33 in the container, 90130 on the host\) keeps the deleted file \/var\/log\/old\.log \(3\.0 MiB\) open through fd 3: .*"Can't dump ghost file \/var\/log\/old\.log of \.\.\. size, increase limit"/ }],
    },
    {
      ...base,
      name: 'a library replaced by an upgrade, still mapped',
      container: withTasks(task(90130, 33, 'daemon', maps({ start: '7f00', end: '7f80', perms: 'r-xp', path: '/usr/lib/libbig.so', deleted: true, inode: 77, size: big }))),
      errors: [{ messageId: 'ghostFile', message: /keeps the deleted file \/usr\/lib\/libbig\.so \(3\.0 MiB\) open through a mapping/ }],
    },
  ],
});

const unix = (pid: number, fd: number, inode: number, peerInode: number | undefined, extra: Partial<SocketFacts> = {}): SocketFacts => ({ pid, fd, family: 'unix', protocol: '0', type: 'dgram', inode, ...(peerInode === undefined ? {} : { peerInode }), ...extra });
new RuleTester().run(externalUnixSocketRule, {
  valid: [
    { ...base, name: 'a socketpair inside the tree', container: busybox({ ...withTasks(task(90140, 34, 'a')), sockets: withSockets([unix(90140, 3, 800, 801), unix(90140, 4, 801, 800)]) }) },
    { ...base, name: 'an unconnected listening socket', container: busybox({ ...withTasks(task(90140, 34, 'a')), sockets: withSockets([unix(90140, 3, 800, 0, { type: 'stream', listening: true, path: '/run/a.sock' })]) }) },
    { ...base, name: 'peer unknown and peerOutside unknown: silent', container: busybox({ ...withTasks(task(90140, 34, 'a')), sockets: withSockets([unix(90140, 3, 800, undefined)]) }) },
  ],
  invalid: [
    {
      ...base,
      name: 'connected to the host (peer inode held by nobody in the container)',
      container: busybox({ ...withTasks(task(90140, 34, 'logger')), sockets: withSockets([unix(90140, 3, 800, 5555, { path: '/dev/log' })]) }),
      errors: [{ messageId: 'externalPeer', message: /^logger \(PID 34 in the container, 90140 on the host\) has unix socket fd 3 \(\/dev\/log\) connected to a peer \(inode 5555\) that no task of the container holds: .*"External socket is used/ }],
    },
    {
      ...base,
      name: "a stream to an lxc-attach'ed process (in the container, not in the tree)",
      container: busybox({ ...withTasks(task(90140, 34, 'srv'), task(90141, 35, 'sh', { inTree: false })), sockets: withSockets([unix(90140, 3, 800, 801, { type: 'stream' }), unix(90141, 3, 801, 800, { type: 'stream' })]) }),
      errors: [{ messageId: 'externalPeer', message: /connected to a peer \(inode 801\).*Can't dump half of stream unix connection/ }],
    },
    {
      ...base,
      name: 'only the gatherer\'s peerOutside is known',
      container: busybox({ ...withTasks(task(90140, 34, 'x')), sockets: withSockets([unix(90140, 3, 800, undefined, { peerOutside: true })]) }),
      errors: [{ messageId: 'externalPeer', message: /has unix socket fd 3 connected to a peer that no task/ }],
    },
  ],
});

new RuleTester().run(zombieProcessRule, {
  valid: [
    { ...base, name: 'a plain zombie: CRIU dumps it', container: withTasks(task(90150, 36, 'child', { state: 'Z', threads: 1 })) },
    { ...base, name: 'a running threaded task', container: withTasks(task(90150, 36, 'java', { state: 'S', threads: 20 })) },
  ],
  invalid: [
    { ...base, name: 'a zombie leader with live threads', container: withTasks(task(90150, 36, 'app', { state: 'Z', threads: 3 })), errors: [{ messageId: 'zombieThreads', message: /^app \(PID 36 in the container, 90150 on the host\) is a zombie whose 2 other threads still run: .*"Zombies with threads are not supported"/ }] },
  ],
});

const inet = (pid: number, fd: number, protocolName: string): SocketFacts => ({ pid, fd, family: 'inet', protocol: protocolName, protocolName, state: 'LISTEN', listening: true, inode: 900 + fd });
new RuleTester().run(unsupportedSocketRule, {
  valid: [
    { ...base, name: 'tcp, udp, raw and icmp (4.2) are dumped', container: busybox({ ...withTasks(task(90160, 37, 'srv')), sockets: withSockets([inet(90160, 3, 'tcp'), inet(90160, 4, 'udp'), inet(90160, 5, 'raw'), inet(90160, 6, 'icmp')]) }) },
  ],
  invalid: [
    { ...base, name: 'an SCTP listener', container: busybox({ ...withTasks(task(90160, 37, 'sctp_srv')), sockets: withSockets([inet(90160, 3, 'sctp')]) }), errors: [{ messageId: 'unsupportedSocket', message: /^sctp_srv \(PID 37 in the container, 90160 on the host\) has an SCTP \(protocol 132\) socket on fd 3: CRIU cannot dump it/ }] },
    { ...base, name: 'an ICMP ping socket with CRIU 4.1.1 (dumped only from 4.2)', host: host({ criu: criu({ version: version('4.1.1') }) }), container: busybox({ ...withTasks(task(90160, 37, 'ping')), sockets: withSockets([inet(90160, 3, 'icmp')]) }), errors: [{ messageId: 'unsupportedSocket', message: /^ping \(PID 37 in the container, 90160 on the host\) has an ICMP \(a ping socket; CRIU 4\.1\.1 dumps those only from 4\.2\) socket on fd 3/ }] },
    { ...base, name: 'a Go MPTCP listener', container: busybox({ ...withTasks(task(90160, 37, 'goapp')), sockets: withSockets([inet(90160, 3, 'mptcp')]) }), errors: [{ messageId: 'unsupportedSocket', message: /MPTCP \(protocol 262; Go 1\.24\+ listeners use it by default: GODEBUG=multipathtcp=0/ }] },
  ],
});

new RuleTester().run(externalFileRule, {
  valid: [
    { ...base, name: 'files on the container\'s mounts (as recorded: /dev/null on mount 88)', container: withTasks(task(90170, 38, 'app', fds(fd(0, '/dev/null', 'chr', { mntId: 88, path: '/dev/null' }), fd(3, '/var/log/messages', 'regular', { mntId: 89, path: '/var/log/messages' })))) },
    { ...base, name: 'pipes and sockets have pseudo mounts: not files', container: withTasks(task(90170, 38, 'app', fds(fd(3, 'pipe:[7731]', 'pipe', { mntId: 16 }), fd(4, 'socket:[8838]', 'socket', { mntId: 10 })))) },
    { ...base, name: 'a task in a nested mount namespace has other mount ids', container: withTasks(task(90170, 38, 'app', { namespaces: { ...INIT_NS, mnt: 'mnt:[4026533000]' }, ...fds(fd(3, '/x', 'regular', { mntId: 4000, path: '/x' })) })) },
  ],
  invalid: [
    {
      ...base,
      name: 'a host file passed in (mount 29 is the host root)',
      container: withTasks(task(90170, 38, 'app', fds(fd(5, '/home/me/data.db', 'regular', { mntId: 29, path: '/home/me/data.db' })))),
      errors: [{ messageId: 'externalFile', message: /^app \(PID 38 in the container, 90170 on the host\) has \/home\/me\/data\.db open on fd 5 from mount 29, which is not a mount of the container: the dump fails \("Can't lookup mount=29 for fd=5 path=\/home\/me\/data\.db"\)/ }],
    },
  ],
});

// --- unsupported-filesystem, live: mqueue and pstore must be empty ---------------
const queues = (...entries: string[]) => busybox({ mustBeEmpty: { ok: true, value: [{ mountPoint: '/dev/mqueue', fstype: 'mqueue', entries }] } });
new RuleTester().run(asRule('live-non-empty-mounts', liveNonEmptyMounts), {
  valid: [
    { ...base, name: "the stock container's /dev/mqueue, empty", container: queues() },
    { ...base, name: 'contents unknown (no probe): silent', container: busybox() },
    { ...base, name: 'a restore does not dump it', container: queues('q'), purpose: 'restore' },
  ],
  invalid: [
    {
      ...base,
      name: 'one queue made with touch /dev/mqueue/q (the lab: "mqueue isn\'t empty")',
      container: queues('q'),
      errors: [{ messageId: 'notEmpty', file: BUSYBOX_CONFIG_PATH, line: 0, message: /^mqueue at \/dev\/mqueue holds 1 POSIX message queue \(q\): CRIU dumps mqueue only when it is empty, the dump fails \("mqueue isn't empty"\)\. Remove the queues/ }],
    },
    { ...base, name: 'four queues: three named', container: queues('a', 'b', 'c', 'd'), errors: [{ messageId: 'notEmpty', message: /holds 4 POSIX message queues \(a, b, c, \.\.\.\)/ }] },
  ],
});

new RuleTester().run(uprobesRule, {
  valid: [
    { ...base, name: 'ordinary mappings', container: withTasks(task(90180, 39, 'app', maps({ start: '1', end: '2', perms: 'r-xp', path: '/usr/lib/libc.so', deleted: false, inode: 9 }))) },
  ],
  invalid: [
    {
      ...base,
      name: 'a [uprobes] mapping (bpftrace uprobe on the task)',
      container: withTasks(task(90180, 39, 'app', maps({ start: '7fff', end: '8000', perms: 'r-xp', path: '[uprobes]', deleted: false, inode: 0 }))),
      errors: [{ messageId: 'uprobes', message: /^app \(PID 39 in the container, 90180 on the host\) has a uprobes area .*"PID 90180 has uprobes vma\. Consider using --allow-uprobes\."/ }],
    },
  ],
});
