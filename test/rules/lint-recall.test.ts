/**
 * Lint's recall on real configs: fixtures/configs/real/*.conf come from public sources (each names its own
 * in a `# source:` line), and expected-findings.json says which findings LXC, the kernel and CRIU call
 * for in each, with a reason, judged by reading their code. The test lints every config as `ctcr lint`
 * does (no --lxc-version, no --criu-version), prints
 * `lint recall: N/M expected findings on K real configs`, and fails below the floor. Findings of the
 * listed rules that no expectation names are printed too (and fail the test), so the expectations
 * cannot drift into whatever lint says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRules } from '../../src/engine/load-rules.js';
import { lintTargets } from '../../src/engine/lint.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { REPO } from '../helpers/cli.js';

interface Expected {
  rule: string;
  line: number;
  why: string;
}

interface Corpus {
  rules: string[];
  configs: Record<string, Expected[]>;
}

/** Below this share of expected findings the test fails (today every one is found). */
const RECALL_FLOOR = 0.95;

const DIR = path.join(REPO, 'fixtures', 'configs', 'real');
const corpus = JSON.parse(readFileSync(path.join(DIR, 'expected-findings.json'), 'utf8')) as Corpus;

test('every real config has its source line and its expectations', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.conf')).sort();
  assert.deepEqual(Object.keys(corpus.configs).sort(), files, 'expected-findings.json covers exactly the .conf files of the folder');
  for (const f of files) assert.match(readFileSync(path.join(DIR, f), 'utf8'), /^# source: \S/, `${f} starts with "# source: ..."`);
  for (const [f, list] of Object.entries(corpus.configs)) {
    for (const e of list) {
      assert.ok(corpus.rules.includes(e.rule), `${f}: ${e.rule} is one of the measured rules`);
      assert.ok(e.why.length > 5, `${f}:${e.line}: a reason`);
    }
  }
});

test('lint recall on real configs', async (t) => {
  const rules = await loadRules();
  const files = Object.keys(corpus.configs).sort();
  const targets = files.map((f) => ({ label: f, configPath: path.join(DIR, f), expectRootfs: false }));
  const { results } = await lintTargets(targets, rules, { levels: {}, assumptions: resolveAssumptions(undefined, undefined) });
  let found = 0;
  let expected = 0;
  const missed: string[] = [];
  const unexpected: string[] = [];
  results.forEach((result, i) => {
    const file = files[i];
    const own = result.findings.filter((f) => corpus.rules.includes(f.ruleId) && path.basename(f.location.file) === file);
    for (const e of corpus.configs[file]) {
      expected++;
      if (own.some((f) => f.ruleId === e.rule && f.location.line === e.line)) found++;
      else missed.push(`${file}:${e.line} ${e.rule} (${e.why})`);
    }
    for (const f of own) {
      if (!corpus.configs[file].some((e) => e.rule === f.ruleId && e.line === f.location.line)) unexpected.push(`${file}:${f.location.line} ${f.ruleId}: ${f.message}`);
    }
  });
  const line = `lint recall: ${found}/${expected} expected findings on ${files.length} real configs`;
  t.diagnostic(line);
  console.log(line);
  for (const m of missed) t.diagnostic(`missed: ${m}`);
  for (const u of unexpected) t.diagnostic(`not expected: ${u}`);
  assert.ok(found / expected >= RECALL_FLOOR, `${line}, below the floor of ${RECALL_FLOOR}; missed:\n${missed.join('\n')}`);
  assert.deepEqual(unexpected, [], 'findings of the measured rules that expected-findings.json does not call for');
});
