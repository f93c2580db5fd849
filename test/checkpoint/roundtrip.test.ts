/**
 * The real thing, in the lab: a stock busybox container is NOT READY, ctcr
 * fix --suggestions and a restart make it checkpointable, and then
 * `ctcr checkpoint` + `ctcr restore` bring it back with the same process
 * tree and state: a counter a process inside keeps writing continues from
 * where it was, and an established TCP connection from the host to a
 * process in the container still echoes. Also: a failed checkpoint explains
 * itself from its own log, and the criu engine (CRIU's LXC page's way) does
 * the same round trip.
 *
 * Network: the lab bridge has no uplink; the test gives it and the container
 * an address in 10.213.77.0/24, which exists only on that bridge, and removes
 * the bridge's address afterwards if it added it.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { execa } from 'execa';
import { labTest, ms, scratchDir, withContainer } from '../helpers/lab.js';
import { ctcr, type CliResult } from '../helpers/cli.js';
import {
  LAB_BRIDGE, containerState, lxcTool, processesInPidns, refreshInitPid, startContainer, stopContainer, treeKey, waitForStableTree,
  type LabContainer,
} from '../../lab/index.js';

const SUBNET = '10.213.77';
const BRIDGE_ADDRESS = `${SUBNET}.1/24`;
const PORT = 7777;

/** Runs the launched command detached inside the container, with none of the caller's fds (a host fd is a file CRIU cannot dump). */
const BACKGROUND_SCRIPT = `#!/bin/sh
for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
exec </dev/null >/dev/null 2>&1
setsid "$@" &
`;

/** Counts ten times a second without forking (read -t on a fifo), so the process tree stays still. */
const COUNTER = 'mkfifo /tmp/ctcr-tick 2>/dev/null; exec 3<>/tmp/ctcr-tick; i=0; while true; do i=$((i+1)); echo $i > /tmp/counter; read -t 0.1 x <&3; done';

async function run(t: TestContext, label: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const t0 = performance.now();
  const r = await ctcr(args, { env });
  t.diagnostic(`${label}: exit ${r.exitCode} in ${ms(performance.now() - t0)}`);
  for (const line of `${r.stdout}${r.stderr}`.trimEnd().split('\n').slice(0, 40)) t.diagnostic(`  ${line}`);
  return r;
}

async function attach(c: LabContainer, args: string[]): Promise<void> {
  const r = await lxcTool(c, 'lxc-attach', ['--', ...args], 30_000);
  assert.ok(r.ok, `lxc-attach ${args.join(' ')}: ${r.stderr}`);
}

/** Gives the lab bridge an address on the test subnet (once); removed after the test if this test added it. */
async function bridgeAddress(t: TestContext): Promise<void> {
  const shown = await execa('ip', ['-4', 'addr', 'show', 'dev', LAB_BRIDGE], { reject: false });
  if (shown.stdout.includes(`${SUBNET}.1/`)) return;
  await execa('ip', ['addr', 'add', BRIDGE_ADDRESS, 'dev', LAB_BRIDGE]);
  t.after(() => execa('ip', ['addr', 'del', BRIDGE_ADDRESS, 'dev', LAB_BRIDGE], { reject: false }));
}

function readCounter(c: LabContainer): number {
  const file = path.join(c.rootfs, 'tmp', 'counter');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TCP client on the host that collects what the container echoes. */
class EchoClient {
  received = '';
  closed = false;
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (this.received += d));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  static connect(host: string): Promise<EchoClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port: PORT, timeout: 10_000 }, () => resolve(new EchoClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a line and waits for it to come back. */
  async echo(line: string, timeoutMs: number): Promise<void> {
    this.socket.write(line + '\n');
    await until(`the echo of "${line}"`, () => this.received.includes(line + '\n') || this.closed, timeoutMs);
    assert.ok(this.received.includes(line + '\n'), `no echo of "${line}" (connection ${this.closed ? 'closed' : 'open'}; received ${JSON.stringify(this.received)})`);
  }
}

interface Prepared {
  env: Record<string, string>;
  client: EchoClient;
  ip: string;
}

