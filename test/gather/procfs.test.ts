import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cgroupMounts, cgroupV1Controllers, decodeProcAddress, formatIpv6, parseCmdline, parseMountInfo, parseNetInet,
  parseNetNetlink, parseNetPacket, parseNetUnix, parseProcStat, parseProcStatus, socketInode, statusNumbers,
  TCP_STATES_NEEDING_ESTABLISHED, unescapeMountField,
} from '../../src/gather/procfs.js';
import { liveFixture } from './fixtures.js';

describe('parseMountInfo', () => {
  test('reads every line of this machine\'s mount table, with the root and the cgroup mounts', () => {
    const text = liveFixture('mountinfo-host.txt');
    const mounts = parseMountInfo(text);
    assert.equal(mounts.length, text.trim().split('\n').length);
    const root = mounts.find((m) => m.mountPoint === '/');
    assert.ok(root, 'a mount at /');
    assert.equal(root.root, '/');
    assert.match(root.majorMinor, /^\d+:\d+$/);
    assert.ok(mounts.every((m) => Number.isInteger(m.mountId) && Number.isInteger(m.parentId)));
    const unified = mounts.find((m) => m.fstype === 'cgroup2');
    assert.equal(unified?.mountPoint, '/sys/fs/cgroup/unified');
  });

  test('undoes octal escapes in mount points and sources, and keeps the root of a bind of a subdirectory', () => {
    const mounts = parseMountInfo(liveFixture('mountinfo-propagation.txt'));
    const mine = mounts.filter((m) => m.mountPoint.startsWith('/tmp/ctcr-rec/m/'));
    assert.deepEqual(mine.map((m) => m.mountPoint.slice('/tmp/ctcr-rec/m/'.length)), ['with space', 'shared', 'slave', 'back\\slash', 'tab\tx']);
    const spaced = mine[0];
    assert.equal(spaced.source, 'src with space');
    assert.equal(spaced.fstype, 'tmpfs');
    assert.deepEqual(spaced.options, ['rw', 'relatime']);
    assert.deepEqual(spaced.optionalFields, []);
    const sub = mine[3];
    assert.equal(sub.root, '/sub');
    const tab = mine[4];
    assert.deepEqual(tab.superOptions, ['rw', 'size=1024k', 'mode=700']);
  });

  test('reads the optional fields: a shared mount, and its slave that is shared again', () => {
    const mounts = parseMountInfo(liveFixture('mountinfo-propagation.txt'));
    const shared = mounts.find((m) => m.mountPoint === '/tmp/ctcr-rec/m/shared')!;
    const slave = mounts.find((m) => m.mountPoint === '/tmp/ctcr-rec/m/slave')!;
    assert.equal(typeof shared.shared, 'number');
    assert.equal(shared.master, undefined);
    assert.equal(slave.master, shared.shared, 'the slave\'s master is the shared mount\'s peer group');
    assert.notEqual(slave.shared, undefined);
    assert.notEqual(slave.shared, shared.shared);
    assert.deepEqual(slave.optionalFields, [`shared:${slave.shared}`, `master:${shared.shared}`]);
  });

  test('reads a busybox LXC container\'s mounts: rootfs at /, devpts binds of single ptys', () => {
    const mounts = parseMountInfo(liveFixture('mountinfo-lxc-busybox.txt'));
    const root = mounts.find((m) => m.mountPoint === '/')!;
    assert.match(root.root, /\/rec1\/rootfs$/);
    const console = mounts.find((m) => m.mountPoint === '/dev/console')!;
    assert.equal(console.fstype, 'devpts');
    assert.notEqual(console.root, '/', 'a bind of one pty, not a devpts root');
    assert.ok(mounts.some((m) => m.mountPoint === '/dev/tty1' && m.fstype === 'devpts'));
    assert.ok(mounts.some((m) => m.mountPoint === '/dev/mqueue' && m.fstype === 'mqueue'));
  });

  test('names the line of a malformed entry', () => {
    assert.throws(() => parseMountInfo('22 27 0:21 / /proc rw,relatime - proc proc rw\n23 27 0:22 /sys rw\n'), /mountinfo line 2/);
    assert.throws(() => parseMountInfo('x y 0:21 / /proc rw,relatime - proc proc rw\n'), /mount IDs are not numbers/);
  });

  test('unescapeMountField decodes \\040 \\011 \\012 \\134 and leaves other text alone', () => {
    assert.equal(unescapeMountField('a\\040b\\011c\\012d\\134e'), 'a b\tc\nd\\e');
    assert.equal(unescapeMountField('/plain/path'), '/plain/path');
  });
});

