/**
 * Issue 15.4: two `ctcr fix` runs on one container at the same time lost an
 * update (both read the config, both wrote it, both said "changed 1 file").
 * A run now holds `<file>.ctcr-lock` while it checks and writes: the other
 * run fails with exit 4 and one line, or, if it read before the first wrote,
 * finds the file changed since it read it (exit 2). Every run that says it
 * changed the file has its change in the file at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcrRaw } from './run-cli.js';
import { EXIT } from '../../src/errors.js';

const CONFIG = 'lxc.uts.name = web\nlxc.tty.max = 4\nlxc.console.path = /dev/console\n';
/** Two runs, each with a change of its own on a line of its own. */
const RUNS = [
  { rule: 'tty-nonzero', change: 'lxc.tty.max = 0\n' },
  { rule: 'console-enabled', change: 'lxc.console.path = none\n' },
];

async function container(base: string, name: string): Promise<string> {
  const dir = path.join(base, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'config'), CONFIG);
  return dir;
}

test('two concurrent ctcr fix runs never lose an update: each one either lands or fails with one line', async (t) => {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-lock-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const ROUNDS = 12;
  const outcomes: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const dir = await container(base, `web${round}`);
    // Separate state directories, as two users' (or sudo and not) would be: the lock must not depend on them.
    const results = await Promise.all(RUNS.map((r, i) => ctcrRaw(['fix', '--rule', r.rule, dir], { cwd: base, env: { CTCR_STATE_DIR: path.join(base, `state${i}`) } })));
    const text = await readFile(path.join(dir, 'config'), 'utf8');
    results.forEach((r, i) => {
      const said = `${RUNS[i].rule}: exit ${r.exitCode}: ${r.stdout.slice(0, 200)} ${r.stderr}`;
      const changed = /changed 1 file/.test(r.stdout + r.stderr);
      outcomes[changed ? 'changed' : `exit ${r.exitCode}`] = (outcomes[changed ? 'changed' : `exit ${r.exitCode}`] ?? 0) + 1;
      if (changed) {
        assert.ok(r.exitCode === EXIT.ok || r.exitCode === EXIT.findings, said);
        assert.ok(text.includes(RUNS[i].change), `round ${round}: ${RUNS[i].rule} said it changed the file, but its change is lost:\n${text}\n${said}`);
      } else {
        assert.ok(r.exitCode === EXIT.locked || r.exitCode === EXIT.input, said);
        assert.equal(r.stderr.trim().split('\n').length, 1, said);
        // The holder's pid and run id when its lock says them; a lock caught between its creation and its first write names only itself.
        assert.match(r.stderr, r.exitCode === EXIT.locked ? /another ctcr run \((pid \d+, run [^;)]*; )?its lock is \S+\.ctcr-lock\) is changing this file; nothing was changed/ : /changed since ctcr read it/);
        assert.ok(!text.includes(RUNS[i].change), `round ${round}: ${RUNS[i].rule} failed but its change is there`);
      }
    });
    assert.ok(!existsSync(path.join(dir, 'config.ctcr-lock')), 'a lock was left behind');
  }
  t.diagnostic(`outcomes over ${ROUNDS} rounds: ${JSON.stringify(outcomes)}`);
});

test('a lock held by a live process: exit 4, one line naming the file, nothing changed; a dead holder\'s lock is taken over', async (t) => {
  const base = await mkdtemp(path.join(tmpdir(), 'ctcr-lock-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const dir = await container(base, 'web');
  const lock = path.join(dir, 'config.ctcr-lock');
  await writeFile(lock, `${process.pid} 20260101T000000000Z-abcd\n`);
  const env = { CTCR_STATE_DIR: path.join(base, 'state') };
  const held = await ctcrRaw(['fix', '--rule', 'tty-nonzero', dir], { cwd: base, env });
  assert.equal(held.exitCode, EXIT.locked, held.stdout + held.stderr);
  assert.equal(held.stderr, `ctcr: ${path.join(dir, 'config')}: another ctcr run (pid ${process.pid}, run 20260101T000000000Z-abcd; its lock is ${lock}) is changing this file; nothing was changed (run again when it is done)\n`);
  assert.equal(await readFile(path.join(dir, 'config'), 'utf8'), CONFIG);
  assert.ok(existsSync(lock), 'another run\'s lock was removed');
  // A pid no process has (above the kernel's pid_max limit of 2^22): the run that took it died.
  await writeFile(lock, `${2 ** 22 + 1} 20260101T000000000Z-abcd\n`);
  const stale = await ctcrRaw(['fix', '--rule', 'tty-nonzero', dir], { cwd: base, env });
  assert.match(stale.stdout + stale.stderr, /changed 1 file/);
  assert.ok(stale.exitCode === EXIT.ok || stale.exitCode === EXIT.findings, stale.stdout + stale.stderr);
  assert.match(await readFile(path.join(dir, 'config'), 'utf8'), /lxc\.tty\.max = 0/);
  assert.ok(!existsSync(lock));
});
