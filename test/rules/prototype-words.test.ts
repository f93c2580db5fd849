/**
 * Ordinary words that are also names on Object.prototype (`constructor`,
 * `__proto__`, `toString`...) in every place a config can carry a word: no
 * table keyed by config text may find an inherited member, so no rule
 * crashes; and a rule that does crash is a finding of its target, naming the
 * rule and the target, while the other targets are still reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Rule } from '../../src/types.js';
import { loadRules } from '../../src/engine/load-rules.js';
import { gatherStatic } from '../../src/gather/static.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { lintTargets } from '../../src/engine/lint.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { host, busybox } from '../helpers/live-facts.js';
import { PROTOTYPE_WORDS } from '../helpers/prototype-words.js';


/** A config with the word in every value, key part and token position the rules look at. */
function configWith(w: string): string {
  return [
    `lxc.uts.name = ${w}`,
    `lxc.mount.auto = ${w} proc:${w} sys:${w} cgroup:${w}`,
    `lxc.mount.entry = ${w} ${w} ${w} ${w} 0 0`,
    `lxc.mount.entry = /srv srv none bind,${w} 0 0`,
    `lxc.mount.entry = none run/${w} tmpfs ${w}=1 0 0`,
    `lxc.mount.fstab = fstab`,
    `lxc.net.0.type = ${w}`,
    `lxc.net.0.link = ${w}`,
    `lxc.net.0.flags = ${w}`,
    `lxc.net.1.${w} = x`,
    `lxc.network.type = ${w}`,
    `lxc.network.${w} = x`,
    `lxc.${w} = 1`,
    `lxc.cgroup.${w} = 1`,
    `lxc.cgroup2.${w} = 1`,
    `lxc.cgroup.devices.${w} = 1`,
    `lxc.apparmor.profile = ${w}`,
    `lxc.apparmor.allow_nesting = ${w}`,
    `lxc.tty.max = ${w}`,
    `lxc.pty.max = ${w}`,
    `lxc.console.path = ${w}`,
    `lxc.rootfs.path = ${w}:${w}`,
    `lxc.rootfs.backend = ${w}`,
    `lxc.rootfs.options = ${w}`,
    `lxc.cap.drop = ${w}`,
    `lxc.namespace.keep = ${w}`,
    `lxc.environment = ${w}=${w}`,
    `lxc.hook.pre-start = ${w}`,
    `lxc.log.level = ${w}`,
    `lxc.signal.halt = ${w}`,
    `lxc.seccomp.profile = ${w}`,
    `lxc.idmap = ${w} 0 100000 65536`,
    `lxc.include = ${w}`,
    `# ctcr-disable-next-line ${w} -- ${w}`,
    `lxc.tty = ${w} # ${w}`,
    '',
  ].join('\n');
}

const fstabWith = (w: string) => `${w} ${w} ${w} ${w} 0 0\n${w} /${w} bind ${w} 0 0\nproc proc proc ${w} 0 0\n`;

async function targetDir(w: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-proto-'));
  await writeFile(path.join(dir, 'config'), configWith(w));
  await writeFile(path.join(dir, 'fstab'), fstabWith(w));
  await mkdir(path.join(dir, 'rootfs', 'sbin'), { recursive: true });
  await writeFile(path.join(dir, 'rootfs', 'sbin', w === '__proto__' ? 'x' : w), '');
  return dir;
}

const rulesPromise = loadRules();

test('no rule crashes on words of Object.prototype, in lint or doctor facts', async () => {
  const rules = await rulesPromise;
  const assumptions = resolveAssumptions(undefined, undefined);
  for (const lxc of [undefined, '2.0', '7.0']) {
    const a = lxc ? resolveAssumptions(undefined, lxc) : assumptions;
    for (const w of PROTOTYPE_WORDS) {
      const dir = await targetDir(w);
      const target = { label: dir, configPath: path.join(dir, 'config'), rootfsDir: path.join(dir, 'rootfs'), expectRootfs: true };
      const rootfsPaths = [...new Set(rules.flatMap((r) => r.rootfsPaths ?? []))];
      const snapshot = await gatherStatic(target, { rootfsPaths, assumptions: a, purpose: 'lint' });
      const levels = Object.fromEntries(rules.map((r) => [r.id, r.severity]));
      for (const snap of [snapshot, { ...snapshot, host: host(), container: busybox(), purpose: 'doctor' as const }]) {
        const findings = evaluate(rules, snap, levels);
        const crashed = findings.filter((f) => /failed on/.test(f.message) && /bug in ctcr/.test(f.message));
        assert.deepEqual(crashed.map((f) => f.message), [], `word ${w}, lxc ${lxc ?? 'default'}`);
        for (const f of findings) {
          assert.ok(!/native code|\[object |undefined|NaN/.test(f.message), `word ${w}: ${f.ruleId}: ${f.message}`);
          for (const fix of [...(f.fix ? [f.fix] : []), ...(f.suggestions ?? [])]) assert.ok(!/native code|\[object /.test(fix.description), `${w}: ${fix.description}`);
        }
      }
    }
  }
});

const testRule = (id: string, summary: string, check: Rule['check']): Rule => ({ id, severity: 'warning', summary, docs: { why: 'test', fix: 'test' }, scope: 'static', check });
const boom = testRule('boom', 'Crashes on purpose.', (snapshot) => {
  if (snapshot.config?.entries.some((e) => e.value === 'crash')) throw new TypeError("Cannot read properties of undefined (reading 'replace')");
  return [];
});
const quiet = testRule('quiet', 'Reports every entry.', (s) => (s.config?.entries ?? []).map((e) => ({ message: `saw ${e.key}`, location: { file: s.config!.path, line: e.line, column: 1 } })));

test('a crashing rule is a finding of its target naming the rule and the target; other rules and targets are still reported', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-crash-'));
  await writeFile(path.join(dir, 'bad.conf'), 'lxc.uts.name = crash\n');
  await writeFile(path.join(dir, 'good.conf'), 'lxc.uts.name = fine\n');
  const targets = ['bad.conf', 'good.conf'].map((f) => ({ label: path.join(dir, f), configPath: path.join(dir, f), expectRootfs: false }));
  const outcome = await lintTargets(targets, [boom, quiet], { levels: {}, assumptions: resolveAssumptions(undefined, undefined) });
  assert.equal(outcome.results.length, 2);
  const [bad, good] = outcome.results;
  const crash = bad!.findings.find((f) => f.ruleId === 'boom');
  assert.ok(crash, JSON.stringify(bad));
  assert.equal(crash.severity, 'error');
  assert.match(crash.message, /rule 'boom' failed on .*bad\.conf.*reading 'replace'/);
  assert.equal(crash.location.file, path.join(dir, 'bad.conf'));
  assert.ok(bad!.findings.some((f) => f.ruleId === 'quiet'), 'the other rules of the crashed target still report');
  assert.deepEqual(good!.findings.map((f) => f.ruleId), ['quiet']);
});
