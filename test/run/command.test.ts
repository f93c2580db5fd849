/**
 * The CRIU command builder, per CRIU version and facts. The facts are
 * recorded from a real lab container (fixtures/run/facts-*.json, see
 * test/run/record-fixtures.ts); each test changes the one fact it is about.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, Snapshot } from '../../src/types.js';
import { buildCriuCommand, KEEPER_SCRIPT, keeperExitCode, workedAround, type BuildInput, type CriuCommand } from '../../src/criu/command.js';
import { parseCriuConfig } from '../../src/criu/config-file.js';
import { CRIU_OPTIONS, optionStatus } from '../../src/criu/options.js';
import { parseVersion } from '../../src/criu/version.js';
import { FIXTURES_DIR } from '../criu/fixtures.js';

interface FactsFixture {
  source: string;
  snapshot: Snapshot;
  findings: Finding[];
}

const load = (name: string): FactsFixture => JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'run', name), 'utf8')) as FactsFixture;
const running = () => load('facts-busybox-running-tcp.json');
const stopped = () => load('facts-busybox-stopped.json');
const IMAGES = readFileSync(path.join(FIXTURES_DIR, 'run', 'images-busybox-tcp.txt'), 'utf8').split('\n').filter(Boolean);
const DIR = '/ckpt/c1';

function build(over: Partial<BuildInput> & { fixture?: FactsFixture } = {}): CriuCommand {
  const f = over.fixture ?? (over.action === 'restore' ? stopped() : running());
  const { fixture: _f, ...rest } = over;
  return buildCriuCommand({
    action: 'dump',
    engine: 'lxc',
    criuVersion: '4.2.1',
    name: f.snapshot.container!.name,
    lxcpath: f.snapshot.container!.lxcpath,
    dir: DIR,
    snapshot: f.snapshot,
    findings: f.findings,
    ...(over.action === 'restore' ? { images: IMAGES } : {}),
    vethSuffix: 'abc123',
    ...rest,
  });
}

/** Every option word CRIU would see: the command line, plus the config file's. */
function criuSees(c: CriuCommand): string[] {
  return [...c.args, ...(c.configFile ? parseCriuConfig(c.configFile) : [])];
}

const finding = (ruleId: string, severity: Finding['severity'], criuOptions: string[], message = `${ruleId} asks`): Finding => ({
  ruleId,
  severity,
  message,
  location: { file: 'host', line: 0, column: 0 },
  criuOptions,
});

test('the recorded facts are what the tests below assume', () => {
  const f = running();
  assert.match(f.source, /recorded/);
  assert.equal(f.snapshot.container!.state, 'RUNNING');
  assert.ok(f.findings.some((x) => x.ruleId === 'tcp-established' && x.criuOptions?.includes('--tcp-established')));
  const tools = f.snapshot.host!.tools;
  assert.ok(tools.ok && tools.value['iptables-restore']);
  assert.equal(stopped().snapshot.container!.state, 'STOPPED');
});

test('lxc engine, dump: lxc-checkpoint -s, and what LXC passes itself is not repeated', () => {
  const c = build();
  assert.equal(c.program, 'lxc-checkpoint');
  const f = running();
  assert.deepEqual(c.args, ['-P', f.snapshot.container!.lxcpath, '-n', f.snapshot.container!.name, '-D', DIR, '-s']);
  assert.equal(c.configFile, undefined, 'nothing LXC cannot pass is needed here');
  const tcp = c.options.find((o) => o.words[0] === '--tcp-established')!;
  assert.equal(tcp.route, 'lxc-checkpoint');
  assert.equal(tcp.ruleId, 'tcp-established', 'the finding that asked is named');
  assert.equal(c.logFile, `${DIR}/dump.log`);
  for (const o of c.options) assert.ok(o.why.length > 10, `${o.words.join(' ')} has a reason`);
});