describe('cgroupMounts', () => {
  const host = parseMountInfo(liveFixture('mountinfo-host.txt'));

  test('this machine is hybrid: v1 controllers, cgroup2 at /sys/fs/cgroup/unified, a v1 freezer', () => {
    const facts = cgroupMounts(host);
    assert.equal(facts.layout, 'hybrid');
    assert.equal(facts.unifiedPath, '/sys/fs/cgroup/unified');
    assert.equal(facts.freezerV1, '/sys/fs/cgroup/freezer');
    assert.equal(facts.mounts.length, host.filter((m) => m.fstype.startsWith('cgroup')).length);
  });

  test('v1 only, v2 only and none, from the same recorded mounts', () => {
    assert.equal(cgroupMounts(host.filter((m) => m.fstype !== 'cgroup2')).layout, 'v1');
    const v2only = cgroupMounts(host.filter((m) => m.fstype !== 'cgroup'));
    assert.equal(v2only.layout, 'v2');
    assert.equal(v2only.freezerV1, null);
    assert.equal(cgroupMounts(host.filter((m) => !m.fstype.startsWith('cgroup'))).layout, 'none');
  });

  test('controllers of a v1 mount leave out flags and name=', () => {
    const systemd = host.find((m) => m.mountPoint === '/sys/fs/cgroup/systemd')!;
    assert.deepEqual(cgroupV1Controllers(systemd), []);
    const cpu = host.find((m) => m.mountPoint === '/sys/fs/cgroup/cpu')!;
    assert.deepEqual(cgroupV1Controllers(cpu), ['cpu']);
  });
});

describe('stat, status, cmdline, fd links', () => {
  test('a comm with spaces and parentheses ends at the last ")"', () => {
    const stat = parseProcStat(liveFixture('proc-stat-odd-comm.txt'));
    assert.equal(stat.comm, 'a) (b c');
    assert.equal(stat.state, 'S');
    assert.ok(stat.pid > 0 && stat.ppid > 0);
    assert.notEqual(stat.pid, stat.ppid);
  });

  test('NSpid of a process in a child pid namespace lists the host PID, then 2', () => {
    const status = parseProcStatus(liveFixture('proc-status-nspid.txt'));
    assert.equal(status.Name, 'sleep');
    const nspid = statusNumbers(status, 'NSpid');
    assert.equal(nspid.length, 2);
    assert.equal(nspid[0], Number(status.Pid));
    assert.equal(nspid[1], 2);
    assert.deepEqual(statusNumbers(status, 'NoSuchKey'), []);
  });

  test('cmdline splits on NUL; a rewritten title without a final NUL keeps its last word', () => {
    assert.deepEqual(parseCmdline('/bin/getty\0-L\0tty1\0'), ['/bin/getty', '-L', 'tty1']);
    assert.deepEqual(parseCmdline('[lxc monitor] /var/lib/lxc c1'), ['[lxc monitor] /var/lib/lxc c1']);
    assert.deepEqual(parseCmdline(''), []);
  });

  test('socket links give their inode; other links none', () => {
    assert.equal(socketInode('socket:[19446]'), 19446);
    assert.equal(socketInode('pipe:[19446]'), null);
    assert.equal(socketInode('/dev/null'), null);
  });
});

