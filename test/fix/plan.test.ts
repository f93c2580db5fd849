/**
 * The fix loop on its own, with small in-memory linters: passes until
 * nothing changes, overlapping fixes waiting for the next pass, fixes whole
 * across files, the pass cap, cycle detection, suggestions only when chosen,
 * and a final lint of the final text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, Fix, RootfsEntry } from '../../src/types.js';
import { planFixes, simulateRootfsOps, type FixOverlay, type FixSelection, type LintFunction } from '../../src/fix/plan.js';
import { RuleCrashError } from '../../src/engine/evaluate.js';
import { InputError } from '../../src/errors.js';

const FIXES_ONLY: FixSelection = { suggestions: false, rules: [] };
const ALL: FixSelection = { suggestions: true, rules: [] };

type Check = (file: string, text: string) => Finding[];

/** A linter over fixed files: `files` as on disk, `checks` run on the overlay's texts. Records the texts of every lint. */
function linter(files: Record<string, string>, ...checks: Check[]): LintFunction & { seen: Map<string, string>[] } {
  const seen: Map<string, string>[] = [];
  const lint = async (overlay: FixOverlay) => {
    const texts = new Map(Object.entries(files).map(([f, t]) => [f, overlay.texts.get(f) ?? t]));
    seen.push(texts);
    return { findings: [...texts].flatMap(([f, t]) => checks.flatMap((c) => c(f, t))), texts };
  };
  return Object.assign(lint, { seen });
}

function finding(ruleId: string, file: string, fix?: Fix, suggestions?: Fix[]): Finding {
  return { ruleId, severity: 'error', message: ruleId, location: { file, line: 1, column: 1 }, fix, suggestions };
}

/** Every occurrence of `from` becomes `to`, one finding per occurrence. */
function replaceAll(ruleId: string, from: string, to: string, kind: 'fix' | 'suggestion' = 'fix'): Check {
  return (file, text) => {
    const out: Finding[] = [];
    for (let i = text.indexOf(from); i >= 0; i = text.indexOf(from, i + 1)) {
      const fix: Fix = { description: `${from} -> ${to}`, edits: [{ file, start: i, end: i + from.length, text: to }] };
      out.push(kind === 'fix' ? finding(ruleId, file, fix) : finding(ruleId, file, undefined, [fix]));
    }
    return out;
  };
}

test('passes repeat until nothing changes, and the findings are those of the final text', async () => {
  // foo -> bar, then bar -> baz: the second rule only sees work after the first pass.
  const lint = linter({ f: 'foo foo\n' }, replaceAll('a', 'foo', 'bar'), replaceAll('b', 'bar', 'baz'));
  const plan = await planFixes(lint, FIXES_ONLY);
  assert.equal(plan.texts.get('f'), 'baz baz\n');
  assert.equal(plan.passes, 2);
  assert.deepEqual(plan.changedFiles, ['f']);
  assert.deepEqual(plan.final.findings, []);
  assert.equal(lint.seen.at(-1)!.get('f'), 'baz baz\n', 'the last lint is of the final text');
  assert.deepEqual(plan.applied.map((a) => [a.ruleId, a.pass]), [['a', 1], ['a', 1], ['b', 2], ['b', 2]]);
  assert.equal(plan.original.get('f'), 'foo foo\n');
});

test('overlapping fixes: the later one waits for the next pass and is computed again', async () => {
  // 'ab' -> 'X' and 'bc' -> 'Y' overlap on 'b'; after the first, 'bc' no longer exists.
  const lint = linter({ f: 'abc' }, replaceAll('first', 'ab', 'X'), replaceAll('second', 'bc', 'Y'), replaceAll('third', 'Xc', 'Z'));
  const plan = await planFixes(lint, FIXES_ONLY);
  assert.equal(plan.texts.get('f'), 'Z');
  assert.deepEqual(plan.applied.map((a) => a.ruleId), ['first', 'third']);
});

test('a fix is whole across files: deferred in one file, it is not applied in the other', async () => {
  const both: Check = (file, text) =>
    file === 'a' && text.startsWith('1')
      ? [finding('both', 'a', { description: 'both files', edits: [{ file: 'a', start: 0, end: 1, text: '2' }, { file: 'b', start: 0, end: 1, text: '2' }] })]
      : [];
  const onlyB: Check = (file, text) => (file === 'b' && text.startsWith('1') ? [finding('b-only', 'b', { description: 'b', edits: [{ file: 'b', start: 0, end: 1, text: '9' }] })] : []);
  // b-only's finding comes first, so it takes b[0] in pass 1.
  const lint: LintFunction = async (overlay) => {
    const texts = new Map([['a', overlay.texts.get('a') ?? '1a'], ['b', overlay.texts.get('b') ?? '1b']]);
    return { findings: [...onlyB('b', texts.get('b')!), ...both('a', texts.get('a')!)], texts };
  };
  const plan = await planFixes(lint, FIXES_ONLY);
  // Pass 1: 'both' clashes with b-only in b, so a is not edited either; pass 2 computes 'both' again and applies it to both files.
  assert.equal(plan.applied[0].ruleId, 'b-only');
  assert.equal(plan.applied[0].pass, 1);
  assert.ok(!plan.applied.some((a) => a.ruleId === 'both' && a.pass === 1), 'both waited');
  assert.equal(plan.texts.get('a'), '2a');
  assert.equal(plan.texts.get('b'), '2b');
});

