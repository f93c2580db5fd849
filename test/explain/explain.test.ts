/**
 * `ctcr explain` as users run it: on real logs the lab produced (each failure
 * the field notes describe), on excerpts of the kinds users post in issues
 * (pasted, quoted, CRLF), on stdin, and on legacy command lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ctcr, isOneLineError } from '../helpers/cli.js';
import { FIXTURES_DIR, listFixtures } from '../criu/fixtures.js';

interface Sidecar {
  ruleId: string | null;
  line: number | null;
  outcome?: string;
  messageIncludes?: string;
}

interface JsonReport {
  results: { target: string; notes?: string[]; findings: { ruleId: string; severity: string; message: string; line: number; fix?: { description: string } }[] }[];
}

const sidecar = (rel: string) => JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${rel}.expected.json`), 'utf8')) as Sidecar;

async function explainJson(args: string[], input?: string): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
  const r = await ctcr(['explain', ...args, '--format', 'json'], input !== undefined ? { input } : {});
  assert.equal(r.stderr.includes('internal error'), false, r.stderr);
  return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const labLogs = listFixtures('criu-logs/lab').filter((f) => f.endsWith('.log'));

test('the lab produced a log for each failure the field notes describe', () => {
  const ids = new Set(labLogs.map((f) => sidecar(`criu-logs/lab/${f}`).ruleId));
  for (const id of ['tty-nonzero', 'network-lock-unavailable', 'apparmor-unavailable', 'bind-mount-restore', 'criu-option', 'criu-kernel-mismatch']) assert.ok(ids.has(id), id);
});

for (const file of labLogs) {
  test(`ctcr explain on the lab's real ${file}`, async () => {
    const want = sidecar(`criu-logs/lab/${file}`);
    const { exitCode, report } = await explainJson([path.join(FIXTURES_DIR, 'criu-logs', 'lab', file)]);
    const findings = report.results[0]!.findings;
    if (want.ruleId === null) {
      assert.equal(findings.length, 0, JSON.stringify(findings));
      assert.equal(exitCode, 0, 'a successful log is not a failure');
      return;
    }
    assert.equal(findings[0]?.ruleId, want.ruleId);
    assert.equal(findings[0]?.line, want.line, 'the root error, not the cascade after it');
    assert.ok(findings[0]?.fix?.description, 'a fix is named');
    if (want.messageIncludes) assert.ok(findings[0]!.message.includes(want.messageIncludes), findings[0]!.message);
    assert.equal(exitCode, findings[0]!.severity === 'error' ? 1 : 0);
  });
}

test('excerpts users post publicly (issue threads, pasted logs): the same rule id through the CLI', async () => {
  const publicLogs = listFixtures('criu-logs').filter((f) => f.endsWith('.log') && !f.startsWith('lab/'));
  assert.ok(publicLogs.length >= 20, `${publicLogs.length} public excerpts`);
  for (const file of publicLogs) {
    const want = sidecar(`criu-logs/${file}`);
    const { report } = await explainJson([path.join(FIXTURES_DIR, 'criu-logs', file)]);
    const first = report.results[0]!.findings[0];
    assert.equal(first?.ruleId ?? null, want.ruleId, file);
    if (want.line !== null) assert.equal(first?.line, want.line, file);
  }
});

test('a pasted excerpt from stdin: quoted with "> ", CRLF line ends, no timestamps', async () => {
  const pasted = [
    '> I get this when I run lxc-checkpoint:',
    '> Error (criu/tty.c:2399): tty: Unable to find a master for /dev/tty3',
    '> Error (criu/cr-dump.c:1545): Dump files (pid: 1) failed with -1',
    '> Error (criu/cr-dump.c:1975): Dumping FAILED.',
  ].join('\r\n');
  const { exitCode, report } = await explainJson(['-'], pasted);
  assert.equal(report.results[0]!.target, '<stdin>');
  assert.equal(report.results[0]!.findings[0]!.ruleId, 'tty-nonzero');
  assert.equal(report.results[0]!.findings[0]!.line, 2);
  assert.equal(exitCode, 1);
});

test('the default stylish output names the cause, the fix and the root line', async () => {
  const log = path.join(FIXTURES_DIR, 'criu-logs', 'lab', 'mntv2-symlink-bind-restore-criu4.2.1-linux6.18.log');
  const r = await ctcr(['explain', log]);
  assert.equal(r.exitCode, 1);
  assert.match(r.stdout, /472:1\s+error\s+.*bind-mount-restore/);
  assert.match(r.stdout, /fix: .*mntns-compat-mode/);
  assert.match(r.stdout, /root error at line 472/);
});

test('SARIF and GitHub formats carry explain-only rule ids with metadata', async () => {
  const log = path.join(FIXTURES_DIR, 'criu-logs', 'lab', 'lxc-attach-host-fd-dump-criu4.2.1-linux6.18.log');
  const sarif = await ctcr(['explain', log, '--format', 'sarif']);
  const run = (JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex?: number }[] }[] }).runs[0]!;
  assert.equal(run.results[0]!.ruleId, 'external-file');
  assert.equal(run.tool.driver.rules[run.results[0]!.ruleIndex!]!.id, 'external-file');
  const gh = await ctcr(['explain', log, '--format', 'github']);
  assert.match(gh.stdout, /^::error file=.*line=1766.*title=ctcr external-file::/m);
});

test('--command: the 2014 LXC page’s commands against the installed CRIU (or 4.2): what is gone, what replaces it', async () => {
  const dump = 'criu dump --tcp-established -n net -n mnt -n ipc -n pid --action-script "net-script.sh" -D dump/ -o dump.log -t 42';
  const { exitCode, report } = await explainJson(['--command', dump, '--criu-version', '4.2']);
  const f = report.results[0]!.findings;
  assert.equal(exitCode, 1);
  assert.equal(f.filter((x) => /^-n /.test(x.message)).length, 4, 'each -n reported');
  assert.ok(f.every((x) => x.ruleId === 'criu-option'));
  assert.match(f[0]!.message, /removed in CRIU 2\.2/);
  assert.equal(f[0]!.line, 1);
  assert.equal(f[0]!.fix?.description.includes('criu dump --tcp-established --action-script net-script.sh -D dump/ -o dump.log -t 42'), true, f[0]!.fix?.description);
  assert.ok(report.results[0]!.notes!.some((n) => n.includes('judged against CRIU 4.2 (--criu-version)')));

  const restore = 'criu restore -n net -n mnt --veth-pair eth0=veth101 --root /ct -D data/ -o restore.log';
  const r = await explainJson(['--command', restore, '--criu-version', '4.2']);
  const veth = r.report.results[0]!.findings.find((x) => x.message.startsWith('--veth-pair'))!;
  assert.equal(veth.severity, 'warning', 'still accepted, but undocumented');
  assert.match(veth.fix!.description, /--external veth\[eth0\]:veth101/);

  // CRIU 2.1 still took -n (with a warning): not an error there
  const old = await explainJson(['--command', restore, '--criu-version', '2.1']);
  assert.ok(old.report.results[0]!.findings.filter((x) => x.message.startsWith('-n')).every((x) => x.severity === 'warning'));
});

test('--command with a restore-only option on a dump, and a clean command', async () => {
  const bad = await explainJson(['--command', 'criu dump -t 1 -D d --mntns-compat-mode', '--criu-version', '4.2']);
  assert.match(bad.report.results[0]!.findings[0]!.message, /only valid on restore/);
  const clean = await explainJson(['--command', 'criu dump -t 1 -D d --tcp-established', '--criu-version', '4.2']);
  assert.equal(clean.report.results[0]!.findings.length, 0);
  assert.equal(clean.exitCode, 0);
});

test('bad input: one line, exit 2', async () => {
  for (const args of [['explain'], ['explain', '/no/such/log'], ['explain', FIXTURES_DIR], ['explain', '--command', 'criu dump "unterminated']]) {
    const r = await ctcr(args);
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(isOneLineError(r.stderr), r.stderr);
  }
  const empty = await ctcr(['explain', '-'], { input: '' });
  assert.equal(empty.exitCode, 2);
});

test('input that is not a CRIU or LXC log (prose, a config, a binary): exit 2, one line saying so', async () => {
  const prose = 'Dear diary,\ntoday the container would not move.\nError: it is raining\n';
  const config = readFileSync(path.join(FIXTURES_DIR, 'configs', 'real', listFixtures('configs/real')[0]!), 'utf8');
  for (const input of [prose, config]) {
    const r = await ctcr(['explain', '-'], { input });
    assert.equal(r.exitCode, 2, r.stdout);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.match(r.stderr, /<stdin>: not a CRIU or LXC log: no line of it is CRIU's/);
  }
  // The first bytes of a gzip'd image directory, as someone might pass a tarball instead of dump.log.
  const binary = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xed, 0x5d, 0x6b, 0x73, 0xdb, 0x36, 0x00, 0x41, 0x42]).toString('latin1');
  const r = await ctcr(['explain', '-'], { input: binary });
  assert.equal(r.exitCode, 2, r.stdout);
  assert.ok(isOneLineError(r.stderr), r.stderr);
  assert.match(r.stderr, /not a CRIU or LXC log: binary data/);
});

test(
  'a successful restore log at CRIU’s default level (no end marker) is not a failure',
  async () => {
    const { exitCode, report } = await explainJson([path.join(FIXTURES_DIR, 'run', 'success-restore-default-level-criu4.2.1-linux6.18.log')]);
    assert.equal(report.results[0]!.findings.length, 0, JSON.stringify(report.results[0]!.findings));
    assert.equal(exitCode, 0);
  },
);

test('a successful dump log at the default level explains nothing', async () => {
  const { exitCode, report } = await explainJson([path.join(FIXTURES_DIR, 'run', 'success-dump-default-level-criu4.2.1-linux6.18.log')]);
  assert.equal(report.results[0]!.findings.length, 0);
  assert.equal(exitCode, 0);
  assert.ok(report.results[0]!.notes!.some((n) => /no end marker/.test(n)));
});
