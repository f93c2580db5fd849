/**
 * The fixer against the real thing: a stock busybox container (running),
 * `ctcr fix NAME -P LXCPATH --suggestions`, a restart, then the doctor says
 * READY, and a raw `lxc-checkpoint` dump and restore succeed and leave it RUNNING.
 * On the way: the dry run's diff is exactly what the real run writes, the
 * run warns that the container is running, and a second run changes nothing.
 * When the round trip fails, the message names CRIU's root error and the
 * findings ctcr still reports, so the missing rule or fix is plain.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { execa } from 'execa';
import { labTest, ms, scratchDir, withContainer } from '../helpers/lab.js';
import { containerState, lxcTool, rootErrorText, startContainer, stopContainer, type LabContainer } from '../../lab/index.js';
import { ctcrRaw } from './run-cli.js';

async function checkpoint(t: TestContext, c: LabContainer, dir: string, action: 'dump' | 'restore'): Promise<{ ok: boolean; root: string }> {
  const t0 = performance.now();
  const r = await lxcTool(c, 'lxc-checkpoint', action === 'dump' ? ['-s', '-D', dir] : ['-r', '-D', dir], 180_000);
  const log = existsSync(`${dir}/${action}.log`) ? readFileSync(`${dir}/${action}.log`, 'utf8') : '';
  const root = r.ok ? '' : rootErrorText(log || r.stderr);
  t.diagnostic(`${action} ${r.ok ? 'ok' : 'FAILED'} in ${ms(performance.now() - t0)}${r.ok ? '' : `: ${root}`}`);
  return { ok: r.ok, root };
}

/** What ctcr still reports about the container, one line per finding. */
async function remainingFindings(c: LabContainer, env: Record<string, string>): Promise<string> {
  const r = await ctcrRaw(['lint', path.dirname(c.configPath), '-f', 'json'], { env });
  try {
    const report = JSON.parse(r.stdout) as { results: { findings: { ruleId: string; severity: string; message: string; line: number }[] }[] };
    const lines = report.results.flatMap((x) => x.findings).map((f) => `  ${f.severity} ${f.ruleId} (line ${f.line}): ${f.message}`);
    return lines.length ? lines.join('\n') : '  (none)';
  } catch {
    return `  (lint said: ${r.stderr.trim()})`;
  }
}

labTest('ctcr fix --suggestions makes a stock busybox container checkpoint and restore', async (t) => {
  await withContainer(t, async (c) => {
    const state = await mkdtemp(path.join(tmpdir(), 'ctcr-lab-state-'));
    t.after(() => rm(state, { recursive: true, force: true }));
    const env = { CTCR_STATE_DIR: state };
    const args = ['fix', c.name, '-P', c.lxcpath, '--suggestions'];
    const stock = readFileSync(c.configPath, 'utf8');

    // The dry run, applied to a copy with patch(1), must give what the real run writes.
    const dry = await ctcrRaw([...args, '--dry-run'], { env, cwd: c.lxcpath });
    assert.ok(dry.exitCode === 0 || dry.exitCode === 1, `dry run: ${dry.stderr}`);
    assert.equal(readFileSync(c.configPath, 'utf8'), stock, 'the dry run wrote nothing');
    const copy = scratchDir(t, 'dry-');
    mkdirSync(path.join(copy, c.name));
    copyFileSync(c.configPath, path.join(copy, c.name, 'config'));
    if (dry.stdout.includes('\n+++ ')) {
      const patched = await execa('patch', ['-p0', '--batch', '--no-backup-if-mismatch', '--quiet'], { cwd: copy, input: dry.stdout, reject: false });
      assert.equal(patched.exitCode, 0, `${patched.stdout}${patched.stderr}`);
    }

    const fixed = await ctcrRaw(args, { env });
    for (const line of `ctcr fix: exit ${fixed.exitCode}\n${fixed.stderr}`.trimEnd().split('\n')) t.diagnostic(line);
    assert.ok(fixed.exitCode === 0 || fixed.exitCode === 1, `ctcr fix failed: ${fixed.stderr}`);
    assert.match(fixed.stderr, /is running: LXC reads its config when the container starts/, 'the running container is warned about');
    const after = readFileSync(c.configPath, 'utf8');
    assert.notEqual(after, stock, 'the fix changed the config');
    assert.equal(readFileSync(path.join(copy, c.name, 'config'), 'utf8'), after, 'the dry-run diff equals what the real run wrote');

    const again = await ctcrRaw(args, { env });
    assert.match(again.stderr, /nothing to fix/);
    assert.equal(readFileSync(c.configPath, 'utf8'), after, 'a second run changes no byte');

    await stopContainer(c);
    await startContainer(c);
    // The doctor, on the restarted container: READY.
    const doctor = await ctcrRaw(['doctor', c.name, '-P', c.lxcpath], { env });
    for (const line of doctor.stdout.trimEnd().split('\n')) t.diagnostic(`doctor: ${line}`);
    assert.match(doctor.stdout, new RegExp(`${c.name}: READY`), `the doctor after ctcr fix:\n${doctor.stdout}${doctor.stderr}`);
    const dir = scratchDir(t);
    const dump = await checkpoint(t, c, dir, 'dump');
    const restore = dump.ok ? await checkpoint(t, c, dir, 'restore') : { ok: false, root: '(not tried: the dump failed)' };
    if (!dump.ok || !restore.ok) {
      const findings = await remainingFindings(c, env);
      assert.fail(
        `after ctcr fix --suggestions the container does not round-trip.\n` +
          `dump: ${dump.ok ? 'ok' : dump.root}\nrestore: ${restore.ok ? 'ok' : restore.root}\n` +
          `findings ctcr still reports:\n${findings}\n` +
          `config diff (stock -> fixed):\n${(await execa('diff', ['-u', '--label', 'stock', '--label', 'fixed', '-', c.configPath], { input: stock, reject: false })).stdout}`,
      );
    }
    assert.equal(await containerState(c), 'RUNNING');
  });
});