test('--leave-running keeps the container: no -s', () => {
  assert.ok(!build({ leaveRunning: true }).args.includes('-s'));
  assert.ok(build({ verbose: true }).args.includes('-v'), 'verbose asks LXC for -v4');
});

test('a workaround that changes what is restored (--skip-mnt) is never added by itself', () => {
  const c = build();
  assert.ok(!criuSees(c).includes('--skip-mnt'));
  const skipped = c.skipped.find((s) => s.words[0] === '--skip-mnt')!;
  assert.equal(skipped.ruleId, 'unsupported-filesystem');
  assert.match(skipped.why, /leaves the mount out/);
});

test('without iptables-restore, the network lock goes through nftables when this CRIU can', () => {
  const f = running();
  const tools = f.snapshot.host!.tools;
  assert.ok(tools.ok);
  tools.value['iptables-restore'] = null;
  const c = build({ fixture: f });
  assert.ok(c.configFile, 'lxc-checkpoint cannot pass it: a config file does');
  assert.deepEqual(parseCriuConfig(c.configFile!), ['--network-lock', 'nftables']);
  assert.equal(c.options.find((o) => o.words[0] === '--network-lock')!.route, 'config-file');

  // CRIU 3.15 has no --network-lock: never added
  const old = build({ fixture: f, criuVersion: '3.15' });
  assert.ok(!criuSees(old).includes('--network-lock'));
  assert.match(old.skipped.find((s) => s.words[0] === '--network-lock')!.why, /appeared in CRIU 3\.16/);

  // a CRIU built without libnftables: nothing to do about it here (the doctor's error stands)
  const criu = f.snapshot.host!.criu;
  assert.ok(criu.ok && criu.value);
  criu.value.features.network_lock_nftables = false;
  assert.ok(!criuSees(build({ fixture: f })).includes('--network-lock'));
});

test('the network lock is a dump option: a restore never gets it', () => {
  const c = build({ action: 'restore', findings: [finding('network-lock-unavailable', 'error', ['--network-lock', 'nftables'])] });
  assert.ok(!criuSees(c).includes('--network-lock'));
  assert.match(c.skipped.find((s) => s.words[0] === '--network-lock')!.why, /only matters on dump/);
});

test('--mntns-compat-mode reaches the restore through the config file, never the dump', () => {
  const asked = finding('bind-mount-restore', 'error', ['--mntns-compat-mode'], 'lxc.mount.entry /lib: a symlink');
  const restore = build({ action: 'restore', findings: [asked] });
  assert.deepEqual(parseCriuConfig(restore.configFile!), ['--mntns-compat-mode']);
  assert.ok(workedAround(asked, restore), 'the error is worked around by the command');

  const dump = build({ findings: [asked] });
  assert.ok(!criuSees(dump).includes('--mntns-compat-mode'));
  assert.match(dump.skipped.find((s) => s.words[0] === '--mntns-compat-mode')!.why, /only valid on restore/);
  assert.ok(!workedAround(asked, dump));

  const old = build({ action: 'restore', findings: [asked], criuVersion: '3.16' });
  assert.ok(!criuSees(old).includes('--mntns-compat-mode'), 'CRIU 3.16 does not have it');
});

test('a CRIU without config files (before 3.11) cannot get options lxc-checkpoint does not pass', () => {
  const c = build({ action: 'restore', criuVersion: '3.10', findings: [finding('x', 'info', ['--evasive-devices'])] });
  assert.equal(c.configFile, undefined);
  assert.match(c.skipped.find((s) => s.words[0] === '--evasive-devices')!.why, /reads no config files.*--engine criu/);
});