test('stops after 10 passes with a warning when fixes keep coming', async () => {
  const grow: Check = (file, text) => [finding('grow', file, { description: 'append x', edits: [{ file, start: text.length, end: text.length, text: 'x' }] })];
  const lint = linter({ f: '' }, grow);
  const plan = await planFixes(lint, FIXES_ONLY);
  assert.equal(plan.passes, 10);
  assert.equal(plan.texts.get('f'), 'x'.repeat(10));
  assert.match(plan.warnings.join('\n'), /stopped after 10 passes/);
  assert.equal(lint.seen.at(-1)!.get('f'), 'x'.repeat(10), 'the final findings are of the final text');
});

test('a cycle (text equal to two passes before) stops the loop with a warning naming the rules', async () => {
  const lint = linter({ f: 'a' }, replaceAll('to-b', 'a', 'b'), replaceAll('to-a', 'b', 'a'));
  const plan = await planFixes(lint, FIXES_ONLY);
  assert.equal(plan.passes, 2);
  assert.match(plan.warnings.join('\n'), /undo each other.*to-b.*to-a|undo each other.*to-a.*to-b/);
  assert.ok(lint.seen.length <= 4, `stopped early (${lint.seen.length} lints)`);
});

test('suggestions apply only when chosen: --suggestions, or --rule for that rule', async () => {
  const files = { f: 'tty=5 console=1' };
  const checks = [replaceAll('tty', 'tty=5', 'tty=0', 'suggestion'), replaceAll('console', 'console=1', 'console=0', 'suggestion')];
  assert.equal((await planFixes(linter(files, ...checks), FIXES_ONLY)).texts.get('f'), 'tty=5 console=1');
  assert.equal((await planFixes(linter(files, ...checks), ALL)).texts.get('f'), 'tty=0 console=0');
  const one = await planFixes(linter(files, ...checks), { suggestions: false, rules: ['console'] });
  assert.equal(one.texts.get('f'), 'tty=5 console=0');
  assert.deepEqual(one.applied.map((a) => [a.ruleId, a.kind]), [['console', 'suggestion']]);
  assert.deepEqual(one.final.findings.map((f) => f.ruleId), ['tty'], 'the unchosen suggestion is still reported');
});

test("a finding's first suggestion is the one applied (suggestions are alternatives)", async () => {
  const check: Check = (file, text) =>
    text === 'x'
      ? [finding('alt', file, undefined, [{ description: 'one', edits: [{ file, start: 0, end: 1, text: '1' }] }, { description: 'two', edits: [{ file, start: 0, end: 1, text: '2' }] }])]
      : [];
  const plan = await planFixes(linter({ f: 'x' }, check), ALL);
  assert.equal(plan.texts.get('f'), '1');
});

test('a fix that edits a file that was not read is a rule bug, named', async () => {
  const bad: Check = (file) => [finding('bad-rule', file, { description: 'elsewhere', edits: [{ file: '/nowhere', start: 0, end: 0, text: 'x' }] })];
  await assert.rejects(planFixes(linter({ f: 'x' }, bad), FIXES_ONLY, 'target'), (err: unknown) => err instanceof RuleCrashError && /bad-rule.*\/nowhere/.test(err.message));
  const outside: Check = (file) => [finding('bad-range', file, { description: 'past the end', edits: [{ file, start: 5, end: 9, text: 'x' }] })];
  await assert.rejects(planFixes(linter({ f: 'x' }, outside), FIXES_ONLY), /bad-range.*outside/);
});

test('fixes that would make the config unreadable are dropped, with a warning, and the loop ends', async () => {
  const breaking = replaceAll('breaker', 'ok', 'BROKEN');
  const inner = linter({ f: 'ok\n' }, breaking);
  const lint: LintFunction = async (overlay) => {
    if (overlay.texts.get('f')?.includes('BROKEN')) throw new InputError("'BROKEN' has no '='", { file: 'f', line: 1 });
    return inner(overlay);
  };
  const plan = await planFixes(lint, FIXES_ONLY);
  assert.equal(plan.texts.get('f'), 'ok\n');
  assert.deepEqual(plan.applied, []);
  assert.deepEqual(plan.changedFiles, []);
  assert.match(plan.warnings.join('\n'), /breaker.*unreadable.*f:1/);
});

