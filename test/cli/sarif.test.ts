/**
 * SARIF output validates against the SARIF 2.1.0 schema (ajv) and passes
 * Microsoft's SARIF multitool `validate`, which code scanning's ingestion follows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, chmod, access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ctcr, tempTree } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const MULTITOOL_DIR = path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json'));

async function sarifOf(files: Record<string, string>, args: string[]): Promise<{ text: string; dir: string; exitCode: number }> {
  const dir = await tempTree(files);
  const r = await ctcr(['lint', ...args, '-f', 'sarif'], { cwd: dir });
  return { text: r.stdout, dir, exitCode: r.exitCode };
}

test('SARIF output is valid against the 2.1.0 schema and carries rule help and fixes', async () => {
  const { text, exitCode } = await sarifOf({ 'c.conf': 'lxc.tty.max = 4\n# ctcr-disable-next-line tty-nonzero\nlxc.uts.name = x\n' }, ['c.conf']);
  assert.equal(exitCode, 1);
  const log = JSON.parse(text) as any; // a parsed SARIF log: the schema check above is its type
  const schema = JSON.parse(await readFile(path.join(MULTITOOL_DIR, 'sarif-2.1.0.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(structuredClone(log)), JSON.stringify(validate.errors, null, 2));
  const run = log.runs[0];
  const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'tty-nonzero');
  assert.ok(rule.help.text.includes('Fix:'));
  const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'tty-nonzero');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'tty-nonzero');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'c.conf');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 1 });
  assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '0');
});

test('SARIF output passes the SARIF multitool validator', async () => {
  const tool = path.join(MULTITOOL_DIR, 'Sarif.Multitool');
  await access(tool);
  // npm 11 does not run the package's postinstall (chmod u+x) unless approved.
  await chmod(tool, 0o755);
  const { text, dir } = await sarifOf({ 'c.conf': 'lxc.tty.max = 4\nlxc.uts.name = x\n' }, ['c.conf']);
  const file = path.join(dir, 'out.sarif');
  await writeFile(file, text);
  const r = await execa(tool, ['validate', file, '-o', path.join(dir, 'validation.sarif')], { reject: false, env: { DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
  const report = JSON.parse(await readFile(path.join(dir, 'validation.sarif'), 'utf8'));
  const errors = report.runs[0].results.filter((x: { level?: string }) => x.level === 'error');
  assert.deepEqual(errors, [], 'no validation errors');
});
