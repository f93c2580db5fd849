/**
 * `ctcr doctor NAME --target HOST` end to end, without an ssh server: the
 * ssh command is a script that does what ssh does with its arguments (skips
 * the options up to `--` and the host, hands the remote line to a shell), so
 * the quoting of the remote words is exercised as ssh would. The target's
 * ctcr is this checkout's. (The lab's real OpenSSH target: test/migrate/lab-*.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ctcr, REPO } from '../helpers/cli.js';

interface JsonReport {
  results: { target: string; verdict?: string; notes?: string[]; findings: { ruleId: string; severity: string; file: string; line: number; message: string }[] }[];
}

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-doctor-target-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const ssh = path.join(dir, 'fake ssh');
  await writeFile(ssh, '#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift; shift\nexec sh -c "$*"\n');
  await chmod(ssh, 0o755);
  const source = path.join(dir, 'lxc a');
  const target = path.join(dir, 'lxc b');
  const config = (await readFile(path.join(REPO, 'fixtures', 'doctor', 'busybox-config'), 'utf8')).replaceAll('/var/lib/lxc/bb', path.join(source, 'bb'));
  await mkdir(path.join(source, 'bb', 'rootfs'), { recursive: true });
  await writeFile(path.join(source, 'bb', 'config'), config);
  await mkdir(target, { recursive: true });
  const args = ['doctor', 'bb', '-P', source, '--target', 'host2', '--ssh-command', `'${ssh}'`, '--remote-ctcr', `${process.execPath} ${CLI}`, '--target-lxcpath', target, '-f', 'json'];
  return { dir, source, target, args };
}

test('doctor --target: the target is read over the ssh command, and its findings are a target of their own', async (t) => {
  const { target, args } = await setup(t);
  await mkdir(path.join(target, 'bb'));
  const r = await ctcr(args);
  assert.equal(r.exitCode, 1, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(report.results.map((x) => x.target), ['host', 'target host2', 'bb']);
  const [, targetResult, container] = report.results;
  assert.match(targetResult!.notes![0]!, /lxcpath .*lxc b, images to \/var\/tmp\/ctcr-migrate\/bb/);
  const taken = container!.findings.find((f) => f.ruleId === 'target-name-taken');
  assert.ok(taken, JSON.stringify(container!.findings.map((f) => f.ruleId)));
  assert.match(taken.message, /^target host2: .*lxc b\/bb already exists/);
  assert.equal(container!.verdict, 'NOT READY');
  // The recorded bind sources (/lib, /usr/lib ...) were asked about and exist on this "target".
  assert.ok(!container!.findings.some((f) => f.ruleId === 'target-bind-source-missing'), 'bind sources exist here');
});

test('doctor --target: an ssh that fails is target-facts-unavailable, NOT READY, exit 1', async (t) => {
  const { args } = await setup(t);
  const i = args.indexOf('--ssh-command');
  args[i + 1] = 'false';
  const r = await ctcr(args);
  assert.equal(r.exitCode, 1, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  const targetResult = report.results.find((x) => x.target === 'target host2')!;
  assert.equal(targetResult.verdict, 'NOT READY');
  assert.deepEqual(targetResult.findings.map((f) => f.ruleId), ['target-facts-unavailable']);
  assert.match(targetResult.findings[0]!.message, /^target host2: cannot read its facts: false .*exited with code 1/);
});

test('doctor --target and migrate: usage errors are one line, exit 2', async () => {
  for (const args of [['doctor', '--target', 'h'], ['doctor', 'a', 'b', '--target', 'h'], ['doctor', 'a', '--target', '-oProxyCommand=x'], ['doctor', 'a', '--ssh-command', 'ssh'], ['migrate', 'a'], ['migrate', 'a', '--to', '-oProxyCommand=x'], ['migrate', 'a/b', '--to', 'h'], ['migrate', 'a', '--to', 'h', '--pre-dumps', '-1']]) {
    const r = await ctcr(args);
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
