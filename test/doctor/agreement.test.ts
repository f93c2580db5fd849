/**
 * Prediction against reality, on a real kernel with real LXC and CRIU: what
 * `ctcr doctor` says about a stock busybox container, and what a raw
 * `lxc-checkpoint` dump + restore of it does.
 *
 * The loop: ask the doctor; run the raw cycle; if the doctor says NOT READY
 * the cycle must fail, on a CRIU or LXC error that maps to one of the errors
 * the doctor named; apply that error's fix (the text edits of the doctor's
 * JSON), restart, and go again. It ends when the doctor says READY, and then
 * the cycle must succeed with the same process tree. Every error the doctor
 * named must have been hit and fixed on the way: prediction and reality
 * agree both ways, one reason at a time.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import type { Fix } from '../../src/types.js';
import { applyFixes } from '../../src/fix/apply-edits.js';
import { explainCriuLog } from '../../src/criu/log.js';
import { BUILTIN_RULES, SIGNATURES } from '../helpers/signatures.js';
import { labTest, ms, scratchDir, withContainer } from '../helpers/lab.js';
import { ctcr } from '../helpers/cli.js';
import {
  containerState, lxcTool, processesInPidns, refreshInitPid, startContainer, stopContainer, treeKey,
  type LabContainer,
} from '../../lab/index.js';

interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  fix?: Fix;
  suggestions?: Fix[];
}
interface JsonReport {
  results: { target: string; verdict?: 'READY' | 'NOT READY'; findings: JsonFinding[] }[];
}

/** Rule ids of the log diagnoses that name the same problem under another id. */
const SAME_PROBLEM: Record<string, string> = {};

