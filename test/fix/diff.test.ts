/**
 * The unified diff of --dry-run: shortest (as long as an LCS says it must
 * be), in the layout patch(1) reads, and exact: applying it with patch to
 * the old text gives the new text byte for byte, CRLFs and missing final
 * newlines included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { diffLines, splitLines, unifiedDiff } from '../../src/fix/diff.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lcsLength(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

function randomText(next: () => number): string {
  const words = ['lxc.tty.max = 0', 'lxc.tty.max = 4', '# comment', '', 'lxc.uts.name = c1', 'lxc.net.0.type = veth', '\tindented'];
  const eols = ['\n', '\n', '\n', '\r\n'];
  const n = Math.floor(next() * 14);
  let text = '';
  for (let i = 0; i < n; i++) text += words[Math.floor(next() * words.length)] + eols[Math.floor(next() * eols.length)];
  // Sometimes a last line without EOL.
  if (next() < 0.3) text += words[Math.floor(next() * words.length)] || 'x';
  return text;
}

/** Mutates a text: lines dropped, added, changed. */
function mutate(text: string, next: () => number): string {
  const lines = splitLines(text);
  const out: string[] = [];
  for (const line of lines) {
    const r = next();
    if (r < 0.15) continue;
    if (r < 0.3) out.push('lxc.new = ' + Math.floor(next() * 5) + '\n');
    out.push(r < 0.4 ? line.replace(/\d/, '9') : line);
  }
  if (next() < 0.2) out.push('lxc.tail = 1');
  return out.join('');
}

test('splitLines keeps every character and each line its EOL', () => {
  assert.deepEqual(splitLines('a\nb\r\nc'), ['a\n', 'b\r\n', 'c']);
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('\n\n'), ['\n', '\n']);
});

test('the edit script is as short as the longest common subsequence allows', () => {
  const next = rng(7);
  for (let i = 0; i < 300; i++) {
    const a = splitLines(randomText(next));
    const b = splitLines(mutate(a.join(''), next));
    const ops = diffLines(a, b);
    const changes = ops.filter((o) => o.kind !== ' ').length;
    assert.equal(changes, a.length + b.length - 2 * lcsLength(a, b), `case ${i}`);
    assert.deepEqual(ops.filter((o) => o.kind !== '+').map((o) => o.line), a, 'the old side is a');
    assert.deepEqual(ops.filter((o) => o.kind !== '-').map((o) => o.line), b, 'the new side is b');
  }
});

test('hunks: 3 lines of context, changes 6 or fewer lines apart share a hunk, further apart they do not', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`);
  const change = (idx: number[]) => lines.map((l, i) => (idx.includes(i) ? l.replace('line', 'LINE') : l)).join('');
  const one = unifiedDiff('f', lines.join(''), change([9, 16]));
  assert.equal(one.match(/^@@/gm)?.length, 1, one);
  assert.match(one, /^@@ -7,14 \+7,14 @@$/m);
  const two = unifiedDiff('f', lines.join(''), change([9, 17]));
  assert.equal(two.match(/^@@/gm)?.length, 2, two);
  assert.match(two, /^@@ -7,7 \+7,7 @@$/m);
  assert.match(two, /^@@ -15,7 \+15,7 @@$/m);
  assert.equal(unifiedDiff('f', 'same\n', 'same\n'), '', 'no diff for equal texts');
});

test('headers and markers: ---/+++ name the file, a last line without EOL is marked', () => {
  const d = unifiedDiff('dir/config', 'a\nb', 'a\nc');
  assert.equal(d, '--- dir/config\n+++ dir/config\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  assert.equal(unifiedDiff('f', '', 'x\n'), '--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n');
  assert.equal(unifiedDiff('f', 'x\n', ''), '--- f\n+++ f\n@@ -1 +0,0 @@\n-x\n');
});

test('patch(1) applies every diff exactly (300 random pairs, CRLF and missing final newlines among them)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-diff-'));
  try {
    const next = rng(42);
    const pairs: { name: string; before: string; after: string }[] = [];
    for (let i = 0; i < 300; i++) {
      const before = randomText(next);
      const after = mutate(before, next);
      // patch cannot create a file from an empty one in this form, nor is that a fix's case: keep both non-empty.
      if (before === '' || after === '') continue;
      pairs.push({ name: `f${i}.conf`, before, after });
    }
    for (const p of pairs) await writeFile(path.join(dir, p.name), p.before);
    const diff = pairs.map((p) => unifiedDiff(p.name, p.before, p.after)).join('');
    const r = await execa('patch', ['-p0', '--batch', '--no-backup-if-mismatch', '--quiet'], { cwd: dir, input: diff, reject: false });
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    for (const p of pairs) assert.equal(await readFile(path.join(dir, p.name), 'utf8'), p.after, p.name);
    assert.ok(pairs.filter((p) => p.before !== p.after).length > 200, 'most pairs differ');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('shortest on longer texts too (60 pairs of up to 400 lines, many repeated lines)', () => {
  const next = rng(1234);
  for (let i = 0; i < 60; i++) {
    const lines = Array.from({ length: 50 + Math.floor(next() * 350) }, () => `l${Math.floor(next() * 12)}\n`);
    const a = lines;
    const b = splitLines(mutate(lines.join(''), next));
    const ops = diffLines(a, b);
    assert.equal(ops.filter((o) => o.kind !== ' ').length, a.length + b.length - 2 * lcsLength(a, b), `case ${i}`);
    assert.deepEqual(ops.filter((o) => o.kind !== '+').map((o) => o.line), a);
    assert.deepEqual(ops.filter((o) => o.kind !== '-').map((o) => o.line), b);
  }
});

test('20,000 changed lines: memory stays linear (the forward algorithm kept a trace of every step: gigabytes, then out of memory)', () => {
  // Every other line of a 40k-line config changes, and every line of another one: the two extremes of a fix's diff.
  const before = Array.from({ length: 40_000 }, (_, i) => `lxc.${i % 2 ? 'tty' : 'uts.name'} = ${i}\n`).join('');
  const after = before.replace(/^lxc\.tty = /gm, 'lxc.tty.max = ');
  const heap = process.memoryUsage().heapUsed;
  const d = unifiedDiff('config', before, after);
  assert.equal(d.match(/^-lxc\.tty = /gm)?.length, 20_000);
  assert.equal(d.match(/^\+lxc\.tty\.max = /gm)?.length, 20_000);
  const all = unifiedDiff('config', before, before.replace(/ = /g, ' := '));
  assert.equal(all.match(/^-/gm)!.length - 1, 40_000);
  // A bound far above what linear needs (a few tens of MB) and far below the trace (gigabytes).
  assert.ok(process.memoryUsage().heapUsed - heap < 400 * 1024 * 1024, `${Math.round((process.memoryUsage().heapUsed - heap) / 2 ** 20)} MB`);
});

test('repeated lines in a different order: still as short as the LCS allows (no line is dropped from the search wrongly)', () => {
  const a = splitLines('x\ny\nx\ny\nz\n');
  const b = splitLines('y\nx\ny\nx\nq\n');
  const ops = diffLines(a, b);
  assert.equal(ops.filter((o) => o.kind !== ' ').length, a.length + b.length - 2 * lcsLength(a, b));
});
