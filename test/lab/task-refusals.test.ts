/**
 * The task states CRIU refuses (or hangs on) that rules traced-process,
 * session-outside and stopped-process predict, against the real thing: a lab
 * busybox container (lxc.tty.max = 0, so that its ttys do not fail every dump)
 * put into one state, the doctor's verdict, then a raw `lxc-checkpoint -s`.
 * The doctor must name the rule, and the raw dump must fail (or hang) with
 * the message the rule quotes. A control container with an ordinary extra
 * process must get none of these rules and dump.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { labTest, scratchDir, withContainer } from '../helpers/lab.js';
import { ctcr } from '../helpers/cli.js';
import { lxcTool, startContainer, type LabContainer } from '../../lab/index.js';

const RULES = ['traced-process', 'session-outside', 'stopped-process'];

/** The container with lxc.tty.max = 0, started. */
async function prepared(c: LabContainer): Promise<void> {
  const conf = readFileSync(c.configPath, 'utf8').replace(/^lxc\.tty\.max.*$/gm, '');
  writeFileSync(c.configPath, `${conf}\nlxc.tty.max = 0\n`);
  await startContainer(c);
}

/** Runs `sh -c CMD` in the container through lxc-attach without a terminal; `setsid` gives it a session inside. */
function attach(c: LabContainer, cmd: string, setsid: boolean): void {
  const inner = `${cmd} >/dev/null 2>&1 </dev/null &`;
  execFileSync('lxc-attach', ['-P', c.lxcpath, '-n', c.name, '--', ...(setsid ? ['setsid'] : []), 'sh', '-c', inner], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 30_000 });
}

/** Host PIDs of the container's tasks named `comm` (from its cgroup). */
function tasksNamed(c: LabContainer, comm: string): number[] {
  const out = execFileSync('sh', ['-c', `cat $(find /sys/fs/cgroup -path '*lxc.payload.${c.name}*' -name cgroup.procs) 2>/dev/null`], { encoding: 'utf8' });
  return [...new Set(out.split(/\s+/).filter(Boolean).map(Number))].filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === comm;
    } catch {
      return false;
    }
  });
}

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function doctorRules(c: LabContainer): Promise<{ verdict: string; rules: string[]; messages: string[] }> {
  const r = await ctcr(['doctor', c.name, '-P', c.lxcpath, '-f', 'json']);
  const report = JSON.parse(r.stdout) as { results: { target: string; verdict?: string; findings: { ruleId: string; severity: string; message: string }[] }[] };
  const mine = report.results.find((x) => x.target === c.name)!;
  const errors = report.results.flatMap((x) => x.findings).filter((f) => f.severity === 'error' && RULES.includes(f.ruleId));
  return { verdict: mine.verdict ?? '', rules: [...new Set(errors.map((f) => f.ruleId))], messages: errors.map((f) => f.message) };
}

/** Every descendant of `pid` (criu under lxc-checkpoint), deepest first. */
function descendants(pid: number): number[] {
  const kids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return kids.flatMap((k) => [...descendants(k), k]);
}

/** Thaws the container's freezer (v1 freezer.state or v2 cgroup.freeze), wherever it is. */
function thaw(c: LabContainer): void {
  const files = execFileSync('sh', ['-c', `find /sys/fs/cgroup -path '*lxc.payload.${c.name}*' \\( -name freezer.state -o -name cgroup.freeze \\) -maxdepth 4 2>/dev/null`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of files) writeFileSync(f, f.endsWith('freezer.state') ? 'THAWED' : '0');
}

/** A raw lxc-checkpoint -s with a deadline: its exit and log, or `hung` after the deadline (then criu is killed and the container thawed). */
async function rawDump(t: TestContext, c: LabContainer, deadlineMs: number): Promise<{ hung: boolean; ok: boolean; log: string; ms: number }> {
  const dir = scratchDir(t);
  const t0 = performance.now();
  const child: ChildProcess = spawn('lxc-checkpoint', ['-P', c.lxcpath, '-n', c.name, '-s', '-D', dir], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), deadlineMs));
  const first = await Promise.race([exited, timer]);
  const took = performance.now() - t0;
  let hung = false;
  if (first === 'deadline') {
    hung = true;
    for (const p of descendants(child.pid!)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    child.kill('SIGKILL');
    await exited;
    thaw(c);
  }
  const logFile = `${dir}/dump.log`;
  return { hung, ok: first === 0, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '', ms: took };
}

