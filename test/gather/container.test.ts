import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test, type TestContext } from 'node:test';
import { findContainerInit, gatherContainer, gatherProcessTree, listContainers, monitorTitle, parseLxcInfo } from '../../src/gather/container.js';
import { findOnPath } from '../../src/gather/exec.js';
import { liveFixture } from './fixtures.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ctcr-container-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts a detached process group and returns its first stdout line; the whole group is killed after the test. */
async function startTree(t: TestContext, command: string, args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  });
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
    setTimeout(() => reject(new Error(`${command} not ready after 10 s`)), 10_000).unref();
  });
  return { child, line };
}

/** A node process holding a TCP listener, a connection to it (both ends), a bound UDP socket, and a `sleep` child. */
const SOCKET_HOLDER = `
const net = require('net'), dgram = require('dgram'), cp = require('child_process');
// Ready only once the server has accepted (its end has an fd) and sleep has exec'd: a fixed delay raced under load.
let accepted;
const gotConnection = new Promise((resolve) => { accepted = resolve; });
const srv = net.createServer(() => accepted()).listen(0, '127.0.0.1', () => {
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    const u = dgram.createSocket('udp4');
    u.bind(0, '127.0.0.1', () => {
      const k = cp.spawn('sleep', ['60'], { stdio: 'ignore' });
      k.once('spawn', () => gotConnection.then(() => console.log(JSON.stringify({ port: srv.address().port, client: c.localPort, udp: u.address().port, sleep: k.pid }))));
    });
  });
});`;

