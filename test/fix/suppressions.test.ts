/**
 * Issue 14.4: `ctcr fix` removed suppression comments (reasons included) of
 * rules that did not run in that pass. A suppression is unused only when
 * every rule it covers ran on what it covers and found nothing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcrRaw } from './run-cli.js';

async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

type JsonFinding = { ruleId: string; file: string; line: number };
const findingsOf = (json: string): JsonFinding[] => JSON.parse(json).results.flatMap((r: { findings: JsonFinding[] }) => r.findings);

// container-running is a live rule; udevd-present looks in the rootfs; tty-nonzero runs statically and finds nothing here.
const CONFIG =
  'lxc.uts.name = c1\n' +
  '# ctcr-disable-next-line container-running -- we checkpoint it stopped, on purpose\n' +
  'lxc.console.path = none\n' +
  '# ctcr-disable udevd-present -- the image is built elsewhere, udev is masked there\n' +
  '# ctcr-disable-next-line tty-nonzero -- stale\n' +
  'lxc.tty.max = 0\n';

test('a static fix with no rootfs keeps the suppressions of a live rule and of a rootfs rule; lint does not call them unused', async (t) => {
  const dir = await tempDir(t, 'ctcr-fix-supp-');
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  const file = path.join(dir, 'web.conf');
  await writeFile(file, CONFIG);
  const lint = await ctcrRaw(['lint', file, '-f', 'json'], { env });
  const unused = findingsOf(lint.stdout).filter((f) => f.ruleId === 'unused-suppression');
  assert.deepEqual(unused.map((f) => f.line), [5], 'only the suppression of a rule that ran (tty-nonzero) is unused');
  const fix = await ctcrRaw(['fix', file], { env });
  assert.equal(fix.exitCode, 0, fix.stderr);
  assert.equal(
    await readFile(file, 'utf8'),
    CONFIG.replace('# ctcr-disable-next-line tty-nonzero -- stale\n', ''),
    'the comments of container-running and udevd-present stay, reasons included',
  );
});

test('with its rootfs, a file-wide suppression of a rootfs rule in the main config hides its finding (README: # ctcr-disable udevd-present) and is not removed', async (t) => {
  const dir = await tempDir(t, 'ctcr-fix-supp-');
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  await mkdir(path.join(dir, 'c1', 'rootfs', 'sbin'), { recursive: true });
  await writeFile(path.join(dir, 'c1', 'rootfs', 'sbin', 'udevd'), 'x');
  const config = path.join(dir, 'c1', 'config');
  await writeFile(config, CONFIG);
  const lint = await ctcrRaw(['lint', path.join(dir, 'c1'), '-f', 'json'], { env });
  const findings = findingsOf(lint.stdout);
  assert.ok(!findings.some((f) => f.ruleId === 'udevd-present'), lint.stdout);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'unused-suppression').map((f) => f.line), [5]);
  await ctcrRaw(['fix', path.join(dir, 'c1'), '--suggestions'], { env });
  const after = await readFile(config, 'utf8');
  assert.match(after, /# ctcr-disable udevd-present -- the image is built elsewhere/);
  assert.match(after, /# ctcr-disable-next-line container-running -- we checkpoint it stopped/);
  assert.equal(await readFile(path.join(dir, 'c1', 'rootfs', 'sbin', 'udevd'), 'utf8'), 'x', 'a suppressed finding gets no fix');
});

test('with its rootfs and nothing found, a suppression of the rootfs rule is unused and fix removes it', async (t) => {
  const dir = await tempDir(t, 'ctcr-fix-supp-');
  const env = { CTCR_STATE_DIR: await tempDir(t, 'ctcr-state-') };
  await mkdir(path.join(dir, 'c1', 'rootfs', 'sbin'), { recursive: true });
  const config = path.join(dir, 'c1', 'config');
  await writeFile(config, CONFIG);
  await ctcrRaw(['fix', path.join(dir, 'c1')], { env });
  const after = await readFile(config, 'utf8');
  assert.doesNotMatch(after, /udevd-present|tty-nonzero/);
  assert.match(after, /container-running/, 'a live rule still did not run');
});