describe('/proc/net tables', () => {
  test('netlink: the stopped `ip monitor` socket has unread data, the kernel sockets none', () => {
    const entries = parseNetNetlink(liveFixture('net-netlink-unread.txt'));
    const unread = entries.filter((e) => e.rmem > 0);
    assert.equal(unread.length, 1);
    assert.equal(unread[0].protocol, 0, 'NETLINK_ROUTE');
    assert.equal(unread[0].groups, '00000001', 'subscribed to RTMGRP_LINK');
    assert.ok(unread[0].inode > 0);
    const host = parseNetNetlink(liveFixture('net-netlink-host.txt'));
    assert.ok(host.length > 0);
    assert.ok(host.every((e) => e.rmem === 0));
    assert.ok(host.some((e) => e.protocol === 15), 'a kobject_uevent socket');
  });

  test('tcp: a listener, two ESTABLISHED ends, and a half-closed pair FIN_WAIT2 / CLOSE_WAIT', () => {
    const entries = parseNetInet(liveFixture('net-tcp.txt'), 'tcp');
    const listen = entries.filter((e) => e.stateName === 'LISTEN');
    assert.equal(listen.length, 1);
    assert.equal(listen[0].local, '127.0.0.1');
    assert.equal(listen[0].localPort, 8080);
    assert.equal(listen[0].remote, '0.0.0.0');
    const established = entries.filter((e) => e.stateName === 'ESTABLISHED');
    assert.equal(established.length, 2);
    assert.equal(established[0].localPort, established[1].remotePort, 'the two ends of one connection');
    const finWait2 = entries.find((e) => e.stateName === 'FIN_WAIT2')!;
    const closeWait = entries.find((e) => e.stateName === 'CLOSE_WAIT')!;
    assert.equal(finWait2.localPort, closeWait.remotePort);
    assert.equal(finWait2.remotePort, 8080);
    assert.ok(entries.every((e) => e.inode > 0));
    // Every socket but the listener is one CRIU refuses without --tcp-established.
    assert.equal(entries.filter((e) => TCP_STATES_NEEDING_ESTABLISHED.includes(e.stateName)).length, 4);
  });

  test('tcp6: ::1 decoded from the kernel\'s per-word byte order', () => {
    const entries = parseNetInet(liveFixture('net-tcp6.txt'), 'tcp6');
    assert.equal(entries.length, 3);
    assert.ok(entries.every((e) => e.local === '::1'));
    const listen = entries.find((e) => e.stateName === 'LISTEN')!;
    assert.equal(listen.localPort, 8443);
    assert.equal(listen.remote, '::');
  });

  test('udp: unconnected is CLOSE; udp6 connected is ESTABLISHED with its peer', () => {
    const [bound] = parseNetInet(liveFixture('net-udp.txt'), 'udp');
    assert.equal(bound.local, '127.0.0.1');
    assert.equal(bound.localPort, 5353);
    assert.equal(bound.stateName, 'CLOSE');
    const [connected] = parseNetInet(liveFixture('net-udp6.txt'), 'udp6');
    assert.equal(connected.stateName, 'ESTABLISHED');
    assert.equal(connected.remote, '::1');
    assert.equal(connected.remotePort, 5353);
  });

  test('raw and icmp: the protocol sits in the port column; queued bytes in rx_queue', () => {
    const [raw] = parseNetInet(liveFixture('net-raw.txt'), 'raw');
    assert.equal(raw.localPort, 1, 'IPPROTO_ICMP');
    assert.ok(raw.rxQueue > 0, 'the echo request and reply are queued');
    const [raw6] = parseNetInet(liveFixture('net-raw6.txt'), 'raw6');
    assert.equal(raw6.localPort, 58, 'IPPROTO_ICMPV6');
    const [icmp] = parseNetInet(liveFixture('net-icmp.txt'), 'icmp');
    assert.ok(icmp.rxQueue > 0, 'the echo reply is queued');
  });

  test('packet: a raw ETH_P_ALL socket and a dgram IPv4 one bound to lo, both with frames queued', () => {
    const entries = parseNetPacket(liveFixture('net-packet.txt'));
    assert.equal(entries.length, 2);
    const [all, ipv4] = entries;
    assert.deepEqual([all.type, all.proto, all.ifindex], [3, 0x0003, 0]);
    assert.deepEqual([ipv4.type, ipv4.proto, ipv4.ifindex], [2, 0x0800, 1]);
    assert.ok(all.rmem > 0 && ipv4.rmem > 0);
    assert.ok(all.running);
  });

  test('unix: listeners, connected sockets, a path with a space and an abstract name', () => {
    const entries = parseNetUnix(liveFixture('net-unix.txt'));
    const listeners = entries.filter((e) => e.listening);
    assert.equal(listeners.length, 2);
    assert.ok(listeners.some((e) => e.path === '/tmp/ctcr-rec/ctcr rec.sock'));
    assert.ok(listeners.some((e) => e.path?.startsWith('@ctcr-rec-abstract')));
    const connected = entries.filter((e) => e.stateName === 'CONNECTED');
    assert.equal(connected.length, 2);
    assert.ok(connected.some((e) => e.path === undefined), 'the client end is unbound');
    assert.ok(entries.every((e) => e.typeName === 'stream'));
    const [devlog] = parseNetUnix(liveFixture('net-unix-lxc-busybox.txt'));
    assert.deepEqual([devlog.path, devlog.typeName], ['/dev/log', 'dgram']);
  });

  test('a table without its header or with a bad row is refused with the row', () => {
    assert.throws(() => parseNetNetlink(''), /netlink: empty/);
    assert.throws(() => parseNetPacket('sk RefCnt Type Proto\n'), /no "Iface" column/);
    assert.throws(() => parseNetInet('  sl  local_address\n   0: zz:1F90 00000000:0000 0A\n', 'tcp'), /tcp line 2/);
    assert.throws(() => parseNetUnix('Num RefCount\nnot a row\n'), /unix line 2/);
  });
});

describe('addresses', () => {
  test('IPv4 and IPv6 words are byte-swapped on little-endian hosts, not on big-endian ones', () => {
    assert.equal(decodeProcAddress('0100007F'), '127.0.0.1');
    assert.equal(decodeProcAddress('7F000001', false), '127.0.0.1');
    assert.equal(decodeProcAddress('00000000000000000000000001000000'), '::1');
    assert.equal(decodeProcAddress('000080FE00000000FF005452563412FE'), 'fe80::5254:ff:fe12:3456');
    assert.equal(decodeProcAddress('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
    assert.throws(() => decodeProcAddress('123'), /neither 8 nor 32/);
  });

  test('formatIpv6 shortens the longest zero run only', () => {
    assert.equal(formatIpv6([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), '2001:db8::1:0:0:1');
    assert.equal(formatIpv6([0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6]), '2001:db8:1:2:3:4:5:6');
    assert.equal(formatIpv6(new Array(16).fill(0)), '::');
  });
});