async function running(c: LabContainer): Promise<string> {
  const r = await lxcTool(c, 'lxc-info', ['-s'], 20_000);
  return /State:\s+(\S+)/.exec(r.stdout)?.[1] ?? '';
}

labTest('task refusals: a stopped task hangs the raw dump; the doctor refuses it (stopped-process)', async (t) => {
  await withContainer(t, async (c) => {
    await prepared(c);
    attach(c, 'sleep 1000 >/dev/null 2>&1 </dev/null & kill -STOP $!', true);
    await settle(1500);
    const raw = await rawDump(t, c, 15_000);
    t.diagnostic(`raw dump: ${raw.hung ? 'hung, killed' : raw.ok ? 'ok' : 'failed'} after ${(raw.ms / 1000).toFixed(1)} s`);
    assert.ok(raw.hung, `the dump was expected to hang, it ${raw.ok ? 'succeeded' : 'failed'}:\n${raw.log.slice(-2000)}`);
    assert.equal(await running(c), 'RUNNING', 'thawed after criu was killed');
    // The doctor on the same state, after the raw dump failed or was ended (the state is still there).
    const d = await doctorRules(c);
    t.diagnostic(`doctor: ${d.verdict} ${d.rules.join(', ')}`);
    assert.equal(d.verdict, 'NOT READY');
    assert.deepEqual(d.rules, ['stopped-process']);
  }, { start: false });
});

labTest('task refusals: a traced task fails the raw dump after the timeout (traced-process)', async (t) => {
  await withContainer(t, async (c) => {
    await prepared(c);
    attach(c, 'sleep 1000', true);
    await settle(1000);
    const [pid] = tasksNamed(c, 'sleep');
    assert.ok(pid, 'the sleep runs');
    const strace = spawn('strace', ['-p', String(pid), '-o', '/dev/null'], { stdio: 'ignore' });
    t.after(() => strace.kill('SIGKILL'));
    await settle(1000);
    const raw = await rawDump(t, c, 40_000);
    assert.ok(!raw.hung && !raw.ok, 'the dump fails');
    assert.match(raw.log, /Unable to interrupt task: (\d+) \(Operation not permitted\)/);
    assert.match(raw.log, /zombie \d+ \(comm [^)]*\) found while seizing/);
    // The doctor on the same state, after the raw dump failed or was ended (the state is still there).
    const d = await doctorRules(c);
    t.diagnostic(`doctor: ${d.verdict} ${d.rules.join(', ')}`);
    assert.equal(d.verdict, 'NOT READY');
    assert.deepEqual(d.rules, ['traced-process']);
  }, { start: false });
}, { timeout: 5 * 60_000 });

labTest('task refusals: a daemon of an lxc-attach without a terminal fails the raw dump (session-outside)', async (t) => {
  await withContainer(t, async (c) => {
    await prepared(c);
    attach(c, 'sleep 1000', false);
    await settle(1000);
    const raw = await rawDump(t, c, 40_000);
    assert.ok(!raw.hung && !raw.ok, 'the dump fails');
    assert.match(raw.log, /A session leader of \d+\(\d+\) is outside of its pid namespace/);
    // The doctor on the same state, after the raw dump failed or was ended (the state is still there).
    const d = await doctorRules(c);
    t.diagnostic(`doctor: ${d.verdict} ${d.rules.join(', ')}`);
    assert.equal(d.verdict, 'NOT READY');
    assert.deepEqual(d.rules, ['session-outside']);
  }, { start: false });
}, { timeout: 5 * 60_000 });

labTest('task refusals: the same daemon with a session of its own gets none of these rules and dumps', async (t) => {
  await withContainer(t, async (c) => {
    await prepared(c);
    attach(c, 'sleep 1000', true);
    await settle(1000);
    const d = await doctorRules(c);
    t.diagnostic(`doctor: ${d.verdict} ${d.rules.join(', ') || '(none of ' + RULES.join(', ') + ')'}`);
    assert.deepEqual(d.rules, []);
    const raw = await rawDump(t, c, 40_000);
    assert.ok(raw.ok, `the dump succeeds:\n${raw.log.slice(-2000)}`);
  }, { start: false });
}, { timeout: 5 * 60_000 });
