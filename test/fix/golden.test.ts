/**
 * Golden tests of `ctcr fix`, through the real CLI: each folder of
 * fixtures/fix/ holds `input/` (the files as found), `expected/` (the files
 * as the fix must leave them) and `args.json` (the command line, run in a
 * copy of input/, and the exit code). For every case:
 *   - the real run leaves exactly expected/ (every file, byte for byte), with
 *     one backup per changed file holding its old text, and nothing else;
 *   - a second run changes no byte, makes no backup and exits the same;
 *   - the --dry-run diff, applied with patch(1) to another copy, gives
 *     exactly what the real run wrote, and the dry run itself writes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, readlink, lstat, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ctcr, REPO } from '../helpers/cli.js';
import { ctcrRaw } from './run-cli.js';
import { loadRules } from '../../src/engine/load-rules.js';

interface CaseArgs {
  description: string;
  args: string[];
  exit: number;
  /** Patterns the first run's stderr must match. */
  stderr?: string[];
}

const CASES = path.join(REPO, 'fixtures', 'fix');
const BACKUP = /\.ctcr-bak\.\d{8}T\d{9}Z-[0-9a-f]{4}$/;

type Tree = Map<string, { kind: 'file'; data: Buffer } | { kind: 'link'; target: string } | { kind: 'dir' }>;

async function readTree(root: string, rel = ''): Promise<Tree> {
  const tree: Tree = new Map();
  for (const name of (await readdir(path.join(root, rel))).sort()) {
    const p = path.join(rel, name);
    const info = await lstat(path.join(root, p));
    if (info.isSymbolicLink()) tree.set(p, { kind: 'link', target: await readlink(path.join(root, p)) });
    else if (info.isDirectory()) {
      tree.set(p, { kind: 'dir' });
      for (const [k, v] of await readTree(root, p)) tree.set(k, v);
    } else tree.set(p, { kind: 'file', data: await readFile(path.join(root, p)) });
  }
  return tree;
}

function withoutBackups(tree: Tree): Tree {
  return new Map([...tree].filter(([p]) => !BACKUP.test(p)));
}