test("the user's own CRIU_CONFIG_FILE is replaced, keeping only what is valid for the action", () => {
  const inherited = { path: '/etc/my-criu.conf', text: '# mine\nmntns-compat-mode\nevasive-devices\nghost-limit 2M\nno-such-thing\n' };
  const dump = build({ inheritedConfigFile: inherited });
  const dumpWords = parseCriuConfig(dump.configFile!);
  assert.ok(!dumpWords.includes('--mntns-compat-mode'), 'restore-only option dropped from the dump');
  assert.ok(dumpWords.includes('--evasive-devices'));
  assert.deepEqual(dumpWords.slice(dumpWords.indexOf('--ghost-limit'), dumpWords.indexOf('--ghost-limit') + 2), ['--ghost-limit', '2M']);
  assert.ok(dump.skipped.some((s) => s.words[0] === 'no-such-thing' || /not a CRIU option/.test(s.why)));
  assert.ok(dump.options.find((o) => o.words[0] === '--evasive-devices')!.why.includes('/etc/my-criu.conf'));

  const restore = build({ action: 'restore', inheritedConfigFile: inherited });
  assert.ok(parseCriuConfig(restore.configFile!).includes('--mntns-compat-mode'));
  assert.ok(!parseCriuConfig(restore.configFile!).includes('--ghost-limit'), 'ghost-limit is a dump option');

  // Nothing valid left: ctcr's (empty) file still stands in for the user's.
  const empty = build({ inheritedConfigFile: { path: '/x', text: 'mntns-compat-mode\n' } });
  assert.notEqual(empty.configFile, undefined);
  assert.deepEqual(parseCriuConfig(empty.configFile!), []);
});

test('an option LXC passes with another value cannot win through a config file', () => {
  const c = build({ findings: [finding('x', 'info', ['--manage-cgroups=soft'])] });
  assert.match(c.skipped.find((s) => s.words[0] === '--manage-cgroups=soft')!.why, /command line wins/);
  const fs = build({ findings: [finding('y', 'info', ['--enable-fs', 'configfs'])] });
  assert.deepEqual(parseCriuConfig(fs.configFile!), ['--enable-fs', 'configfs'], 'enable-fs adds up: another value goes through');
});

test('restore: TCP streams in the images ask for --tcp-established (LXC passes it; criu needs it)', () => {
  const lxc = build({ action: 'restore' });
  const tcp = lxc.options.find((o) => o.words[0] === '--tcp-established')!;
  assert.equal(tcp.route, 'lxc-checkpoint');
  assert.match(tcp.why, /tcp-stream-3c4e2\.img/);
  const noStreams = build({ action: 'restore', engine: 'criu', images: IMAGES.filter((i) => !i.startsWith('tcp-stream')) });
  assert.ok(!noStreams.args.includes('--tcp-established'));
});

test('criu engine, dump: the init tree, and --tcp-established only with connections', () => {
  const f = running();
  const c = build({ engine: 'criu', criuPath: '/usr/sbin/criu' });
  assert.equal(c.program, '/usr/sbin/criu');
  assert.deepEqual(c.args.slice(0, 5), ['dump', '-D', DIR, '-o', `${DIR}/dump.log`]);
  assert.deepEqual(c.args.slice(c.args.indexOf('-t'), c.args.indexOf('-t') + 2), ['-t', String(f.snapshot.container!.initPid)]);
  assert.ok(c.args.includes('--tcp-established'));
  assert.ok(c.args.includes('--skip-in-flight'), 'nc listens');
  assert.deepEqual(c.args.slice(c.args.indexOf('--external'), c.args.indexOf('--external') + 2), ['--external', 'mnt[]']);

  // the same container without connected sockets: no --tcp-established
  const quiet = running();
  const sockets = quiet.snapshot.container!.sockets;
  assert.ok(sockets.ok);
  sockets.value = sockets.value.filter((s) => s.state !== 'ESTABLISHED');
  const q = build({ engine: 'criu', fixture: quiet, findings: quiet.findings.filter((x) => x.ruleId !== 'tcp-established') });
  assert.ok(!q.args.includes('--tcp-established'));

  // CRIU before 2.8 spells the mount auto-detection the old way
  const old = build({ engine: 'criu', criuVersion: '2.7' });
  assert.deepEqual(old.args.slice(old.args.indexOf('--ext-mount-map'), old.args.indexOf('--ext-mount-map') + 2), ['--ext-mount-map', 'auto']);
});