describe('gatherProcessTree on a process tree made here', () => {
  test('finds the tree\'s processes and its TCP and UDP sockets, and nothing of ours', async (t) => {
    const { child, line } = await startTree(t, process.execPath, ['-e', SOCKET_HOLDER]);
    const ready = JSON.parse(line) as { port: number; client: number; udp: number; sleep: number };
    const t0 = performance.now();
    const tree = await gatherProcessTree(child.pid!, { timeoutMs: 5000 });
    const took = performance.now() - t0;
    t.diagnostic(`gatherProcessTree (2 processes): ${took.toFixed(1)} ms`);

    assert.ok(tree.processes.ok, JSON.stringify(tree.processes));
    assert.deepEqual(tree.processes.value.map((p) => p.pid), [child.pid!, ready.sleep].sort((a, b) => a - b));
    const holder = tree.processes.value.find((p) => p.pid === child.pid)!;
    assert.equal(holder.ppid, process.pid);
    assert.equal(holder.exe, process.execPath);
    assert.deepEqual(holder.cmdline.slice(0, 2), [process.execPath, '-e']);
    assert.equal(holder.inTree, true);
    assert.equal(holder.netns, readlinkSync('/proc/self/ns/net'));
    const sleeper = tree.processes.value.find((p) => p.pid === ready.sleep)!;
    assert.deepEqual([sleeper.comm, sleeper.ppid, sleeper.nspid], ['sleep', child.pid, ready.sleep]);

    assert.ok(tree.sockets.ok, JSON.stringify(tree.sockets));
    const sockets = tree.sockets.value;
    assert.ok(sockets.every((s) => s.pid === child.pid), 'only the node process holds sockets');
    const tcp = sockets.filter((s) => s.protocol === 'tcp');
    assert.deepEqual(tcp.map((s) => `${s.state} ${s.local} ${s.remote}`).sort(), [
      `ESTABLISHED 127.0.0.1:${ready.client} 127.0.0.1:${ready.port}`,
      `ESTABLISHED 127.0.0.1:${ready.port} 127.0.0.1:${ready.client}`,
      `LISTEN 127.0.0.1:${ready.port} 0.0.0.0:0`,
    ].sort());
    assert.ok(tcp.every((s) => s.family === 'inet' && typeof s.inode === 'number' && s.fd > 2));
    const udp = sockets.filter((s) => s.protocol === 'udp');
    assert.deepEqual(udp.map((s) => [s.local, s.state]), [[`127.0.0.1:${ready.udp}`, 'CLOSE']]);
    // Every socket fd of the process is listed, each once.
    const fdSockets = new Set(sockets.map((s) => s.fd));
    assert.equal(fdSockets.size, sockets.length);

    assert.ok(tree.mountinfo.ok);
    assert.ok(tree.mountinfo.value.some((m) => m.mountPoint === '/'));
  });

  test('in a network namespace of its own: a netlink socket with unread data is seen through that namespace', { skip: process.geteuid?.() !== 0 ? 'needs root (unshare -n)' : false }, async (t) => {
    const unshare = await findOnPath('unshare');
    const ip = await findOnPath('ip');
    if (!unshare || !ip) return t.skip('needs unshare and ip');
    // `ip monitor` is stopped, then link events queue up on its route socket.
    const script = 'ip link set lo up; ip monitor link >/dev/null & m=$!; sleep 0.2; kill -STOP $m; '
      + 'ip link set lo down; ip link set lo up; echo $m; exec sleep 60';
    const { child, line } = await startTree(t, unshare, ['-n', 'sh', '-c', script]);
    const monitorPid = Number(line);
    // The line is printed before `exec sleep`: under load the shell may still be the shell when the tree is read.
    for (let i = 0; i < 200 && readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 10));
    const tree = await gatherProcessTree(child.pid!, { timeoutMs: 5000 });
    assert.ok(tree.processes.ok && tree.sockets.ok, JSON.stringify(tree));
    assert.deepEqual(tree.processes.value.map((p) => p.comm), ['sleep', 'ip']);
    const netns = readlinkSync(`/proc/${child.pid}/ns/net`);
    assert.notEqual(netns, readlinkSync('/proc/self/ns/net'));
    assert.ok(tree.processes.value.every((p) => p.netns === netns));
    const netlink = tree.sockets.value.filter((s) => s.family === 'netlink');
    assert.ok(netlink.length >= 1);
    assert.ok(netlink.every((s) => s.pid === monitorPid));
    const unread = netlink.filter((s) => (s.recvQueue ?? 0) > 0);
    assert.equal(unread.length, 1, JSON.stringify(netlink));
    assert.deepEqual([unread[0].protocol, unread[0].protocolName], ['0', 'route']);
  });

  test('a PID that does not exist gives three reasons, no exception', async () => {
    // PIDs above pid_max never exist.
    const tree = await gatherProcessTree(4_194_305, { timeoutMs: 2000 });
    for (const fact of [tree.mountinfo, tree.processes, tree.sockets]) {
      assert.equal(fact.ok, false);
    }
    assert.match(!tree.processes.ok ? tree.processes.reason : '', /^processes of PID 4194305: process 4194305 cannot be read: no such file or directory/);
    assert.match(!tree.mountinfo.ok ? tree.mountinfo.reason : '', /^mount table of PID 4194305: no such file or directory/);
  });
});

