/**
 * ctcr migrate for real: lab containers (busybox, fixed with ctcr fix
 * --suggestions, a counter started by its rcS) move from the lab's lxcpath to
 * the target lxcpath over the lab's loopback sshd (lab/ssh-host.ts). The
 * kernel is shared, so the refusals use what a second lxcpath, another
 * network namespace, another PATH and a small filesystem can really differ
 * in; the rest is in the target rules' recorded cases.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { labTest, scratchDir } from '../helpers/lab.js';
import { ctcr, CLI } from '../helpers/cli.js';
import { createContainer, destroyContainer, ensureSshHost, containerState, refreshInitPid, TARGET_LXCPATH, type LabContainer, type SshHost } from '../../lab/index.js';
import type { MoveResult } from '../../src/migrate/move.js';

const REMOTE_CTCR = `${process.execPath} ${CLI}`;
const COUNTER = "/bin/sh -c 'i=0; while :; do i=$((i+1)); echo $i > /counter; sleep 0.1; done' &";

/** A running busybox container named migrate-*, in the state ctcr checkpoint accepts, counting in /counter; destroyed on both sides afterwards. */
async function counterContainer(t: TestContext): Promise<LabContainer> {
  const name = `migrate-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const c = await createContainer({ name, start: false });
  t.after(async () => {
    await destroyContainer({ name, lxcpath: TARGET_LXCPATH }).catch(() => undefined);
    await destroyContainer(c);
  });
  const rcs = path.join(c.rootfs, 'etc/init.d/rcS');
  await writeFile(rcs, (await readFile(rcs, 'utf8')).replace('/bin/udhcpc', `${COUNTER}\n/bin/udhcpc`));
  // Its fixes need a running container to be judged, not to be applied: fix exits 1 on the STOPPED finding.
  try {
    execFileSync(process.execPath, [CLI, 'fix', name, '-P', c.lxcpath, '--suggestions'], { stdio: 'ignore' });
  } catch { /* exit 1: container-not-running remains */ }
  execFileSync('lxc-start', ['-n', name, '-P', c.lxcpath]);
  execFileSync('lxc-wait', ['-n', name, '-P', c.lxcpath, '-s', 'RUNNING', '-t', '30']);
  await refreshInitPid(c);
  await counterAbove(path.join(c.rootfs, 'counter'), 0);
  return c;
}

async function counter(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8').catch(() => '0')).trim()) || 0;
}

/** Waits (up to 5 s) until the counter file shows more than `n`. */
async function counterAbove(file: string, n: number): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const v = await counter(file);
    if (v > n) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} did not go above ${n} (still ${await counter(file)})`);
}

function migrateArgs(ssh: SshHost, c: LabContainer, images: string, extra: string[] = []): string[] {
  return ['migrate', c.name, '-P', c.lxcpath, '--to', ssh.host, '--ssh-command', ssh.sshCommand, '--remote-ctcr', REMOTE_CTCR,
    '--target-lxcpath', ssh.targetLxcpath, '--images-dir', path.join(images, 'here'), '--target-images-dir', path.join(images, 'there'), ...extra];
}

labTest('migrate: a container with a running counter moves over ssh to the target lxcpath and goes on counting there', async (t) => {
  const ssh = await ensureSshHost();
  const c = await counterContainer(t);
  const images = scratchDir(t, 'migrate-');
  const r = await ctcr([...migrateArgs(ssh, c, images), '-f', 'json']);
  assert.equal(r.exitCode, 0, r.stderr);
  const { result } = JSON.parse(r.stdout) as { result: MoveResult };
  assert.equal(result.runsOn, 'target');
  assert.ok(result.bytesSent > 0 && result.downtimeMs! > 0 && result.frozenMs !== undefined, JSON.stringify(result));
  // Pre-dumps run only where CRIU can track dirty memory (the lab's 6.18 kernel has no soft-dirty bits): then the run says so.
  if (result.preDumpIterations === 0) assert.match(r.stderr, /no pre-dump: this kernel cannot track dirty memory/);
  else assert.match(r.stderr, /pre-dump 1 \(running\): done/);
  assert.match(r.stderr, /checkpoint here \(the freeze\): done/);
  assert.equal(await containerState({ name: c.name, lxcpath: TARGET_LXCPATH }), 'RUNNING');
  assert.equal(await containerState(c), 'STOPPED', 'never on both');
  // The images are removed on both sides once it runs there (the target's folder too, being empty).
  assert.ok(!existsSync(path.join(images, 'there')), 'images left on the target');
  assert.deepEqual(existsSync(path.join(images, 'here')) ? readdirSync(path.join(images, 'here')) : [], [], 'images left here');
  // The source's last value is where the target went on from: not restarted at 1.
  const atFreeze = await counter(path.join(c.rootfs, 'counter'));
  const there = path.join(TARGET_LXCPATH, c.name, 'rootfs', 'counter');
  const first = await counter(there);
  assert.ok(first >= atFreeze, `target counter ${first} < ${atFreeze} at the freeze`);
  await counterAbove(there, first);
});