test('fixes that change nothing end the loop at once', async () => {
  const same: Check = (file, text) => [finding('same', file, { description: 'no-op', edits: [{ file, start: 0, end: text.length, text }] })];
  const plan = await planFixes(linter({ f: 'abc' }, same), FIXES_ONLY);
  assert.equal(plan.passes, 0);
  assert.deepEqual(plan.applied, []);
  assert.deepEqual(plan.changedFiles, []);
});

test('rootfs operations are planned once and laid over the rootfs for the next lint', async () => {
  const entry = (p: string): RootfsEntry => ({ path: p, realPath: p, type: 'file', mode: 0o100755, size: 1 });
  const lint: LintFunction = async (overlay) => {
    const rootfs = simulateRootfsOps({ kind: 'dir' as const, location: '/r', paths: { '/sbin/udevd': entry('/sbin/udevd') } as Record<string, RootfsEntry | null> }, overlay.rootfsOps);
    const findings = rootfs.paths['/sbin/udevd']
      ? [finding('udevd', 'config', undefined, [{ description: 'rename', edits: [], rootfsOps: [{ op: 'rename', from: '/sbin/udevd', to: '/sbin/udevd.bcp' }] }])]
      : [];
    return { findings, texts: new Map([['config', '']]), rootfs };
  };
  const plan = await planFixes(lint, ALL);
  assert.deepEqual(plan.rootfsOps, [{ op: 'rename', from: '/sbin/udevd', to: '/sbin/udevd.bcp' }]);
  assert.equal(plan.passes, 1);
  assert.deepEqual(plan.final.findings, []);
  assert.deepEqual(plan.changedFiles, []);
});

test('simulateRootfsOps: the old name and paths resolving to it are absent, the new name answers', () => {
  const e = (p: string, real = p): RootfsEntry => ({ path: p, realPath: real, type: 'file', mode: 0o100755, size: 1 });
  const paths: Record<string, RootfsEntry | null> = { '/sbin/udevd': e('/sbin/udevd', '/usr/sbin/udevd'), '/usr/sbin/udevd': e('/usr/sbin/udevd'), '/bin/sh': e('/bin/sh'), '/sbin/udevd.bcp': null };
  const rootfs = { paths };
  const after = simulateRootfsOps(rootfs, [{ op: 'rename', from: '/sbin/udevd', to: '/sbin/udevd.bcp' }]);
  assert.equal(after.paths['/sbin/udevd'], null);
  assert.equal(after.paths['/usr/sbin/udevd'], null);
  assert.deepEqual(after.paths['/bin/sh'], e('/bin/sh'));
  assert.equal(after.paths['/sbin/udevd.bcp']?.path, '/sbin/udevd.bcp');
  assert.notEqual(rootfs.paths['/sbin/udevd'], null, 'the input is not modified');
});

test('with a scope, a fix editing a file outside it is refused in every pass, and a suggestion that stays inside is taken instead (issue 12)', async () => {
  const scope = { describe: 'own', owns: (f: string) => f.startsWith('own/') };
  const shared = 'shared/common.conf';
  const own = 'own/config';
  // A rule with two alternatives: edit the shared file, or override in the container's own config.
  const override: Check = (file, text) =>
    file === shared && text.includes('X')
      ? [finding('override', file, undefined, [
          { description: 'edit shared', edits: [{ file: shared, start: 0, end: 1, text: 'Y' }] },
          { description: 'override in own', edits: [{ file: own, start: 0, end: 0, text: 'O\n' }] },
        ])]
      : [];
  // Only shared-file edits on offer: refused, and so is the second pass's (the loop re-lints, and the shared text is never changed).
  const lint = linter({ [own]: 'c\n', [shared]: 'X foo\n' }, replaceAll('legacy', 'foo', 'bar'), override);
  const plan = await planFixes(lint, ALL, 'web1', scope);
  assert.equal(plan.texts.get(shared), 'X foo\n', 'the shared file is never changed in memory either');
  assert.ok(lint.seen.every((texts) => texts.get(shared) === 'X foo\n'));
  assert.match(plan.texts.get(own)!, /^O\n/, 'the override in the own config was chosen');
  assert.deepEqual(plan.changedFiles, [own]);
  assert.deepEqual(plan.refused.map((r) => [r.ruleId, r.files]), [['legacy', [shared]]]);
  assert.match(plan.refused[0].reason, /which is not this target's \(ctcr fix edits only own/);
  // Without a scope (a test's in-memory linter, a caller that names none) everything read is editable.
  const free = await planFixes(linter({ [own]: 'c\n', [shared]: 'X foo\n' }, replaceAll('legacy', 'foo', 'bar')), FIXES_ONLY);
  assert.equal(free.texts.get(shared), 'X bar\n');
});