test('criu engine, restore: --root, detached sibling with a pid file, and the host side of each veth', () => {
  const f = stopped();
  const c = build({ action: 'restore', engine: 'criu', criuPath: 'criu' });
  assert.equal(c.program, 'unshare');
  assert.equal(c.keeper, true);
  const sh = c.args.indexOf(KEEPER_SCRIPT);
  assert.ok(sh > 0);
  const criuArgs = c.args.slice(sh + 4);
  assert.equal(criuArgs[0], 'criu');
  assert.equal(criuArgs[1], 'restore');
  const rootfs = f.snapshot.config!.entries.find((e) => e.key === 'lxc.rootfs.path')!.value.replace(/^dir:/, '');
  assert.deepEqual(criuArgs.slice(criuArgs.indexOf('--root'), criuArgs.indexOf('--root') + 2), ['--root', rootfs]);
  assert.equal(c.args[sh + 2], rootfs, 'the keeper bind-mounts the rootfs on itself');
  for (const o of ['--restore-detached', '--restore-sibling', '--tcp-established']) assert.ok(criuArgs.includes(o), o);
  assert.equal(c.pidFile, `${DIR}/ctcr-restore.pid`);
  const veth = criuArgs[criuArgs.findIndex((a, i) => criuArgs[i - 1] === '--external' && a.startsWith('veth['))];
  assert.equal(veth, 'veth[eth0]:vethabc1230@ctcrlab0');

  const old = build({ action: 'restore', engine: 'criu', criuVersion: '2.7' });
  assert.ok(old.args.includes('eth0=vethabc1230@ctcrlab0'), 'CRIU before 2.8: --veth-pair');
});

test('criu engine, restore: the options the dump recorded come back', () => {
  const record = {
    ctcr: '0.1.0',
    engine: 'criu' as const,
    container: { name: 'c', lxcpath: '/l' },
    criuVersion: '4.2.1',
    at: '2026-01-01T00:00:00Z',
    options: [
      { words: ['--evasive-devices'], why: 'LXC bind-mounted device nodes' },
      { words: ['--skip-in-flight'], why: 'dump only' },
      { words: ['-t', '42'], why: 'engine' },
    ],
  };
  const c = build({ action: 'restore', engine: 'criu', record });
  assert.ok(c.args.includes('--evasive-devices'));
  assert.ok(!c.args.includes('--skip-in-flight'), 'a dump-only option stays with the dump');
  assert.ok(!c.args.includes('-t'));
});

test('host device nodes bind-mounted into /dev call for --evasive-devices', () => {
  const f = running();
  const mounts = f.snapshot.container!.mountinfo;
  assert.ok(mounts.ok);
  assert.ok(!criuSees(build({ fixture: f })).includes('--evasive-devices'), 'not for the recorded (privileged) container');
  mounts.value.push({ ...mounts.value[0]!, mountId: 999, mountPoint: '/dev/null', root: '/null', fstype: 'devtmpfs', source: 'udev' });
  const c = build({ fixture: f });
  assert.deepEqual(parseCriuConfig(c.configFile!), ['--evasive-devices']);
  assert.match(c.options.find((o) => o.words[0] === '--evasive-devices')!.why, /\/dev\/null/);
});

