/**
 * `ctcr doctor` as a user runs it, on machines the test makes up: an empty
 * PATH is a host without LXC and CRIU; a folder with container directories
 * is an lxcpath whose containers are stopped (no LXC monitor runs for them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcr, isOneLineError, REPO } from '../helpers/cli.js';

interface JsonReport {
  results: { target: string; verdict?: string; notes?: string[]; findings: { ruleId: string; severity: string; file: string; line: number; message: string }[] }[];
  summary: { error: number; warning: number; info: number };
}

/** An environment whose PATH has nothing: no criu, no lxc-*, no tar, no ip. */
async function bareEnv(): Promise<Record<string, string>> {
  const empty = await mkdtemp(path.join(tmpdir(), 'ctcr-doctor-path-'));
  const home = await mkdtemp(path.join(tmpdir(), 'ctcr-doctor-home-'));
  return { PATH: empty, HOME: home };
}

/** An lxcpath with the busybox template's containers (stopped), by name. */
async function lxcpathWith(containers: Record<string, string>): Promise<string> {
  const lxcpath = await mkdtemp(path.join(tmpdir(), 'ctcr-doctor-lxc-'));
  for (const [name, config] of Object.entries(containers)) {
    await mkdir(path.join(lxcpath, name, 'rootfs'), { recursive: true });
    await writeFile(path.join(lxcpath, name, 'config'), config.replaceAll('/var/lib/lxc/bb', path.join(lxcpath, name)));
  }
  return lxcpath;
}

const busyboxConfig = () => readFile(path.join(REPO, 'fixtures', 'doctor', 'busybox-config'), 'utf8');

test('a host without LXC and CRIU: says so plainly, NOT READY, exit 1, no stack trace', async () => {
  const lxcpath = await lxcpathWith({});
  const r = await ctcr(['doctor', '-P', lxcpath], { env: await bareEnv() });
  assert.equal(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, /^host: NOT READY$/m);
  assert.match(r.stdout, /error\s+CRIU is not installed: there is no criu on PATH/);
  assert.match(r.stdout, /error\s+LXC is not installed/);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at |internal error/);
  assert.match(r.stderr, new RegExp(`no container in ${lxcpath}: only the host was inspected`));
});

