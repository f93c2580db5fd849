import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { gatherProcessTree, ProcScan } from '../../src/gather/container.js';
import { findOnPath } from '../../src/gather/exec.js';
import {
  NAMESPACE_KINDS, fdKindOfLink, fdPathOfLink, parseFdInfo, parseLocks, parseMaps, parseNsLink, parseSsUnix,
} from '../../src/gather/procfs.js';
import { liveFixture } from './fixtures.js';

describe('fd links and fdinfo, recorded from a real process (fixtures/live/fd-links.txt, fdinfo-*.txt)', () => {
  test('every recorded link gets its kind and path', () => {
    const kinds = Object.fromEntries(liveFixture('fd-links.txt').trim().split('\n').map((l) => {
      const [fd, ...rest] = l.split(' ');
      const link = rest.join(' ');
      return [fd, { kind: fdKindOfLink(link), path: fdPathOfLink(link) }];
    }));
    assert.deepEqual(kinds['3'], { kind: 'pipe', path: undefined });
    assert.deepEqual(kinds['5'], { kind: 'socket', path: undefined });
    assert.deepEqual(kinds['7'], { kind: 'inotify', path: undefined });
    assert.deepEqual(kinds['8'], { kind: 'eventfd', path: undefined });
    assert.deepEqual(kinds['9'], { kind: 'timerfd', path: undefined });
    assert.deepEqual(kinds['11'], { kind: 'eventpoll', path: undefined });
    assert.deepEqual(kinds['12'], { kind: 'deleted', path: '/tmp/gat/d/gone.txt' });
    assert.deepEqual(kinds['13'], { kind: 'memfd', path: 'ctcr-memfd' });
    assert.deepEqual(kinds['0'], { kind: 'regular', path: '/dev/null' }); // stat makes it 'chr'
  });

  test('links the fixture does not hold', () => {
    assert.equal(fdKindOfLink('anon_inode:[signalfd]'), 'signalfd');
    assert.equal(fdKindOfLink('anon_inode:[io_uring]'), 'io_uring');
    assert.equal(fdKindOfLink('anon_inode:bpf-map'), 'bpf-map');
    assert.equal(fdKindOfLink('anon_inode:bpf_link'), 'bpf-link');
    assert.equal(fdKindOfLink('anon_inode:[pidfd]'), 'pidfd');
    assert.equal(fdKindOfLink('anon_inode:[userfaultfd]'), 'userfaultfd');
    assert.equal(fdKindOfLink('anon_inode:[something-new]'), 'anon');
    assert.equal(fdKindOfLink('/dev/pts/3'), 'tty');
    assert.equal(fdKindOfLink('/dev/console'), 'tty');
    assert.equal(fdKindOfLink('net:[4026531833]'), 'other');
  });

  test('fdinfo: pos, octal flags, mnt_id and the kind-specific lines', () => {
    const ino = parseFdInfo(liveFixture('fdinfo-inotify.txt'));
    assert.equal(ino.mntId, 17);
    assert.equal(ino.flags, 0);
    assert.match(ino.info['inotify wd'], /^1 ino:[0-9a-f]+ sdev:[0-9a-f]+ mask:100 /);
    const efd = parseFdInfo(liveFixture('fdinfo-eventfd.txt'));
    assert.equal(efd.flags, 0o2);
    assert.equal(efd.info['eventfd-count'], '7');
    assert.equal(parseFdInfo(liveFixture('fdinfo-timerfd.txt')).info.clockid, '1');
    assert.match(parseFdInfo(liveFixture('fdinfo-eventpoll.txt')).info.tfd, /^3 events:\s+19 /);
    const lock = parseFdInfo(liveFixture('fdinfo-lock.txt'));
    assert.match(lock.info.lock, /^1: POSIX\s+ADVISORY\s+WRITE \d+ /);
    const del = parseFdInfo(liveFixture('fdinfo-deleted.txt'));
    assert.equal(del.pos, 1234);
    assert.equal(del.flags, 0o2100002);
    assert.equal(parseFdInfo(liveFixture('fdinfo-memfd.txt')).mntId, 0);
    assert.equal(parseFdInfo('pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t26\nPid:\t1234\nNSpid:\t1234\n').info.Pid, '1234');
    assert.equal(parseFdInfo('a: 1\na: 2\n').info.a, '1\n2');
  });
});

