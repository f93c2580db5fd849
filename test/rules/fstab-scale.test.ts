/**
 * Lint cost is linear in the fstab's size: each finding's fix locates its
 * line without rescanning the text from the start (a 40,000-line fstab took
 * 56 s when it did).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRules } from '../../src/engine/load-rules.js';
import { lintTargets } from '../../src/engine/lint.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { lineSpan } from '../../src/config/line-edits.js';

const LINES = 40_000;

test(`a ${LINES.toLocaleString('en')}-line fstab with a finding on every line lints in seconds, and every fix hits its own line`, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-fstab-scale-'));
  const lines = Array.from({ length: LINES }, (_, i) => `/dev/sd${i} mnt/d${i} ext4 defaults 0 0`);
  await writeFile(path.join(dir, 'fstab'), lines.join('\n') + '\n');
  await writeFile(path.join(dir, 'config'), 'lxc.uts.name = big\nlxc.mount.fstab = fstab\n');
  const rules = (await loadRules()).filter((r) => r.id === 'unsupported-filesystem');
  const t0 = performance.now();
  const outcome = await lintTargets([{ label: dir, configPath: path.join(dir, 'config'), expectRootfs: false }], rules, { levels: {}, assumptions: resolveAssumptions(undefined, undefined) });
  const took = performance.now() - t0;
  const findings = outcome.results[0]!.findings;
  assert.equal(findings.length, LINES);
  // Linear: well under a second of work; quadratic: about a minute.
  assert.ok(took < 10_000, `${took.toFixed(0)} ms`);
  const text = lines.join('\n') + '\n';
  for (const i of [0, 1, LINES / 2, LINES - 1]) {
    const edit = findings[i]!.suggestions![0]!.edits[0]!;
    assert.equal(text.slice(edit.start, text.indexOf('\n', edit.start)), lines[i], `line ${i + 1}`);
  }
});

test('lineSpan gives the same spans from a cached index as by counting, for every end of line', () => {
  // CRLF and LF-CR are one end of line each (as in the config parser, issue 15.8); a lone CR or LF is one too.
  const text = 'a\r\nbb\n\rccc\r\n\nd\rlast';
  const expected = [
    { line: 1, start: 0, end: 1, endWithEol: 3, eol: '\r\n' },
    { line: 2, start: 3, end: 5, endWithEol: 7, eol: '\n\r' },
    { line: 3, start: 7, end: 10, endWithEol: 12, eol: '\r\n' },
    { line: 4, start: 12, end: 12, endWithEol: 13, eol: '\n' },
    { line: 5, start: 13, end: 14, endWithEol: 15, eol: '\r' },
    { line: 6, start: 15, end: 19, endWithEol: 19, eol: '' },
  ];
  for (const round of [1, 2]) for (const span of expected) assert.deepEqual(lineSpan(text, span.line), span, `round ${round} line ${span.line}`);
  assert.equal(lineSpan(text, 7), undefined);
  assert.equal(lineSpan(text, 0), undefined);
  assert.equal(lineSpan('', 1), undefined);
  assert.deepEqual(lineSpan('x\n', 1), { line: 1, start: 0, end: 1, endWithEol: 2, eol: '\n' });
  assert.equal(lineSpan('x\n', 2), undefined);
});