test('for every CRIU version and option: nothing absent from that CRIU, nothing restore-only on a dump', () => {
  const versions = ['2.0', '2.8', '3.11', '3.15', '3.16', '3.17', '3.19', '4.0', '4.2'];
  const asking = CRIU_OPTIONS.filter((o) => o.scope !== 'check' && o.arg !== 'optional').map((o) =>
    finding(`asks-${o.long}`, 'info', o.arg === 'none' ? [`--${o.long}`] : [`--${o.long}`, o.values?.[0]?.value ?? 'x']),
  );
  for (const engine of ['lxc', 'criu'] as const) {
    for (const action of ['dump', 'restore'] as const) {
      for (const v of versions) {
        const c = build({ engine, action, criuVersion: v, findings: asking });
        const version = parseVersion(v)!;
        for (const o of c.options.filter((x) => x.route !== 'lxc-checkpoint' && x.source !== 'engine')) {
          const status = optionStatus(o.words[0]!, version, action, o.words[1]);
          assert.ok(status.verdict === 'ok' || status.verdict === 'deprecated', `${engine} ${action} CRIU ${v}: ${o.words.join(' ')} is ${status.verdict}`);
        }
        const words = criuSees(c);
        if (action === 'dump') assert.ok(!words.includes('--mntns-compat-mode') && !words.includes('--root'), `${engine} dump ${v}`);
        if (action === 'restore') assert.ok(!words.includes('--network-lock') && !words.includes('-t'), `${engine} restore ${v}`);
      }
    }
  }
});

test('the keeper reports criu’s exit status on a line of its own', () => {
  assert.equal(keeperExitCode('ctcr-criu-exit 0\n'), 0);
  assert.equal(keeperExitCode('noise\nctcr-criu-exit 1\n'), 1);
  assert.equal(keeperExitCode('nothing'), undefined);
});

test('criu engine, dump: file locks and unlinked-but-linked files of the tree call for --file-locks and --link-remap (lxc-checkpoint passes both itself)', () => {
  const plain = build({ engine: 'criu' });
  assert.ok(!plain.args.includes('--file-locks') && !plain.args.includes('--link-remap'), 'not without their cause');
  const f = running();
  const c = f.snapshot.container!;
  assert.ok(c.processes.ok);
  const holder = c.processes.value.find((p) => p.inTree !== false)!;
  // As /proc/locks prints a flock(1) lock: "1: FLOCK  ADVISORY  WRITE 1234 fe:00:1489486 0 EOF".
  c.locks = { ok: true, value: [{ id: 1, kind: 'FLOCK', mode: 'ADVISORY', type: 'WRITE', pid: holder.pid, device: 'fe:00:1489486', inode: 1489486, start: '0', end: 'EOF' }] };
  holder.fds = { ok: true, value: [{ fd: 3, link: '/root/a (deleted)', kind: 'deleted', path: '/root/a', nlink: 1, size: 3 << 20 }] };
  const k = build({ engine: 'criu', fixture: f });
  assert.ok(k.args.includes('--file-locks'));
  assert.ok(k.args.includes('--link-remap'));
  assert.match(k.options.find((o) => o.words[0] === '--file-locks')!.why, /1 file lock held by the container's tasks \(FLOCK\)/);
  assert.match(k.options.find((o) => o.words[0] === '--link-remap')!.why, /\/root\/a \(PID \d+\)/);
  // a lock of a task outside the tree, a ghost file (nlink 0): neither
  c.locks = { ok: true, value: [{ id: 1, kind: 'POSIX', mode: 'ADVISORY', type: 'WRITE', pid: 999999, device: 'fe:00:1', inode: 1, start: '0', end: 'EOF' }] };
  holder.fds = { ok: true, value: [{ fd: 3, link: '/root/b (deleted)', kind: 'deleted', path: '/root/b', nlink: 0, size: 10 }] };
  const n = build({ engine: 'criu', fixture: f });
  assert.ok(!n.args.includes('--file-locks') && !n.args.includes('--link-remap'));
  // lxc-checkpoint passes both itself: nothing is added to its config file
  c.locks = { ok: true, value: [{ id: 1, kind: 'FLOCK', mode: 'ADVISORY', type: 'WRITE', pid: holder.pid, device: 'fe:00:1', inode: 1, start: '0', end: 'EOF' }] };
  const l = build({ engine: 'lxc', fixture: f });
  assert.ok(!(l.configFile ? parseCriuConfig(l.configFile) : []).includes('--file-locks'));
});
