/**
 * Crash safety: a run that changes two files (a config and the file it
 * includes) and renames udevd in the rootfs (udevd-present's suggestion) is killed with SIGKILL at every
 * fault point the writer has (CTCR_FAULT_AT, see src/fix/fault.ts). After
 * each kill every file is whole, old or new, every backup is whole, and the
 * rootfs file has exactly one name. Then either `--undo` puts everything
 * back, or a new run finishes the job, says the earlier run was
 * interrupted, and leaves no temp file anywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, lstat, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcrRaw } from './run-cli.js';

const CONFIG = 'lxc.uts.name = web1\n# ctcr-disable-next-line tty-nonzero\nlxc.include = consoles.conf\nlxc.console.path = none\n';
const CONFIG_FIXED = 'lxc.uts.name = web1\nlxc.include = consoles.conf\nlxc.console.path = none\n';
const CONSOLES = '# consoles\nlxc.tty.max = 4\n';
const CONSOLES_FIXED = '# consoles\nlxc.tty.max = 0\n';
const ARGS = ['fix', '.', '--suggestions'];

async function makeContainer(): Promise<{ dir: string; state: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-crash-'));
  const state = await mkdtemp(path.join(tmpdir(), 'ctcr-crash-state-'));
  await writeFile(path.join(dir, 'config'), CONFIG);
  await writeFile(path.join(dir, 'consoles.conf'), CONSOLES);
  await mkdir(path.join(dir, 'rootfs', 'sbin'), { recursive: true });
  await writeFile(path.join(dir, 'rootfs', 'sbin', 'udevd'), 'udevd\n');
  return { dir, state };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const p = path.join(dir, name);
    out.push(p);
    if ((await lstat(p)).isDirectory()) out.push(...(await walk(p)));
  }
  return out;
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

async function assertWhole(dir: string, k: number): Promise<{ changed: boolean }> {
  const config = await readFile(path.join(dir, 'config'), 'utf8');
  const consoles = await readFile(path.join(dir, 'consoles.conf'), 'utf8');
  assert.ok(config === CONFIG || config === CONFIG_FIXED, `kill at ${k}: config is whole: ${JSON.stringify(config)}`);
  assert.ok(consoles === CONSOLES || consoles === CONSOLES_FIXED, `kill at ${k}: consoles.conf is whole: ${JSON.stringify(consoles)}`);
  const names = [await exists(path.join(dir, 'rootfs/sbin/udevd')), await exists(path.join(dir, 'rootfs/sbin/udevd.bcp'))];
  assert.equal(names.filter(Boolean).length, 1, `kill at ${k}: udevd has exactly one name`);
  for (const p of await walk(dir)) {
    const m = /^(.*)\.ctcr-bak\.\d{8}T\d{9}Z-[0-9a-f]{4}$/.exec(p);
    if (!m) continue;
    const original = path.basename(m[1]) === 'config' ? CONFIG : CONSOLES;
    assert.equal(await readFile(p, 'utf8'), original, `kill at ${k}: backup ${path.basename(p)} is whole`);
  }
  return { changed: config !== CONFIG || consoles !== CONSOLES || names[1] };
}

async function assertNoTemps(dirs: string[], k: number): Promise<void> {
  for (const d of dirs) {
    const temps = (await walk(d)).filter((p) => p.includes('.ctcr-tmp.'));
    assert.deepEqual(temps, [], `kill at ${k}: no temp file left`);
  }
}

test('killed at every fault point, a run leaves whole files; undo or a new run sets things right', { timeout: 600_000 }, async () => {
  // How many fault points a full run passes.
  const probe = await makeContainer();
  const counted = await ctcrRaw(ARGS, { cwd: probe.dir, env: { CTCR_STATE_DIR: probe.state, CTCR_FAULT_AT: 'none', CTCR_FAULT_TRACE: '1' } });
  assert.equal(counted.exitCode, 0, counted.stderr);
  const points = [...counted.stderr.matchAll(/^ctcr: fault point #(\d+) (\S+)$/gm)].map((m) => m[2]);
  await Promise.all([rm(probe.dir, { recursive: true }), rm(probe.state, { recursive: true })]);
  for (const step of ['manifest-saved', 'backup-linked', 'backup-done', 'temp-half-written', 'temp-synced', 'renamed', 'dir-synced', 'rootfs-rename']) {
    assert.ok(points.includes(step), `the run passes the fault point ${step}: ${points.join(' ')}`);
  }

  // Each kill point in its own folders, four at a time.
  const queue = points.map((_, i) => i + 1);
  const worker = async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) await killAt(k);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
});

async function killAt(k: number): Promise<void> {
  {
    const { dir, state } = await makeContainer();
    try {
      const env = { CTCR_STATE_DIR: state };
      const killed = await ctcrRaw(ARGS, { cwd: dir, env: { ...env, CTCR_FAULT_AT: String(k) } });
      assert.equal(killed.signal, 'SIGKILL', `killed at ${k}: ${killed.stderr}`);
      const { changed } = await assertWhole(dir, k);
      const recorded = (await readdir(path.join(state, 'runs')).catch(() => [])).filter((n) => n.endsWith('.json'));
      const statuses = await Promise.all(recorded.map(async (n) => JSON.parse(await readFile(path.join(state, 'runs', n), 'utf8')).status as string));

      if (k % 2 === 1) {
        // Undo the interrupted run: everything as before.
        const undo = await ctcrRaw(['fix', '.', '--undo'], { cwd: dir, env });
        if (recorded.length === 0) {
          assert.equal(changed, false, `kill at ${k}: no record, so nothing may have changed`);
          assert.match(undo.stderr, /no run to undo/);
        } else assert.equal(undo.exitCode, 0, `undo after kill at ${k}: ${undo.stderr}`);
        assert.equal(await readFile(path.join(dir, 'config'), 'utf8'), CONFIG, `undo after kill at ${k}`);
        assert.equal(await readFile(path.join(dir, 'consoles.conf'), 'utf8'), CONSOLES, `undo after kill at ${k}`);
        assert.ok(await exists(path.join(dir, 'rootfs/sbin/udevd')), `undo after kill at ${k}: udevd is back`);
      }
      // A new run finishes the job.
      const again = await ctcrRaw(ARGS, { cwd: dir, env });
      assert.equal(again.exitCode, 0, `run after kill at ${k}: ${again.stderr}`);
      if (k % 2 === 0 && statuses.includes('started')) assert.match(again.stderr, /was interrupted .*--undo/, `run after kill at ${k} says what happened`);
      if (k % 2 === 0 && !statuses.includes('started')) assert.doesNotMatch(again.stderr, /interrupted/, `kill at ${k}: the run had finished`);
      assert.equal(await readFile(path.join(dir, 'config'), 'utf8'), CONFIG_FIXED, `run after kill at ${k}`);
      assert.equal(await readFile(path.join(dir, 'consoles.conf'), 'utf8'), CONSOLES_FIXED, `run after kill at ${k}`);
      assert.ok(await exists(path.join(dir, 'rootfs/sbin/udevd.bcp')), `run after kill at ${k}: udevd renamed`);
      await assertNoTemps([dir, state], k);
    } finally {
      await Promise.all([rm(dir, { recursive: true, force: true }), rm(state, { recursive: true, force: true })]);
    }
  }
}