test('the same as JSON: host verdict and the two findings on the host target', async () => {
  const r = await ctcr(['doctor', '-P', await lxcpathWith({}), '-f', 'json'], { env: await bareEnv() });
  assert.equal(r.exitCode, 1);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.equal(report.results.length, 1);
  const [host] = report.results;
  assert.equal(host!.target, 'host');
  assert.equal(host!.verdict, 'NOT READY');
  const ids = host!.findings.map((f) => f.ruleId);
  for (const id of ['criu-missing', 'lxc-missing']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  for (const f of host!.findings) assert.deepEqual([f.file, f.line], ['host', 0]);
});

test('a stopped container: its static and live findings, and the host NOT READY carried to its verdict', async () => {
  const lxcpath = await lxcpathWith({ bb: await busyboxConfig() });
  const r = await ctcr(['doctor', 'bb', '-P', lxcpath, '-f', 'json'], { env: await bareEnv() });
  assert.equal(r.exitCode, 1, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(report.results.map((x) => [x.target, x.verdict]), [['host', 'NOT READY'], ['bb', 'NOT READY']]);
  const bb = report.results[1]!;
  const ids = bb.findings.map((f) => f.ruleId);
  assert.ok(ids.includes('container-not-running'), ids.join(', '));
  assert.ok(ids.includes('tty-nonzero'), 'the static rules run on the real config');
  // Host facts are reported once, on the host, not again under each container.
  assert.ok(!ids.includes('criu-missing') && !ids.includes('lxc-missing'), ids.join(', '));
  assert.ok(bb.notes?.some((n) => /^STOPPED/.test(n)), JSON.stringify(bb.notes));
  assert.ok(bb.notes?.some((n) => /the host is NOT READY \(\d+ errors? under host\)/.test(n)), JSON.stringify(bb.notes));
});

test('positional names, -n and no name all find the containers; -q shows errors only', async () => {
  const config = await busyboxConfig();
  const lxcpath = await lxcpathWith({ b1: config, b2: config });
  const env = await bareEnv();
  const all = JSON.parse((await ctcr(['doctor', '-P', lxcpath, '-f', 'json'], { env })).stdout) as JsonReport;
  assert.deepEqual(all.results.map((x) => x.target), ['host', 'b1', 'b2']);
  const byFlag = JSON.parse((await ctcr(['doctor', '-n', 'b2', '-P', lxcpath, '-f', 'json', '-q'], { env })).stdout) as JsonReport;
  assert.deepEqual(byFlag.results.map((x) => x.target), ['host', 'b2']);
  assert.ok(byFlag.results.every((x) => x.findings.every((f) => f.severity === 'error')));
});

test('a container that does not exist: one line, exit 2', async () => {
  const r = await ctcr(['doctor', 'nosuch', '-P', await lxcpathWith({})], { env: await bareEnv() });
  assert.equal(r.exitCode, 2);
  assert.ok(isOneLineError(r.stderr), r.stderr);
  assert.match(r.stderr, /no container 'nosuch' in .*-P names another lxcpath/);
});

test('a container whose config LXC would reject: exit 2 with file and line, the others still judged', async () => {
  const lxcpath = await lxcpathWith({ good: await busyboxConfig(), bad: 'lxc.uts.name = bad\nlxc.tty.max\n' });
  const r = await ctcr(['doctor', '-P', lxcpath, '-f', 'json'], { env: await bareEnv() });
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, new RegExp(`${path.join(lxcpath, 'bad', 'config')}:2`));
  assert.deepEqual((JSON.parse(r.stdout) as JsonReport).results.map((x) => x.target), ['host', 'good']);
});

test('flag mistakes are input errors', async () => {
  const env = await bareEnv();
  const lxcpath = await lxcpathWith({ bb: await busyboxConfig() });
  for (const [args, pattern] of [
    [['doctor', '-P', lxcpath, '-D', '/tmp/x'], /-D names the checkpoint directory of one container/],
    [['doctor', 'bb', '-P', lxcpath, '--restore'], /--restore checks a restore from a checkpoint directory/],
    [['doctor', 'bb', '-P', lxcpath, '--probe-timeout', '0'], /--probe-timeout 0/],
    [['doctor', 'bb', '-P', lxcpath, '--suggestions'], /add --fix/],
  ] as const) {
    const r = await ctcr([...args], { env });
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.match(r.stderr, pattern);
  }
});

test('--restore -D on a stopped container: checks the checkpoint directory, not the running tree', async () => {
  const lxcpath = await lxcpathWith({ bb: (await busyboxConfig()) + 'lxc.console.path = none\n' });
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-doctor-ckpt-'));
  await writeFile(path.join(dir, 'inventory.img'), '');
  await writeFile(path.join(dir, 'tty.info'), 'tty[8801:d]');
  const r = await ctcr(['doctor', 'bb', '-P', lxcpath, '-D', dir, '--restore', '-f', 'json'], { env: await bareEnv() });
  const bb = (JSON.parse(r.stdout) as JsonReport).results.find((x) => x.target === 'bb')!;
  const ids = bb.findings.map((f) => f.ruleId);
  assert.ok(ids.includes('console-mismatch'), ids.join(', '));
  assert.ok(!ids.includes('container-not-running'), 'a restore wants it stopped');
  assert.ok(!ids.includes('checkpoint-dir-used'), 'a restore wants a checkpoint there');
  assert.ok(bb.notes?.some((n) => n.includes(`checkpoint directory ${dir}: holds a checkpoint made with a console`)), JSON.stringify(bb.notes));
});

test('--fix-dry-run --rule: the diff of what it would change on stdout, the verdicts after it on stderr, nothing written', async () => {
  const config = await busyboxConfig();
  const lxcpath = await lxcpathWith({ bb: config });
  const r = await ctcr(['doctor', 'bb', '-P', lxcpath, '--fix-dry-run', '--rule', 'tty-nonzero'], { env: await bareEnv() });
  assert.equal(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, /^-lxc\.tty\.max = 5$/m);
  assert.match(r.stdout, /^\+lxc\.tty\.max = 0$/m);
  assert.match(r.stderr, /^bb: NOT READY$/m);
  assert.doesNotMatch(r.stderr, /tty-nonzero$/m, 'the finding it would fix is gone from what remains');
  assert.equal(await readFile(path.join(lxcpath, 'bb', 'config'), 'utf8'), config.replaceAll('/var/lib/lxc/bb', path.join(lxcpath, 'bb')));
});