describe('maps, locks, ns links, ss (recorded)', () => {
  test('maps: the deleted mapping, with its path and inode', () => {
    const text = liveFixture('maps-deleted.txt');
    const maps = parseMaps(text);
    assert.equal(maps.length, text.trim().split('\n').length);
    const del = maps.filter((m) => m.deleted);
    assert.deepEqual(del.map((m) => [m.path, m.perms]), [['/tmp/gat/d/mapped.bin', 'rw-s']]);
    assert.ok(del[0].inode > 0);
    assert.ok(maps.some((m) => m.path === '[stack]'));
    assert.throws(() => parseMaps('not a maps line\n'), /maps line 1/);
  });

  test('/proc/locks: a flock and a POSIX lock, and a waiter', () => {
    const locks = parseLocks(liveFixture('locks.txt'));
    assert.deepEqual(locks.map((l) => [l.kind, l.type]), [['FLOCK', 'WRITE'], ['POSIX', 'WRITE']]);
    assert.equal(locks[1].device, 'fe:00:2171521');
    assert.equal(locks[1].inode, 2171521);
    const waiting = parseLocks('1: FLOCK  ADVISORY  WRITE 10 fe:00:5 0 EOF\n1: -> FLOCK  ADVISORY  WRITE 11 fe:00:5 0 EOF\n2: OFDLCK ADVISORY  READ  -1 00:06:9 0 EOF\n');
    assert.equal(waiting[1].blocked, true);
    assert.equal(waiting[2].pid, -1);
    assert.throws(() => parseLocks('garbage\n'), /\/proc\/locks line 1/);
  });

  test('ns links: every kind, pid_for_children and time_for_children included', () => {
    const lines = liveFixture('ns-links.txt').trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(lines.map((l) => l[0]).sort(), [...NAMESPACE_KINDS].sort());
    for (const [, link] of lines) assert.ok(parseNsLink(link), link);
    assert.deepEqual(parseNsLink('pid:[4026531836]'), { type: 'pid', inode: 4026531836 });
  });

  test('ss -xapn: the socketpair\'s two ends point at each other', () => {
    const ss = parseSsUnix(liveFixture('ss-xapn.txt'));
    const a = ss.find((e) => e.inode === 393794)!;
    const b = ss.find((e) => e.inode === 393795)!;
    assert.equal(a.peerInode, 393795);
    assert.equal(b.peerInode, 393794);
    assert.equal(a.netid, 'u_str');
    assert.equal(a.path, undefined);
    const named = parseSsUnix('u_str LISTEN 0 4096 /run/a b.sock 1234 * 0\n')[0];
    assert.deepEqual([named.path, named.inode, named.peerInode], ['/run/a b.sock', 1234, 0]);
  });
});

/** A python3 process holding the descriptors CRIU cares about (as recorded in fixtures/live/), and a flock child. */
const HOLDER = String.raw`
import os, socket, time, fcntl, select, mmap, ctypes, sys, subprocess
d = sys.argv[1]
r, w = os.pipe()
a, b = socket.socketpair()
libc = ctypes.CDLL(None, use_errno=True)
ino = libc.inotify_init1(0); libc.inotify_add_watch(ino, d.encode(), 0x100)
efd = libc.eventfd(7, 0)
tfd = libc.timerfd_create(1, 0)
ep = select.epoll(); ep.register(r, select.EPOLLIN)
f = open(d + '/gone.txt', 'w+'); f.write('x' * 1234); f.flush(); os.unlink(d + '/gone.txt')
g = open(d + '/mapped.bin', 'w+b'); g.write(b'\0' * 8192); g.flush()
mm = mmap.mmap(g.fileno(), 8192); os.unlink(d + '/mapped.bin'); g.close()
mfd = os.memfd_create('ctcr-memfd'); os.write(mfd, b'abc')
lk = open(d + '/lock', 'w'); fcntl.lockf(lk, fcntl.LOCK_EX)
k = subprocess.Popen(['flock', d + '/flock', 'sleep', '60'])
while not any(l.split()[4] == str(k.pid) for l in open('/proc/locks') if 'FLOCK' in l and len(l.split()) > 4): time.sleep(0.02)
print(' '.join(map(str, [r, a.fileno(), b.fileno(), ino, efd, tfd, ep.fileno(), f.fileno(), mfd, lk.fileno(), k.pid])), flush=True)
time.sleep(60)
`;

