/** The harness's parts that do not need the lab: spawning and timing, CRIU's stats image, the report, the flags. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { parseTimeOutput, runCommand } from '../../bench/harness/spawn.js';
import { parseStatsImage } from '../../src/criu/stats.js';
import { BEGIN, END, formatValue, markdownTable, writeBenchmarksMd, type Outcome } from '../../bench/harness/report.js';
import { checkpointableConfig } from '../../bench/harness/lab.js';
import { optionIn } from '../../bench/measurements/common.js';
import { parseBenchArgs } from '../../bench/run.js';

const FIXTURES = fileURLToPath(new URL('../../../test/bench/fixtures/', import.meta.url));

test('runCommand: times a process, accepts the exit codes it is told, reports others with stderr', async () => {
  const ok = await runCommand({ label: 'exit 1 allowed', argv: [process.execPath, '-e', 'process.exit(1)'], okCodes: [0, 1] });
  assert.equal(ok.code, 1);
  assert.ok(ok.ms > 0);
  await assert.rejects(
    runCommand({ label: 'fails', argv: [process.execPath, '-e', 'console.error("boom here"); process.exit(3)'] }),
    /fails: exit 3: boom here/,
  );
  const out = await runCommand({ label: 'echo', argv: [process.execPath, '-e', 'process.stdout.write("x".repeat(200000))'] }, { captureStdout: true });
  assert.equal(out.stdout.length, 200000, 'captured stdout is whole');
});

test('runCommand: peak memory of a process that holds 150 MiB is at least that', async () => {
  const s = await runCommand({ label: 'alloc', argv: [process.execPath, '-e', 'const b = Buffer.alloc(150 * 2 ** 20, 1); console.log(b[5])'], memory: true });
  assert.ok(s.peakRssKiB !== undefined, 'a peak was read');
  assert.ok(s.peakRssKiB! >= 150 * 1024, `${s.peakRssKiB} KiB`);
});

test('runCommand: returns at exit even when a daemon it left holds its stderr (as lxc-checkpoint -r does)', async () => {
  const t0 = performance.now();
  const s = await runCommand({ label: 'leaves a child', argv: ['sh', '-c', 'sleep 3 & echo started >&2; exit 0'] });
  assert.equal(s.code, 0);
  assert.ok(performance.now() - t0 < 2500, 'did not wait for the background child');
  assert.match(s.stderr, /started/);
});

test("GNU time's output file: the last line is the figure, after a non-zero-exit notice", () => {
  assert.equal(parseTimeOutput('123456\n'), 123456);
  assert.equal(parseTimeOutput('Command exited with non-zero status 1\n98765\n'), 98765);
  assert.equal(parseTimeOutput(''), undefined);
});

test('CRIU stats-dump: a real one recorded on the lab decodes to its timings', () => {
  const s = parseStatsImage(readFileSync(path.join(FIXTURES, 'stats-dump'))).dump;
  assert.equal(s?.freezingTimeUs, 100979);
  assert.equal(s?.frozenTimeUs, 106839);
  assert.equal(s?.memdumpTimeUs, 2762);
  assert.equal(s?.memwriteTimeUs, 267);
});

test('CRIU stats-dump: a wrong magic or a cut image is rejected', () => {
  const real = readFileSync(path.join(FIXTURES, 'stats-dump'));
  const wrong = Buffer.from(real);
  wrong.writeUInt32LE(0x12345678, 4);
  assert.throws(() => parseStatsImage(wrong), /not the stats magic/);
  assert.throws(() => parseStatsImage(real.subarray(0, 20)), /only \d+ follow/);
});

test('report: values in their units, the table lists skips with their reason', () => {
  assert.equal(formatValue(1234, 'ms'), '1.23 s');
  assert.equal(formatValue(61.7, 'ms'), '62 ms');
  assert.equal(formatValue(1.234, 'ratio'), '1.23×');
  assert.equal(formatValue(880.4, 'per-second', 'configs'), '880 configs/s');
  const outcomes: Outcome[] = [
    {
      measurement: { id: 'x', title: 'X', target: '≤ 1 s', run: async () => ({ rows: [], notes: [] }) },
      result: { rows: [{ what: 'x: wall', figure: { value: { median: 900, min: 800, max: 1100, n: 5 }, unit: 'ms' }, target: { text: '≤ 1.00 s', verdict: { met: true, text: 'ok' } } }], notes: [] },
      seconds: 1,
    },
    { measurement: { id: 'y', title: 'Y', target: 't', run: async () => ({ rows: [], notes: [] }) }, skipped: 'not root', seconds: 0 },
  ];
  const md = markdownTable(outcomes);
  assert.match(md, /\| 1 \| X \| x: wall \| 900 ms \| 800 ms \| 1.10 s \|/);
  assert.match(md, /\| 2 \| Y \| — .*skipped: not root \|/);
});

test('BENCHMARKS.md: the generated part is replaced, what was written by hand stays', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-bench-md-'));
  try {
    const file = path.join(dir, 'BENCHMARKS.md');
    writeFileSync(file, `# Benchmarks\n\nintro\n\n${BEGIN}\nold table\n${END}\n\n## What was found\n\nhand-written\n`);
    writeBenchmarksMd(file, `${BEGIN}\nnew table\n${END}`);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /new table/);
    assert.doesNotMatch(text, /old table/);
    assert.match(text, /intro[\s\S]*new table[\s\S]*hand-written/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the checkpointable config: no ttys or console, no AppArmor keys, bind sources through symlinks made real', () => {
  const stock = [
    'lxc.apparmor.profile = generated',
    'lxc.apparmor.allow_nesting = 1',
    'lxc.tty.max = 5',
    'lxc.pty.max = 1',
    '#lxc.apparmor.profile = unconfined',
    'lxc.mount.entry = /lib lib none ro,bind 0 0',
    'lxc.mount.entry = /usr/lib usr/lib none ro,bind 0 0',
    'lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0',
    '',
  ].join('\n');
  const links: Record<string, string> = { '/lib': '/usr/lib' };
  const out = checkpointableConfig(stock, (p) => links[p]);
  assert.match(out, /^lxc\.tty\.max = 0$/m);
  assert.match(out, /^lxc\.pty\.max = 0$/m);
  assert.match(out, /^lxc\.console\.path = none$/m);
  assert.doesNotMatch(out, /^lxc\.apparmor/m);
  assert.match(out, /^#lxc\.apparmor\.profile = unconfined$/m, 'comments stay');
  assert.match(out, /^lxc\.mount\.entry = \/usr\/lib lib none ro,bind 0 0$/m);
  assert.match(out, /^lxc\.mount\.entry = shm dev\/shm tmpfs/m);
});

test('optionIn finds an option in help text, not a longer one that starts alike', () => {
  const help = 'Options:\n  -P, --lxcpath  where containers live  [string]\n  --dir-mode  x\n';
  assert.equal(optionIn(help, ['--lxcpath', '-P']), '--lxcpath');
  assert.equal(optionIn(help, ['-P']), '-P');
  assert.equal(optionIn(help, ['--dir']), undefined);
});

test('bench flags: --only checks names, --quick means 3 runs unless --runs says otherwise', () => {
  const ids = ['lint', 'startup', 'image'];
  assert.deepEqual(parseBenchArgs(['--only', 'lint,image'], ids).only, ['lint', 'image']);
  assert.throws(() => parseBenchArgs(['--only', 'nope'], ids), /no measurement named nope/);
  assert.equal(parseBenchArgs(['--quick'], ids).runs, 3);
  assert.equal(parseBenchArgs(['--quick', '--runs=9'], ids).runs, 9);
  assert.equal(parseBenchArgs([], ids).runs, 7);
  assert.throws(() => parseBenchArgs(['--runs', '0'], ids), /whole number/);
  assert.throws(() => parseBenchArgs(['--fast'], ids), /unknown argument/);
});
