/**
 * The watchdog against a real hang, in the lab: a busybox container with one
 * SIGSTOPped task makes a real `lxc-checkpoint -s` wait in the kernel for good
 * (CRIU's PTRACE_SEIZE of a group-stopped task waits for the task to run, and
 * the frozen cgroup never lets it; measured in /work/coord/hang.md). With a
 * short --timeout, `ctcr checkpoint` must return 3 within the deadline plus a
 * margin, leave the container RUNNING and not frozen, and leave no criu and
 * no lxc-checkpoint behind. The same when ctcr itself gets SIGTERM mid-dump.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { labTest, ms, scratchDir, withContainer } from '../helpers/lab.js';
import { CLI, ctcr } from '../helpers/cli.js';
import { containerState, lxcTool, refreshInitPid, startContainer, type LabContainer } from '../../lab/index.js';
import { freezerDirs, isFrozen } from '../../src/run/thaw.js';

const read = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};

/** Processes whose command line names the checkpoint folder: lxc-checkpoint and the criu it ran. */
function leftovers(dir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const cmd = read(`/proc/${pid}/cmdline`).split('\0').join(' ');
    if (cmd.includes(dir) && /criu|lxc-checkpoint/.test(cmd) && !cmd.includes(CLI)) out.push(`${pid} ${cmd.slice(0, 120)}`);
  }
  return out;
}

/** The stock container, ttys off (so the dump gets as far as seizing), started, with one stopped task. */
async function hangingContainer(t: TestContext, c: LabContainer): Promise<void> {
  appendFileSync(c.configPath, '\nlxc.tty.max = 0\n');
  await startContainer(c);
  await refreshInitPid(c);
  const r = await lxcTool(c, 'lxc-attach', ['--', 'setsid', 'sh', '-c', 'sleep 1000 >/dev/null 2>&1 </dev/null & kill -STOP $!'], 30_000);
  assert.ok(r.ok, `lxc-attach: ${r.stderr}`);
  t.diagnostic(`container ${c.name}: init ${c.initPid}, a stopped sleep inside`);
}

async function assertRunningAgain(c: LabContainer, dir: string): Promise<void> {
  assert.equal(await containerState(c), 'RUNNING', 'the container runs again');
  const dirs = freezerDirs({ name: c.name, initPid: c.initPid });
  assert.ok(dirs.length > 0, 'the container has a freezer cgroup');
  assert.deepEqual(dirs.filter(isFrozen).map((d) => d.dir), [], 'no freezer cgroup of the container is frozen');
  // No task frozen (D) or still traced by a criu.
  const v1 = dirs.find((d) => d.kind === 'v1');
  for (const pid of read(path.join((v1 ?? dirs[0]!).dir, v1 ? 'tasks' : 'cgroup.threads')).split('\n').filter(Boolean)) {
    // A thawed task leaves D as soon as the kernel runs it again; under load that can take a moment after THAWED.
    let status = read(`/proc/${pid}/status`);
    for (let i = 0; i < 50 && /^State:\s*D/m.test(status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = read(`/proc/${pid}/status`);
    }
    assert.doesNotMatch(status, /^State:\s*D/m, `task ${pid} is not frozen (still in D 5 s after the thaw)`);
    assert.match(status || 'TracerPid:\t0', /^TracerPid:\s*0$/m, `task ${pid} is traced by no one`);
  }
  assert.deepEqual(leftovers(dir), [], 'no criu or lxc-checkpoint left');
  // It answers: a new process starts and exits inside it.
  assert.ok((await lxcTool(c, 'lxc-attach', ['--', 'true'], 20_000)).ok, 'lxc-attach -- true works');
}

labTest('a real hang (a stopped task): ctcr checkpoint --timeout kills CRIU, thaws the container, exits 3', async (t) => {
  await withContainer(
    t,
    async (c) => {
      await hangingContainer(t, c);
      const dir = path.join(scratchDir(t), 'ckpt');
      const timeout = 5;
      const t0 = performance.now();
      const r = await ctcr(['checkpoint', c.name, '-P', c.lxcpath, '-D', dir, '--force', '--verbose', '--timeout', String(timeout)]);
      const took = performance.now() - t0;
      t.diagnostic(`ctcr checkpoint --timeout ${timeout}: exit ${r.exitCode} in ${ms(took)}`);
      for (const line of r.stderr.trimEnd().split('\n').slice(-8)) t.diagnostic(`  ${line}`);
      assert.equal(r.exitCode, 3, r.stderr);
      // The deadline plus a margin for the doctor before it and the thaw after.
      assert.ok(took < (timeout + 25) * 1000, `returned in ${ms(took)}`);
      const line = r.stderr.split('\n').find((l) => l.includes('ran past --timeout'));
      assert.ok(line, `one line says what happened: ${r.stderr}`);
      assert.match(line!, /killed lxc-checkpoint and its criu; thawed \S+freezer\.state.*runs again \(not frozen\)/);
      // CRIU got as far as the seize: the hang is the real one, not an early refusal.
      const log = read(path.join(dir, 'dump.log')).trimEnd().split('\n');
      t.diagnostic(`dump.log ends: ${log[log.length - 1]}`);
      assert.match(log.slice(-3).join('\n'), /SEIZE \d+ .*success|Seizing/, 'CRIU was seizing tasks when it hung');
      await assertRunningAgain(c, dir);
    },
    { start: false },
  );
});

labTest('SIGTERM to ctcr during a hung dump: CRIU killed, the container thawed before ctcr exits', async (t) => {
  await withContainer(
    t,
    async (c) => {
      await hangingContainer(t, c);
      const dir = path.join(scratchDir(t), 'ckpt');
      const child = spawn(process.execPath, [CLI, 'checkpoint', c.name, '-P', c.lxcpath, '-D', dir, '--force', '--timeout', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
      // Wait until CRIU froze the container (and is stuck).
      const dirs = () => freezerDirs({ name: c.name, initPid: c.initPid });
      const deadline = Date.now() + 60_000;
      while (!(leftovers(dir).length && dirs().some(isFrozen))) {
        assert.ok(Date.now() < deadline, `the dump never froze the container: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(dirs().some(isFrozen), 'still frozen before the signal: the hang is real');
      const t0 = performance.now();
      child.kill('SIGTERM');
      const end = await exited;
      t.diagnostic(`ctcr after SIGTERM: ${JSON.stringify(end)} in ${ms(performance.now() - t0)}; ${stderr.trimEnd().split('\n').pop()}`);
      assert.equal(end.signal, 'SIGTERM', 'ctcr ends by the signal it got');
      assert.match(stderr, /SIGTERM: killed lxc-checkpoint; thawed/);
      await new Promise((r) => setTimeout(r, 500));
      await assertRunningAgain(c, dir);
    },
    { start: false },
  );
});