describe('the process gatherer on real processes made here', () => {
  test('finds each descriptor\'s kind, fdinfo and stat, the deleted mapping, the locks and the unix peers', async (t) => {
    const python = await findOnPath('python3');
    const flock = await findOnPath('flock');
    if (!python || !flock) { t.skip(`needs python3 and flock on PATH (python3: ${python}, flock: ${flock})`); return; }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-holder-'));
    const child = spawn(python, ['-c', HOLDER, dir], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } rmSync(dir, { recursive: true, force: true }); });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      setTimeout(() => reject(new Error('holder not ready after 10 s')), 10_000).unref();
    });
    const [pipeFd, sockA, sockB, inoFd, efd, tfd, epFd, goneFd, memFd, lockFd, flockPid] = line.split(' ').map(Number);

    // It prints before it sleeps: under load it may still be running for a moment.
    const stateOf = () => /\) (\S)/.exec(readFileSync(`/proc/${child.pid}/stat`, 'utf8'))?.[1];
    for (let i = 0; i < 200 && stateOf() !== 'S'; i++) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    const tree = await gatherProcessTree(child.pid!, { timeoutMs: 5000, scan: new ProcScan() });
    t.diagnostic(`gatherProcessTree (holder + flock + sleep): ${(performance.now() - t0).toFixed(1)} ms`);
    assert.ok(tree.processes.ok, JSON.stringify(tree.processes));
    const holder = tree.processes.value.find((p) => p.pid === child.pid)!;
    assert.equal(holder.state, 'S');
    assert.equal(holder.tracerPid, 0);
    assert.equal(holder.threads, 1);
    assert.equal(typeof holder.seccomp, 'number');
    assert.deepEqual(Object.keys(holder.namespaces!).sort(), NAMESPACE_KINDS.filter((k) => holder.namespaces![k] !== undefined).sort());
    assert.equal(holder.namespaces!.pid, readlinkSelf('pid'));
    assert.ok(holder.fds?.ok, JSON.stringify(holder.fds));
    const byFd = new Map(holder.fds.value.map((f) => [f.fd, f]));
    const kind = (fd: number) => byFd.get(fd)?.kind;
    assert.deepEqual([pipeFd, sockA, inoFd, efd, tfd, epFd, goneFd, memFd, lockFd].map(kind),
      ['pipe', 'socket', 'inotify', 'eventfd', 'timerfd', 'eventpoll', 'deleted', 'memfd', 'regular']);
    assert.equal(kind(0), 'chr'); // /dev/null, by stat
    const gone = byFd.get(goneFd)!;
    assert.deepEqual([gone.path, gone.size, gone.nlink, gone.pos], [path.join(dir, 'gone.txt'), 1234, 0, 1234]);
    assert.equal(byFd.get(efd)!.info?.['eventfd-count'], '7');
    assert.match(byFd.get(inoFd)!.info?.['inotify wd'] ?? '', /^1 /);
    assert.match(byFd.get(lockFd)!.info?.lock ?? '', /POSIX/);
    assert.equal(typeof byFd.get(lockFd)!.mntId, 'number');
    assert.ok(holder.mappings?.ok);
    assert.deepEqual(holder.mappings.value.map((m) => [m.path, m.deleted, m.size]), [[path.join(dir, 'mapped.bin'), true, 8192]]);

    assert.ok(tree.locks.ok, JSON.stringify(tree.locks));
    assert.deepEqual(tree.locks.value.map((l) => [l.kind, l.pid]).sort(), [['FLOCK', flockPid], ['POSIX', child.pid!]].sort());

    assert.ok(tree.sockets.ok && tree.unixPeers.ok, JSON.stringify([tree.sockets, tree.unixPeers]));
    const a = tree.sockets.value.find((s) => s.fd === sockA && s.pid === child.pid)!;
    const b = tree.sockets.value.find((s) => s.fd === sockB && s.pid === child.pid)!;
    assert.equal(a.peerInode, b.inode);
    assert.equal(b.peerInode, a.inode);
    assert.equal(a.peerOutside, false);
    // The holder's stdout is a pipe to us, not a socket; nothing of ours is in the tree.
    assert.ok(!tree.processes.value.some((p) => p.pid === process.pid));
  });
});

function readlinkSelf(ns: string): string {
  return readlinkSync(`/proc/self/ns/${ns}`);
}