describe('containers without LXC running them', () => {
  test('listContainers: directories with a config, sorted; an absent lxcpath has none', async () => {
    const lxcpath = path.join(scratch, 'lxc');
    for (const [name, config] of [['web', true], ['db', true], ['half-made', false]] as const) {
      mkdirSync(path.join(lxcpath, name), { recursive: true });
      if (config) writeFileSync(path.join(lxcpath, name, 'config'), 'lxc.uts.name = x\n');
    }
    writeFileSync(path.join(lxcpath, 'lxc-monitord.log'), '');
    assert.deepEqual(await listContainers(lxcpath), { ok: true, value: ['db', 'web'] });
    assert.deepEqual(await listContainers(path.join(scratch, 'none')), { ok: true, value: [] });
  });

  test('a stopped container: no init, empty mounts, processes and sockets', async () => {
    const lxcpath = path.join(scratch, 'lxc-stopped');
    mkdirSync(path.join(lxcpath, 'c1'), { recursive: true });
    writeFileSync(path.join(lxcpath, 'c1/config'), 'lxc.uts.name = c1\n');
    const facts = await gatherContainer('c1', lxcpath, { timeoutMs: 5000, env: { PATH: '/nonexistent' } });
    assert.deepEqual(facts, {
      name: 'c1', lxcpath, configPath: path.join(lxcpath, 'c1/config'), defined: true,
      state: 'STOPPED', initPid: null, stateSource: 'monitor', stateNote: 'lxc-info is not on PATH', monitorPid: null,
      mountinfo: { ok: true, value: [] }, processes: { ok: true, value: [] }, sockets: { ok: true, value: [] }, locks: { ok: true, value: [] },
    });
  });

  test('a container that does not exist, asked through lxc-info when it is installed', { skip: !existsSync('/usr/bin/lxc-info') && 'lxc-info not installed' }, async () => {
    const facts = await gatherContainer('nosuch', path.join(scratch, 'empty'), { timeoutMs: 5000 });
    assert.equal(facts.defined, false);
    assert.equal(facts.state, 'STOPPED');
    assert.equal(facts.stateSource, 'monitor');
    assert.equal(facts.stateNote, 'lxc-info: nosuch doesn\'t exist');
  });

  test('lxc-info output as recorded: running, stopped, and the bare form of one filter', () => {
    const running = parseLxcInfo(liveFixture('lxc-info-running.txt'));
    assert.equal(running.state, 'RUNNING');
    assert.ok(Number.isInteger(running.pid) && running.pid! > 1);
    assert.deepEqual(parseLxcInfo(liveFixture('lxc-info-stopped.txt')), { state: 'STOPPED' });
    assert.deepEqual(parseLxcInfo('8189\n'), { pid: 8189 });
    assert.deepEqual(parseLxcInfo(liveFixture('lxc-info-missing.txt')), {});
  });

  test('the monitor\'s title as LXC sets it', () => {
    assert.equal(monitorTitle('c1', '/var/lib/lxc/'), '[lxc monitor] /var/lib/lxc c1');
  });

  test('findContainerInit falls back to the monitor process when lxc-info is not there', async () => {
    const found = await findContainerInit('nosuch', '/nonexistent-lxcpath', { timeoutMs: 2000, env: { PATH: '/nonexistent' } });
    assert.deepEqual(found, { state: 'STOPPED', initPid: null, source: 'monitor', note: 'lxc-info is not on PATH', monitorPid: null });
  });
});

describe('mapping sizes through /proc/PID/map_files', () => {
  test('the map_files name drops the leading zeros that maps prints', async () => {
    const { mapFilesName } = await import('../../src/gather/container.js');
    assert.equal(mapFilesName('00400000', '00401000'), '400000-401000');
    assert.equal(mapFilesName('7f1c2a000000', '7f1c2a021000'), '7f1c2a000000-7f1c2a021000');
    assert.equal(mapFilesName('00000000', '00001000'), '0-1000');
  });

  test('a deleted executable still running: its mappings carry the file size', { skip: process.geteuid?.() !== 0 ? 'map_files needs root' : false }, async (t) => {
    // As a package upgrade leaves it: the binary replaced (here: removed) while it runs. CRIU then copies it as a ghost file.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-maps-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const exe = path.join(dir, 'sleep');
    // busybox-static (the lab installs it) is not position-independent: mapped at 00400000, the case maps pads with zeros.
    const original = (await findOnPath('busybox')) ?? (await findOnPath('sleep')) ?? '/bin/sleep';
    writeFileSync(exe, readFileSync(original));
    chmodSync(exe, 0o755);
    const child = spawn(exe, ['30'], { stdio: 'ignore' });
    t.after(() => child.kill('SIGKILL'));
    await new Promise((r) => setTimeout(r, 200));
    rmSync(exe);
    const facts = await gatherProcessTree(child.pid!, { timeoutMs: 5000 });
    assert.ok(facts.processes.ok);
    const p = facts.processes.value.find((x) => x.pid === child.pid)!;
    assert.ok(p.mappings?.ok);
    const deleted = p.mappings.value.filter((m) => m.deleted && m.path === exe);
    assert.ok(deleted.length > 0, `no deleted mapping of ${exe} in ${JSON.stringify(p.mappings.value)}`);
    const size = readFileSync(original).length;
    assert.ok(deleted.every((m) => m.size === size), `sizes ${deleted.map((m) => m.size).join(', ')}, expected ${size}`);
  });
});