function assertSameTree(actual: Tree, expected: Tree, what: string): void {
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${what}: the same paths`);
  for (const [p, want] of expected) {
    const got = actual.get(p)!;
    assert.equal(got.kind, want.kind, `${what}: ${p} is a ${want.kind}`);
    if (want.kind === 'file' && got.kind === 'file') assert.ok(got.data.equals(want.data), `${what}: ${p} byte for byte\n--- got\n${got.data}\n--- want\n${want.data}`);
    if (want.kind === 'link' && got.kind === 'link') assert.equal(got.target, want.target, `${what}: ${p} link target`);
  }
}

async function copyInput(caseDir: string, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `ctcr-fix-${prefix}-`));
  await cp(path.join(caseDir, 'input'), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Applies a dry run's output: the diff with patch(1), the `# rootfs DIR: rename A -> B` lines by hand (patch skips them). */
async function applyDryRun(diff: string, workDir: string, copyDir: string): Promise<void> {
  if (diff.includes('\n+++ ')) {
    const r = await execa('patch', ['-p0', '--batch', '--no-backup-if-mismatch', '--quiet'], { cwd: copyDir, input: diff, reject: false });
    assert.equal(r.exitCode, 0, `patch applies the dry run's diff cleanly: ${r.stdout}${r.stderr}`);
  }
  for (const m of diff.matchAll(/^# rootfs (.+): rename (\S+) -> (\S+)$/gm)) {
    const root = path.join(copyDir, path.relative(workDir, path.resolve(workDir, m[1])));
    await rename(path.join(root, m[2]), path.join(root, m[3]));
  }
}

const names = (await readdir(CASES)).sort();
/** Rules whose fix or suggestion some case applied (from the run's summary lines). */
const exercised = new Set<string>();

test('there are golden cases', () => {
  assert.ok(names.length >= 8, `only ${names.length} cases in fixtures/fix`);
});

for (const name of names) {
  const caseDir = path.join(CASES, name);
  const spec = JSON.parse(await readFile(path.join(caseDir, 'args.json'), 'utf8')) as CaseArgs;
  test(`golden ${name}: ${spec.description}`, async () => {
    const input = await readTree(path.join(caseDir, 'input'));
    const expected = await readTree(path.join(caseDir, 'expected'));
    const state = await mkdtemp(path.join(tmpdir(), 'ctcr-state-'));
    const env = { CTCR_STATE_DIR: state };
    const work = await copyInput(caseDir, name);
    const patched = await copyInput(caseDir, `${name}-patched`);
    try {
      // The dry run: writes nothing, and its diff is the real run's result.
      const dry = await ctcrRaw([...spec.args, '--dry-run'], { cwd: work, env });
      assert.equal(dry.exitCode, spec.exit, `dry run exit code\n${dry.stderr}`);
      assertSameTree(await readTree(work), input, 'after --dry-run');
      assert.deepEqual(await readdir(state), [], 'a dry run records no run');
      await applyDryRun(dry.stdout, work, patched);
      assertSameTree(await readTree(patched), expected, 'input + the dry run diff');

      // The real run.
      const first = await ctcr(spec.args, { cwd: work, env });
      assert.equal(first.exitCode, spec.exit, `exit code\n${first.stdout}\n${first.stderr}`);
      for (const pattern of spec.stderr ?? []) assert.match(first.stderr, new RegExp(pattern), 'stderr');
      for (const m of first.stderr.matchAll(/^  (?:fix|suggestion) +(\S+)  /gm)) exercised.add(m[1]);
      const after = await readTree(work);
      assertSameTree(withoutBackups(after), expected, 'after the fix');
      const backups = [...after].filter(([p]) => BACKUP.test(p));
      const changed = [...expected].filter(([p, e]) => {
        const i = input.get(p);
        return e.kind === 'file' && i?.kind === 'file' && !i.data.equals(e.data);
      });
      assert.deepEqual(backups.map(([p]) => p.replace(BACKUP, '')).sort(), changed.map(([p]) => p).sort(), 'one backup per changed file, none for others');
      for (const [p, b] of backups) {
        const original = input.get(p.replace(BACKUP, ''));
        assert.ok(b.kind === 'file' && original?.kind === 'file' && b.data.equals(original.data), `${p} holds the old text`);
      }
      if (changed.length === 0 && [...input.keys()].join() === [...expected.keys()].join()) assert.match(first.stderr, /nothing to fix/);

      // Idempotent: a second run finds nothing and changes nothing.
      const second = await ctcr(spec.args, { cwd: work, env });
      assert.equal(second.exitCode, spec.exit, `second run exit code\n${second.stderr}`);
      assert.match(second.stderr, /nothing to fix/, 'second run');
      assertSameTree(await readTree(work), after, 'after a second run');
    } finally {
      for (const d of [state, work, patched]) await rm(d, { recursive: true, force: true });
    }
  });
}

test('every static rule that offers fixes or suggestions has a golden case that applies them', async () => {
  // A rule offers fixes when its module builds edits or rootfs operations (the Fix fields); unused-suppression is the engine's own.
  // Live rules need a container's live facts: their fixes are applied by `ctcr fix NAME` and exercised by lab-roundtrip.test.ts.
  const offering = ['unused-suppression'];
  for (const rule of await loadRules()) {
    const source = await readFile(path.join(REPO, 'dist', 'rules', `${rule.id}.js`), 'utf8');
    if (rule.scope === 'static' && /\b(edits|rootfsOps)\s*:/.test(source)) offering.push(rule.id);
  }
  assert.ok(offering.length >= 5, `only ${offering.length} fixable rules found`);
  const missing = offering.filter((id) => !exercised.has(id)).sort();
  assert.deepEqual(missing, [], `rules without a golden case in fixtures/fix/ that applies their fix: ${missing.join(', ')}`);
});