labTest('migrate: refused before the freeze when the name is taken, the bridge is missing, criu check fails or the disk is too small there', async (t) => {
  const ssh = await ensureSshHost();
  const c = await counterContainer(t);
  const images = scratchDir(t, 'migrate-');
  const pid = c.initPid;
  const refused = async (why: string, extra: string[], rule: string, remoteCtcr = REMOTE_CTCR) => {
    const args = migrateArgs(ssh, c, images, [...extra, '-f', 'json']);
    args[args.indexOf('--remote-ctcr') + 1] = remoteCtcr;
    const r = await ctcr(args);
    assert.equal(r.exitCode, 1, `${why}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`not migrating ${c.name}: .*${rule}`), why);
    assert.doesNotMatch(r.stderr, /checkpoint here|copy the container/, `${why}: nothing was copied or frozen`);
    assert.equal(await containerState(c), 'RUNNING', why);
    assert.equal(await refreshInitPid(c), pid, `${why}: the same init`);
  };

  // The name taken in the target lxcpath.
  const taken = path.join(TARGET_LXCPATH, c.name);
  await mkdir(taken, { recursive: true });
  await writeFile(path.join(taken, 'config'), 'lxc.uts.name = other\n');
  try {
    await refused('name taken', [], 'target-name-taken');
  } finally {
    await rm(taken, { recursive: true, force: true });
  }
  // A target without the lab bridge: its ctcr runs in a network namespace of its own (only lo, up: CRIU's kerndat needs it),
  // with a sysfs of that namespace mounted in a private mount namespace (/sys/class/net otherwise shows the host's).
  await refused('bridge missing', [], 'target-bridge-missing', `unshare --net --mount sh -c 'mount -t sysfs none /sys && ip link set lo up && exec "$0" "$@"' ${REMOTE_CTCR}`);
  // A criu on the target's PATH that fails criu check.
  const bin = scratchDir(t, 'fake-criu-');
  await writeFile(path.join(bin, 'criu'), '#!/bin/sh\nif [ "$1" = check ]; then echo "Error (criu/cr-check.c:1650): test wrapper: Does not look good."; exit 1; fi\nexec /usr/local/sbin/criu "$@"\n');
  await chmod(path.join(bin, 'criu'), 0o755);
  await refused('failing criu check', [], 'target-criu-check', `env PATH=${bin}:${process.env.PATH} ${REMOTE_CTCR}`);
  // Too little disk where the images go: a 1 MiB tmpfs.
  const small = scratchDir(t, 'small-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'ctcr-migrate-small', small]);
  try {
    const args = ['--target-images-dir', path.join(small, 'images')];
    const r = await ctcr([...migrateArgs(ssh, c, images).filter((_, i, a) => a[i - 1] !== '--target-images-dir' && a[i] !== '--target-images-dir'), ...args]);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stdout + r.stderr, /target-disk-space/);
    assert.equal(await containerState(c), 'RUNNING');
  } finally {
    execFileSync('umount', [small]);
  }
  // The pre-dump a migration would run where CRIU tracks dirty memory: lxc-checkpoint's own -p and --predump-dir.
  const dry = await ctcr(['checkpoint', c.name, '-P', c.lxcpath, '-D', path.join(images, 'pre-2'), '--pre-dump', '--predump-dir', '../pre-1', '--dry-run']);
  assert.equal(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, /lxc-checkpoint -P \S+ -n \S+ -D \S+pre-2 -p --predump-dir \.\.\/pre-1/);
  assert.doesNotMatch(dry.stdout, / -s( |$)/m, 'a pre-dump leaves it running');
});

labTest('migrate: the connection dropped while the images are sent: the container runs again on the source, not on the target', async (t) => {
  const ssh = await ensureSshHost();
  const c = await counterContainer(t);
  const images = scratchDir(t, 'migrate-');
  // An ssh that loses the connection (kills the transfer) on the third rsync: the first two copy the container folder (running, then
  // frozen), the third sends the images (rsync -s sends paths inside its protocol, so the call is told by its order). Others go through.
  const wrapper = path.join(images, 'flaky-ssh');
  const count = path.join(images, 'rsync-calls');
  await writeFile(wrapper, `#!/bin/sh\ncase "$*" in *"rsync --server"*) n=$(( $(cat ${count} 2>/dev/null || echo 0) + 1 )); echo $n > ${count}; if [ $n -eq 3 ]; then ${ssh.sshCommand} "$@" & pid=$!; sleep 0.05; kill -9 $pid; exit 255; fi;; esac\nexec ${ssh.sshCommand} "$@"\n`);
  await chmod(wrapper, 0o755);
  const args = migrateArgs(ssh, c, images, ['-f', 'json']);
  args[args.indexOf('--ssh-command') + 1] = wrapper;
  const r = await ctcr(args);
  assert.equal(r.exitCode, 3, r.stderr);
  const { result } = JSON.parse(r.stdout) as { result: MoveResult };
  assert.equal(result.runsOn, 'source', JSON.stringify(result));
  assert.match(result.failure ?? '', /^send the images: rsync/);
  assert.match(result.rollback ?? '', /restored here from/);
  assert.equal(await containerState(c), 'RUNNING');
  assert.notEqual(await containerState({ name: c.name, lxcpath: TARGET_LXCPATH }), 'RUNNING');
  const file = path.join(c.rootfs, 'counter');
  await counterAbove(file, await counter(file));
});

labTest('migrate: SIGINT after the freeze rolls back: the container runs on the source again', async (t) => {
  const ssh = await ensureSshHost();
  const c = await counterContainer(t);
  const images = scratchDir(t, 'migrate-');
  const child = spawn(process.execPath, [CLI, ...migrateArgs(ssh, c, images, ['-f', 'json'])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    if (/checkpoint here \(the freeze\) \.\.\./.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 3, stderr);
  const { result } = JSON.parse(stdout) as { result: MoveResult };
  assert.equal(result.runsOn, 'source', stderr);
  assert.match(result.failure ?? '', /interrupted by SIGINT/);
  assert.equal(await containerState(c), 'RUNNING');
  assert.notEqual(await containerState({ name: c.name, lxcpath: TARGET_LXCPATH }), 'RUNNING');
});