/** Doctor (NOT READY), ctcr fix --suggestions, restart, then the counter, the echo server and a connection to it. */
async function prepare(t: TestContext, c: LabContainer): Promise<Prepared> {
  const state = await mkdtemp(path.join(tmpdir(), 'ctcr-ckpt-state-'));
  t.after(() => rm(state, { recursive: true, force: true }));
  const env = { CTCR_STATE_DIR: state };

  const before = await run(t, 'ctcr doctor (stock)', ['doctor', c.name, '-P', c.lxcpath, '--format', 'json'], env);
  assert.equal(before.exitCode, 1, 'the stock container is NOT READY');
  const report = JSON.parse(before.stdout) as { results: { target: string; verdict?: string; findings: { ruleId: string; severity: string }[] }[] };
  const mine = report.results.find((r) => r.target === c.name)!;
  assert.equal(mine.verdict, 'NOT READY');
  assert.ok(mine.findings.some((f) => f.ruleId === 'tty-nonzero' && f.severity === 'error'), 'the template’s ttys are named');

  const fixed = await run(t, 'ctcr fix --suggestions', ['fix', c.name, '-P', c.lxcpath, '--suggestions'], env);
  assert.ok(fixed.exitCode === 0 || fixed.exitCode === 1, `ctcr fix: ${fixed.stderr}`);
  await stopContainer(c);
  await startContainer(c);

  await bridgeAddress(t);
  const ip = `${SUBNET}.${10 + Math.floor(Math.random() * 240)}`;
  await attach(c, ['ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
  const script = path.join(c.rootfs, 'tmp', 'ctcr-bg.sh');
  writeFileSync(script, BACKGROUND_SCRIPT);
  chmodSync(script, 0o755);
  await attach(c, ['/tmp/ctcr-bg.sh', 'sh', '-c', COUNTER]);
  await attach(c, ['/tmp/ctcr-bg.sh', 'nc', '-ll', '-p', String(PORT), '-e', 'cat']);
  await until('the echo server to listen', async () => (await lxcTool(c, 'lxc-attach', ['--', 'netstat', '-tln'])).stdout.includes(`:${PORT}`));
  const client = await EchoClient.connect(ip);
  t.after(() => client.socket.destroy());
  await client.echo('before the checkpoint', 5000);
  await until('the counter to pass 30', () => readCounter(c) >= 30);
  await waitForStableTree(c.initPid);
  return { env, client, ip };
}

labTest('ctcr checkpoint + ctcr restore: same process tree, the counter continues, the TCP connection survives', async (t) => {
  await withContainer(t, async (c) => {
    const { env, client } = await prepare(t, c);
    const tree = treeKey(processesInPidns(c.initPid));
    t.diagnostic(`tree before: ${tree.map((k) => k.replace(/\t/g, ' ')).join(' | ')}`);
    assert.ok(tree.some((k) => /\tnc\t/.test(k)) && tree.some((k) => k.includes('/tmp/counter')), 'the server and the counter run');
    const dir = path.join(scratchDir(t), 'ckpt');

    const ck = await run(t, 'ctcr checkpoint', ['checkpoint', c.name, '-P', c.lxcpath, '-D', dir], env);
    assert.equal(ck.exitCode, 0, `${ck.stdout}${ck.stderr}`);
    assert.match(ck.stdout, /✔ checkpointed .* frozen \d+\.\d\d s.*images \d+/);
    assert.equal(await containerState(c), 'STOPPED');
    const atDump = readCounter(c);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(readCounter(c), atDump, 'nothing counts while the container is checkpointed');

    const rs = await run(t, 'ctcr restore', ['restore', c.name, '-P', c.lxcpath, '-D', dir], env);
    assert.equal(rs.exitCode, 0, `${rs.stdout}${rs.stderr}`);
    assert.match(rs.stdout, /✔ restored /);
    assert.equal(await containerState(c), 'RUNNING');
    await refreshInitPid(c);

    assert.deepEqual(treeKey(processesInPidns(c.initPid)), tree, 'the same processes (NSpid, comm, cmdline)');
    await until('the counter to move on', () => readCounter(c) > atDump);
    const after = readCounter(c);
    t.diagnostic(`counter: ${atDump} at the checkpoint, ${after} after the restore`);
    assert.ok(after > atDump && after < atDump + 100, `continues from ${atDump}, not from 0 (${after})`);

    await client.echo('after the restore', 30_000);
    assert.equal(client.closed, false, 'the same connection, still open');
  });
}, { timeout: 10 * 60_000 });

labTest('a failed ctcr checkpoint explains itself from its own log; ctcr explain says the same', async (t) => {
  await withContainer(t, async (c) => {
    const dir = path.join(scratchDir(t), 'ckpt');
    const refused = await run(t, 'ctcr checkpoint (stock)', ['checkpoint', c.name, '-P', c.lxcpath, '-D', dir]);
    assert.equal(refused.exitCode, 1, 'the doctor refuses first');
    assert.match(refused.stdout, /tty-nonzero/);
    assert.equal(existsSync(path.join(dir, 'dump.log')), false, 'nothing ran');

    const forced = await run(t, 'ctcr checkpoint --force (stock)', ['checkpoint', c.name, '-P', c.lxcpath, '-D', dir, '--force', '--format', 'json']);
    assert.equal(forced.exitCode, 3, 'ran, and failed');
    assert.match(forced.stderr, /--force: checkpointing .* despite/);
    const report = JSON.parse(forced.stdout) as { results: { findings: { ruleId: string; file: string; line: number }[] }[] };
    const cause = report.results[0]!.findings[0]!;
    assert.equal(cause.ruleId, 'tty-nonzero', 'the root error, from CRIU’s own log');
    assert.equal(cause.file, path.join(dir, 'dump.log'));
    assert.equal(await containerState(c), 'RUNNING', 'a failed dump leaves the container running');

    const explained = await run(t, 'ctcr explain', ['explain', path.join(dir, 'dump.log'), '--format', 'json']);
    assert.equal(explained.exitCode, 1);
    const e = JSON.parse(explained.stdout) as { results: { findings: { ruleId: string; line: number }[] }[] };
    assert.equal(e.results[0]!.findings[0]!.ruleId, 'tty-nonzero');
    assert.equal(e.results[0]!.findings[0]!.line, cause.line);
  });
});

labTest('--engine criu (CRIU’s LXC page’s way): the same round trip, the container kept by ctcr’s keeper', async (t) => {
  await withContainer(t, async (c) => {
    const { env, client } = await prepare(t, c);
    const tree = treeKey(processesInPidns(c.initPid));
    const dir = path.join(scratchDir(t), 'ckpt');

    const ck = await run(t, 'ctcr checkpoint --engine criu', ['checkpoint', c.name, '-P', c.lxcpath, '-D', dir, '--engine', 'criu', '--explain-options'], env);
    assert.equal(ck.exitCode, 0, `${ck.stdout}${ck.stderr}`);
    assert.match(ck.stdout, /-t \d+\s+\[criu argv\]/);
    assert.match(ck.stdout, /--tcp-established\s+\[criu argv\]\s+tcp-established:/, 'asked for by the established connection');
    await until('LXC to see the container stopped', async () => (await containerState(c)) === 'STOPPED');
    const atDump = readCounter(c);

    const rs = await run(t, 'ctcr restore --engine criu', ['restore', c.name, '-P', c.lxcpath, '-D', dir, '--engine', 'criu'], env);
    assert.equal(rs.exitCode, 0, `${rs.stdout}${rs.stderr}`);
    const pid = Number(readFileSync(path.join(dir, 'ctcr-restore.pid'), 'utf8').trim());
    assert.ok(pid > 0);
    const keeper = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    // Ending the keeper ends the container (the parent-death signal LXC gave its init): the clean-up.
    t.after(() => {
      try {
        process.kill(keeper, 'SIGTERM');
      } catch {
        /* gone */
      }
    });
    assert.match(readFileSync(`/proc/${keeper}/cmdline`, 'utf8'), /^tail\0--pid=/, 'the restored init’s parent is the keeper');
    assert.deepEqual(treeKey(processesInPidns(pid)), tree);
    await until('the counter to move on', () => readCounter(c) > atDump);
    assert.ok(readCounter(c) < atDump + 100);
    await client.echo('after the criu restore', 30_000);
  });
}, { timeout: 10 * 60_000 });

/** The config edits the field notes found a dump needs (no ttys, pty or console; no AppArmor keys), leaving the bind mounts as the template writes them. */
function withoutTtysAndAppArmor(text: string): string {
  const set = (t: string, key: string, value: string) => {
    const re = new RegExp(`^\\s*${key.replace(/\./g, '\\.')}\\s*=.*$`, 'm');
    return re.test(t) ? t.replace(re, `${key} = ${value}`) : `${t.replace(/\n?$/, '\n')}${key} = ${value}\n`;
  };
  return set(set(set(text, 'lxc.tty.max', '0'), 'lxc.pty.max', '0'), 'lxc.console.path', 'none').replace(/^\s*lxc\.apparmor\.(profile|allow_nesting)\s*=.*\n?/gm, '');
}

labTest('bind mounts of symlinked folders: raw lxc-checkpoint cannot restore them, ctcr restore can (--mntns-compat-mode through CRIU_CONFIG_FILE)', async (t) => {
  await withContainer(t, async (c) => {
    await stopContainer(c);
    writeFileSync(c.configPath, withoutTtysAndAppArmor(readFileSync(c.configPath, 'utf8')));
    await startContainer(c);
    const mergedUsr = lstatSync('/lib').isSymbolicLink();
    if (mergedUsr) {
      // What an operator without ctcr gets: the dump works, the restore does not.
      const raw = path.join(scratchDir(t), 'raw');
      assert.ok((await lxcTool(c, 'lxc-checkpoint', ['-s', '-D', raw], 180_000)).ok, 'raw dump');
      assert.equal((await lxcTool(c, 'lxc-checkpoint', ['-r', '-D', raw], 180_000)).ok, false, 'raw restore fails');
      assert.match(readFileSync(path.join(raw, 'restore.log'), 'utf8'), /Failed to move_mount from \/lib/);
      await stopContainer(c);
      await startContainer(c);
    }
    const tree = treeKey(processesInPidns(c.initPid));
    const dir = path.join(scratchDir(t), 'ckpt');
    const ck = await run(t, 'ctcr checkpoint', ['checkpoint', c.name, '-P', c.lxcpath, '-D', dir]);
    assert.equal(ck.exitCode, 0, ck.stderr);
    const rs = await run(t, 'ctcr restore --explain-options', ['restore', c.name, '-P', c.lxcpath, '-D', dir, '--explain-options']);
    assert.equal(rs.exitCode, 0, `${rs.stdout}${rs.stderr}`);
    if (mergedUsr) {
      assert.match(rs.stdout, /--mntns-compat-mode\s+\[config file\]\s+bind-mount-restore:/);
      assert.match(rs.stderr, /bind-mount-restore: worked around with --mntns-compat-mode/);
    }
    assert.equal(await containerState(c), 'RUNNING');
    await refreshInitPid(c);
    assert.deepEqual(treeKey(processesInPidns(c.initPid)), tree);
  });
});
