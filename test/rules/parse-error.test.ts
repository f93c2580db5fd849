/**
 * parse-error: the engine turns a target it cannot read into this rule's
 * finding on the file at fault; the other targets are linted as usual.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import rule from '../../rules/parse-error.js';
import { lintTargets } from '../../src/engine/lint.js';
import { loadRules } from '../../src/engine/load-rules.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { tempTree } from '../helpers/cli.js';

const rules = await loadRules();
const lint = async (files: Record<string, string>, names: string[]) => {
  const dir = await tempTree(files);
  const targets = names.map((n) => ({ label: n, configPath: path.join(dir, n), expectRootfs: false }));
  const out = await lintTargets(targets, rules, { levels: {}, assumptions: resolveAssumptions(undefined, undefined) });
  return { dir, out };
};

test('parse-error is a built-in error rule', () => {
  assert.equal(rule.id, 'parse-error');
  assert.equal(rule.severity, 'error');
  assert.ok(rules.some((r) => r.id === 'parse-error'));
});

test('a readable config has no parse-error', async () => {
  const { out } = await lint({ 'ok.conf': 'lxc.uts.name = c1\n' }, ['ok.conf']);
  assert.ok(!out.results[0]!.findings.some((f) => f.ruleId === 'parse-error'));
});

test('a line without = is a parse-error at that line; the next target is still linted', async () => {
  const { dir, out } = await lint({ 'bad.conf': 'lxc.uts.name = c1\nlxc.tty.max 4\n', 'next.conf': 'lxc.tty.max = 4\n' }, ['bad.conf', 'next.conf']);
  assert.equal(out.results.length, 2);
  const [bad, next] = out.results;
  assert.deepEqual(bad!.findings.map((f) => [f.ruleId, f.severity, f.location.file, f.location.line]), [['parse-error', 'error', path.join(dir, 'bad.conf'), 2]]);
  assert.equal(out.snapshots[0], undefined);
  assert.ok(next!.findings.some((f) => f.ruleId === 'tty-nonzero'));
});

test('an include cycle is a parse-error on the file that closes it', async () => {
  const { out } = await lint({ 'a.conf': 'lxc.include = b.conf\n', 'b.conf': 'lxc.include = a.conf\n' }, ['a.conf']);
  const f = out.results[0]!.findings[0]!;
  assert.equal(f.ruleId, 'parse-error');
  assert.match(f.message, /include cycle/);
  assert.equal(path.basename(f.location.file), 'b.conf');
});

test('a truncated rootfs image is a parse-error on the image', async () => {
  const dir = await tempTree({ 'c.conf': 'lxc.uts.name = c1\n', 'rootfs.tar.gz': '\u001f\u008b\u0008\u0000garbage' });
  const target = { label: 'c.conf', configPath: path.join(dir, 'c.conf'), image: path.join(dir, 'rootfs.tar.gz'), expectRootfs: true };
  const out = await lintTargets([target], rules, { levels: {}, assumptions: resolveAssumptions(undefined, undefined) });
  const f = out.results[0]!.findings.find((x) => x.ruleId === 'parse-error');
  assert.ok(f, JSON.stringify(out.results[0]));
  assert.equal(f.location.file, target.image);
});