async function doctor(t: TestContext, c: LabContainer): Promise<{ verdict: string; errors: JsonFinding[]; report: JsonReport; ms: number }> {
  const t0 = performance.now();
  const r = await ctcr(['doctor', c.name, '-P', c.lxcpath, '-f', 'json']);
  const took = performance.now() - t0;
  assert.ok(r.exitCode === 0 || r.exitCode === 1, `doctor exit ${r.exitCode}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as JsonReport;
  const mine = report.results.find((x) => x.target === c.name);
  assert.ok(mine?.verdict, `no verdict for ${c.name} in ${r.stdout}`);
  const errors = report.results.flatMap((x) => x.findings).filter((f) => f.severity === 'error');
  assert.equal(r.exitCode, errors.length ? 1 : 0, 'exit code 1 exactly when an error remains');
  assert.equal(mine.verdict, errors.length ? 'NOT READY' : 'READY');
  t.diagnostic(`doctor (${ms(took)}): ${mine.verdict}${errors.length ? `: ${errors.map((e) => `${e.ruleId}@${e.line}`).join(', ')}` : ''}`);
  return { verdict: mine.verdict, errors, report, ms: took };
}

interface Cycle {
  ok: boolean;
  failedAt?: 'dump' | 'restore';
  /** The rule id the failure's root error maps to. */
  ruleId?: string;
  root?: string;
  before?: string[];
  after?: string[];
}

/** No specific cause: criu-error, or only the subsystem a line's source file belongs to (the area rules). */
const UNSPECIFIC = new Set(['criu-error', ...BUILTIN_RULES.filter((r) => r.logArea).map((r) => r.id)]);

/** The cause of a failed lxc-checkpoint: CRIU's log when CRIU ran, else LXC's own stderr. */
function diagnose(log: string, stderr: string): { ruleId: string; root: string } {
  for (const text of [log, stderr]) {
    const d = explainCriuLog(text, SIGNATURES).diagnoses[0];
    if (d && !UNSPECIFIC.has(d.ruleId)) return { ruleId: SAME_PROBLEM[d.ruleId] ?? d.ruleId, root: d.excerpt };
  }
  const d = explainCriuLog(log || stderr, SIGNATURES).diagnoses[0];
  return { ruleId: d?.ruleId ?? 'unknown', root: d?.excerpt ?? (stderr.trim().split('\n').pop() ?? '') };
}

/** lxc-checkpoint -s, then -r: what an operator would run without ctcr. */
async function rawCycle(t: TestContext, c: LabContainer): Promise<Cycle> {
  const before = treeKey(processesInPidns(c.initPid));
  const dir = scratchDir(t);
  for (const [action, args] of [['dump', ['-s', '-D', dir]], ['restore', ['-r', '-D', dir]]] as const) {
    const t0 = performance.now();
    const r = await lxcTool(c, 'lxc-checkpoint', [...args], 180_000);
    const log = existsSync(`${dir}/${action}.log`) ? readFileSync(`${dir}/${action}.log`, 'utf8') : '';
    if (!r.ok) {
      const { ruleId, root } = diagnose(log, r.stderr);
      t.diagnostic(`raw ${action} FAILED in ${ms(performance.now() - t0)}: ${root} -> ${ruleId}`);
      return { ok: false, failedAt: action, ruleId, root };
    }
    t.diagnostic(`raw ${action} ok in ${ms(performance.now() - t0)}`);
  }
  assert.equal(await containerState(c), 'RUNNING', 'restored container is RUNNING');
  await refreshInitPid(c);
  return { ok: true, before, after: treeKey(processesInPidns(c.initPid)) };
}

/** Applies the doctor's fix for each finding (its fix, else its first suggestion), as the text edits of its JSON. */
function applyFindingFixes(findings: JsonFinding[]): string[] {
  const fixes = findings.map((f) => f.fix ?? f.suggestions?.[0]).filter((x): x is Fix => x !== undefined);
  assert.equal(fixes.length, findings.length, `every error names a fix: ${findings.filter((f) => !f.fix && !f.suggestions?.length).map((f) => f.ruleId).join(', ')}`);
  for (const fix of fixes) assert.ok(!fix.rootfsOps?.length, `rootfs operations are not applied by this test: ${fix.description}`);
  const files = [...new Set(fixes.flatMap((f) => f.edits.map((e) => e.file)))];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const result = applyFixes(text, fixes.map((fix) => ({ fix, edits: fix.edits.filter((e) => e.file === file) })));
    assert.equal(result.deferred.length, 0, `overlapping fixes in ${file}`);
    writeFileSync(file, result.text);
  }
  return fixes.map((f) => f.description);
}

async function restart(c: LabContainer): Promise<void> {
  await stopContainer(c);
  await startContainer(c);
}

labTest('the doctor and a raw lxc-checkpoint agree on a stock busybox container, one reason at a time', async (t) => {
  await withContainer(t, async (c) => {
    const first = await doctor(t, c);
    assert.equal(first.verdict, 'NOT READY', 'the stock busybox config does not checkpoint and restore here');
    const named = [...new Set(first.errors.map((e) => e.ruleId))].sort();
    const hit: string[] = [];
    for (let step = 1; step <= 10; step++) {
      const now = step === 1 ? first : await doctor(t, c);
      const cycle = await rawCycle(t, c);
      if (now.verdict === 'READY') {
        assert.ok(cycle.ok, `doctor says READY, but the raw ${cycle.failedAt} failed: ${cycle.root} (${cycle.ruleId})`);
        assert.deepEqual(cycle.after, cycle.before, 'the restored container runs the same process tree');
        t.diagnostic(`process tree kept: ${cycle.after!.map((k) => k.replace(/\t/g, ' ')).join(' | ')}`);
        break;
      }
      assert.ok(!cycle.ok, `doctor says NOT READY (${now.errors.map((e) => e.ruleId).join(', ')}), but the raw dump and restore succeeded`);
      const predicted = now.errors.filter((e) => e.ruleId === cycle.ruleId);
      assert.ok(predicted.length > 0, `the raw ${cycle.failedAt} failed on "${cycle.root}" (${cycle.ruleId}), which the doctor did not name: ${now.errors.map((e) => e.ruleId).join(', ')}`);
      hit.push(cycle.ruleId!);
      t.diagnostic(`step ${step}: ${cycle.failedAt} failed as predicted by ${cycle.ruleId}; applying: ${applyFindingFixes(predicted).join('; ')}`);
      // A failed restore leaves the container stopped; a failed dump leaves it running. Either way the config is read at start.
      await restart(c);
      assert.ok(step < 10, 'the loop did not converge');
    }
    assert.deepEqual([...hit].sort(), named, 'every error the doctor named was a failure of the raw cycle, and nothing else was');
    t.diagnostic(`agreement: ${hit.join(' -> ')} -> READY`);
  });
});

labTest('ctcr doctor --fix with the rules it names makes a stock busybox container READY, and it checkpoints', async (t) => {
  await withContainer(t, async (c) => {
    const first = await doctor(t, c);
    assert.equal(first.verdict, 'NOT READY');
    const rules = [...new Set(first.errors.map((e) => e.ruleId))];
    const fixed = await ctcr(['doctor', c.name, '-P', c.lxcpath, '--fix', ...rules.flatMap((r) => ['--rule', r]), '-f', 'json']);
    assert.ok(fixed.exitCode === 0 || fixed.exitCode === 1, fixed.stderr);
    t.diagnostic(`doctor --fix ${rules.map((r) => `--rule ${r}`).join(' ')}: ${fixed.stderr.trim().split('\n').slice(0, 8).join(' / ')}`);
    // The config is read at start: until the restart the live container is what it was.
    await restart(c);
    const after = await doctor(t, c);
    assert.equal(after.verdict, 'READY', `still NOT READY after --fix: ${after.errors.map((e) => e.ruleId).join(', ')}`);
    const cycle = await rawCycle(t, c);
    assert.ok(cycle.ok, `READY, but the raw ${cycle.failedAt} failed: ${cycle.root}`);
    assert.deepEqual(cycle.after, cycle.before);
  });
});

labTest('a checkpoint made with a console, restored without one: the doctor names console-mismatch, and the raw restore fails on exactly that', async (t) => {
  await withContainer(t, async (c) => {
    // What the stock config needs to checkpoint at all, as the doctor fixes it; the console stays (console-enabled is not an error).
    const first = await doctor(t, c);
    const rules = [...new Set(first.errors.map((e) => e.ruleId))];
    const fixed = await ctcr(['doctor', c.name, '-P', c.lxcpath, '--fix', ...rules.flatMap((r) => ['--rule', r]), '-f', 'json']);
    assert.ok(fixed.exitCode === 0 || fixed.exitCode === 1, fixed.stderr);
    await restart(c);
    assert.equal((await doctor(t, c)).verdict, 'READY');

    const dir = scratchDir(t);
    const dump = await lxcTool(c, 'lxc-checkpoint', ['-s', '-D', dir], 180_000);
    assert.ok(dump.ok, `raw dump failed: ${dump.stderr}`);
    assert.ok(existsSync(`${dir}/tty.info`), 'LXC recorded the console in tty.info: the dump had one');

    // The target side turns the console off.
    const config = readFileSync(c.configPath, 'utf8');
    writeFileSync(c.configPath, `${config.replace(/\n?$/, '\n')}lxc.console.path = none\n`);
    const predicted = await ctcr(['doctor', c.name, '-P', c.lxcpath, '--restore', '-D', dir, '-f', 'json']);
    assert.equal(predicted.exitCode, 1, predicted.stderr);
    const errors = (JSON.parse(predicted.stdout) as JsonReport).results.flatMap((r) => r.findings).filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((e) => e.ruleId), ['console-mismatch']);

    const restore = await lxcTool(c, 'lxc-checkpoint', ['-r', '-D', dir], 180_000);
    assert.equal(restore.ok, false, 'the raw restore without a console fails');
    const log = existsSync(`${dir}/restore.log`) ? readFileSync(`${dir}/restore.log`, 'utf8') : '';
    const cause = diagnose(log, restore.stderr);
    t.diagnostic(`raw restore without a console: ${cause.root} -> ${cause.ruleId}`);
    assert.equal(cause.ruleId, 'console-mismatch');

    // The doctor's suggestion (comment the line out) makes the same images restore.
    applyFindingFixes(errors);
    assert.equal((await ctcr(['doctor', c.name, '-P', c.lxcpath, '--restore', '-D', dir])).exitCode, 0);
    const again = await lxcTool(c, 'lxc-checkpoint', ['-r', '-D', dir], 180_000);
    assert.ok(again.ok, `restore with the console back failed: ${again.stderr}`);
    assert.equal(await containerState(c), 'RUNNING');
  });
});
