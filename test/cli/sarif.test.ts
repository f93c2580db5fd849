/**
 * SARIF output validates against the OASIS SARIF 2.1.0 schema, kept in
 * fixtures/sarif (its source in SOURCE.md there), with ajv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ctcr, tempTree, REPO } from '../helpers/cli.js';

export const SARIF_SCHEMA = path.join(REPO, 'fixtures/sarif/sarif-schema-2.1.0.json');

/** The schema is draft-04 (`id`, not `$id`); ajv reads it as draft-07, which it otherwise matches. */
export async function sarifValidator(): Promise<(log: unknown) => string | undefined> {
  const { $schema: _draft, id, ...rest } = JSON.parse(await readFile(SARIF_SCHEMA, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  const validate = ajv.compile({ $id: id, ...rest });
  return (log) => (validate(structuredClone(log)) ? undefined : JSON.stringify(validate.errors, null, 2));
}

async function sarifOf(files: Record<string, string>, args: string[]): Promise<{ text: string; dir: string; exitCode: number }> {
  const dir = await tempTree(files);
  const r = await ctcr(['lint', ...args, '-f', 'sarif'], { cwd: dir });
  return { text: r.stdout, dir, exitCode: r.exitCode };
}

test('SARIF output is valid against the 2.1.0 schema and carries rule help and fixes', async () => {
  const { text, exitCode } = await sarifOf({ 'c.conf': 'lxc.tty.max = 4\n# ctcr-disable-next-line tty-nonzero\nlxc.uts.name = x\n' }, ['c.conf']);
  assert.equal(exitCode, 1);
  const log = JSON.parse(text) as any; // a parsed SARIF log: the schema check above is its type
  const invalid = (await sarifValidator())(log);
  assert.equal(invalid, undefined, invalid);
  const run = log.runs[0];
  const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'tty-nonzero');
  assert.ok(rule.help.text.includes('Fix:'));
  const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'tty-nonzero');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'tty-nonzero');
  // The message id (SARIF 2.1.0 §3.11.10 message.id) names one of the rule's messageStrings; the text stays for consumers that show it.
  assert.equal(result.message.id, 'ttys');
  assert.match(result.message.text, /^lxc\.tty\.max = 4:/);
  assert.equal(typeof rule.messageStrings[result.message.id].text, 'string');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'c.conf');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 1 });
  assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '0');
});

test('the schema check can fail: a result without a message is rejected', async () => {
  const { text } = await sarifOf({ 'c.conf': 'lxc.tty.max = 4\n' }, ['c.conf']);
  const log = JSON.parse(text);
  delete log.runs[0].results[0].message;
  log.runs[0].results[0].level = 'fatal';
  assert.notEqual((await sarifValidator())(log), undefined);
});

test('helpUri is the rule page at this version when package.json names a repository; without one, the installed page as a file: URI', async () => {
  const { formatSarif } = await import('../../src/report/sarif.js');
  const rule = { id: 'tty-nonzero', severity: 'error' as const, summary: 'ttys', docs: { why: 'why', fix: 'fix' } };
  const ctx = { results: [], rules: [rule], color: false, cwd: '/tmp', version: '1.2.3' };
  const withRepo = JSON.parse(formatSarif({ ...ctx, repositoryUrl: 'https://github.com/example/ctcr' }));
  const described = withRepo.runs[0].tool.driver.rules[0];
  assert.equal(described.helpUri, 'https://github.com/example/ctcr/blob/v1.2.3/docs/rules/tty-nonzero.md');
  assert.equal((await sarifValidator())(withRepo), undefined, 'an absolute helpUri is valid');
  const without = JSON.parse(formatSarif(ctx)).runs[0].tool.driver.rules[0];
  assert.equal(without.helpUri, pathToFileURL(path.join(REPO, 'docs/rules/tty-nonzero.md')).href);
  assert.equal((await sarifValidator())(JSON.parse(formatSarif(ctx))), undefined, 'a file: helpUri is valid');
  assert.match(without.help.text, /Examples and exceptions: file:\/\/\S+\/docs\/rules\/tty-nonzero\.md$/);
  // A rule without a page (a --rules-dir rule) gets no helpUri, with or without a repository.
  const own = { ...rule, id: 'site-own-rule' };
  for (const extra of [{}, { repositoryUrl: 'https://github.com/example/ctcr' }]) {
    const d = JSON.parse(formatSarif({ ...ctx, ...extra, rules: [own] })).runs[0].tool.driver.rules[0];
    assert.equal(d.helpUri, undefined);
  }
});
