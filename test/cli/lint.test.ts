/**
 * `ctcr lint` as a CI gate sees it: exit codes, formats, colours, settings,
 * suppressions and one-line input errors, through the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { CLI, ctcr, tempTree, isOneLineError } from '../helpers/cli.js';

const TTY4 = 'lxc.uts.name = c1\nlxc.tty.max = 4\nlxc.console.path = none\n';
const CLEAN = 'lxc.uts.name = c1\nlxc.tty.max = 0\nlxc.pty.max = 0\nlxc.console.path = none\n';
const ESC = '\u001b[';

test('--help teaches: commands, examples and exit codes', async () => {
  const r = await ctcr(['--help']);
  assert.equal(r.exitCode, 0);
  for (const word of ['lint', 'rules', 'Exit codes']) assert.ok(r.stdout.includes(word), `help mentions ${word}`);
  const lintHelp = await ctcr(['lint', '--help']);
  assert.equal(lintHelp.exitCode, 0);
  assert.match(lintHelp.stdout, /--fail-on/);
  assert.match(lintHelp.stdout, /Examples:/);
});

test('--version prints the package version alone', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
  const r = await ctcr(['--version']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('an error finding exits 1; a clean config exits 0', async () => {
  const dir = await tempTree({ 'bad.conf': TTY4, 'good.conf': CLEAN });
  const bad = await ctcr(['lint', path.join(dir, 'bad.conf')]);
  assert.equal(bad.exitCode, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /2:1\s+error\s+.*tty-nonzero/);
  const good = await ctcr(['lint', path.join(dir, 'good.conf')]);
  assert.equal(good.exitCode, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /no problems/);
});

test('colours only on a terminal, never with NO_COLOR', async () => {
  const dir = await tempTree({ 'c.conf': TTY4 });
  const file = path.join(dir, 'c.conf');
  const piped = await ctcr(['lint', file]);
  assert.ok(!piped.stdout.includes(ESC), 'no escape codes when stdout is a pipe');
  const forced = await ctcr(['lint', file], { env: { FORCE_COLOR: '1' } });
  assert.ok(forced.stdout.includes(ESC), 'FORCE_COLOR turns colour on');
  const noColor = await ctcr(['lint', file, '--color'], { env: { NO_COLOR: '1' } });
  assert.ok(!noColor.stdout.includes(ESC), 'NO_COLOR wins even over --color');
});

test('json output is pure JSON with stable fields, and the exit code does not depend on the format', async () => {
  const dir = await tempTree({ 'c.conf': TTY4 });
  const r = await ctcr(['lint', path.join(dir, 'c.conf'), '-f', 'json']);
  assert.equal(r.exitCode, 1);
  const data = JSON.parse(r.stdout);
  const f = data.results[0].findings.find((x: { ruleId: string }) => x.ruleId === 'tty-nonzero');
  assert.deepEqual([f.severity, f.line, f.column, f.file], ['error', 2, 1, path.join(dir, 'c.conf')]);
  assert.equal(f.messageId, 'ttys', 'the finding carries its message id');
  assert.equal(f.suggestions[0].edits[0].text, '0');
  assert.equal(data.summary.error >= 1, true);
});

test('github format writes workflow annotations', async () => {
  const dir = await tempTree({ 'c.conf': TTY4 });
  const r = await ctcr(['lint', 'c.conf', '-f', 'github'], { cwd: dir });
  assert.equal(r.exitCode, 1);
  assert.match(r.stdout, /^::error file=c\.conf,line=2,col=1,title=ctcr tty-nonzero::lxc\.tty\.max = 4/m);
});

test('--fail-on and --max-warnings set the gate', async () => {
  const dir = await tempTree({ 'c.conf': TTY4 });
  const file = path.join(dir, 'c.conf');
  const infoOnly = await ctcr(['lint', file, '-f', 'json']);
  const warnings = JSON.parse(infoOnly.stdout).summary.warning as number;
  // Turn the only error off: what remains decides with --fail-on and --max-warnings.
  await writeFile(path.join(dir, '.ctcrrc'), '[rules]\ntty-nonzero = off\n');
  const off = await ctcr(['lint', file]);
  assert.equal(off.exitCode, 0, off.stdout);
  await writeFile(path.join(dir, '.ctcrrc'), '[rules]\ntty-nonzero = warning\n');
  assert.equal((await ctcr(['lint', file])).exitCode, 0, 'a warning does not fail the default gate');
  assert.equal((await ctcr(['lint', file, '--fail-on', 'warning'])).exitCode, 1);
  assert.equal((await ctcr(['lint', file, '--max-warnings', String(warnings)])).exitCode, 1, 'one more warning than allowed');
  assert.equal((await ctcr(['lint', file, '--max-warnings', String(warnings + 1)])).exitCode, 0);
});

test('a config line without = is a parse-error finding of that file, exit 1; the other targets are still linted', async () => {
  const dir = await tempTree({ 'c.conf': 'lxc.uts.name = c1\nlxc.tty.max 4\n', 'ok.conf': TTY4 });
  const r = await ctcr(['lint', 'c.conf', 'ok.conf', '-f', 'json'], { cwd: dir });
  assert.equal(r.exitCode, 1, r.stderr);
  assert.equal(r.stderr, '');
  const [bad, ok] = JSON.parse(r.stdout).results;
  assert.deepEqual(bad.findings.map((f: any) => [f.ruleId, f.severity, path.basename(f.file), f.line, f.column]), [['parse-error', 'error', 'c.conf', 2, 1]]);
  assert.match(bad.findings[0].message, /'lxc\.tty\.max 4' has no '='/);
  assert.ok(ok.findings.some((f: any) => f.ruleId === 'tty-nonzero'), 'the next target is linted');
  const sarif = JSON.parse((await ctcr(['lint', 'c.conf', '-f', 'sarif'], { cwd: dir })).stdout);
  assert.ok(sarif.runs[0].results.some((x: any) => x.ruleId === 'parse-error' && x.level === 'error'));
  assert.ok(sarif.runs[0].tool.driver.rules.some((x: any) => x.id === 'parse-error'));
});

test('a missing path and a bad flag value are usage errors (exit 2); an include cycle is a parse-error finding', async () => {
  const dir = await tempTree({ 'a.conf': 'lxc.include = b.conf\n', 'b.conf': 'lxc.include = a.conf\n' });
  const missing = await ctcr(['lint', path.join(dir, 'nope.conf')]);
  assert.equal(missing.exitCode, 2);
  assert.ok(isOneLineError(missing.stderr), missing.stderr);
  const badFlag = await ctcr(['lint', path.join(dir, 'a.conf'), '--fail-on', 'fatal']);
  assert.equal(badFlag.exitCode, 2);
  const cycle = await ctcr(['lint', path.join(dir, 'a.conf'), '-f', 'compact']);
  assert.equal(cycle.exitCode, 1);
  assert.match(cycle.stdout, /b\.conf:1:1: error: lxc\.include cycle: a\.conf -> b\.conf -> a\.conf.*\[parse-error\]/);
});

test('settings errors name the settings file and line', async () => {
  const dir = await tempTree({ 'c.conf': CLEAN, '.ctcrrc': 'format = json\nfail-on = sometimes\n' });
  const r = await ctcr(['lint', 'c.conf'], { cwd: dir });
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /\.ctcrrc:2:1: fail-on 'sometimes'/);
  await writeFile(path.join(dir, '.ctcrrc'), '[rules]\nno-such-rule = off\n');
  const unknown = await ctcr(['lint', 'c.conf'], { cwd: dir });
  assert.equal(unknown.exitCode, 2);
  assert.match(unknown.stderr, /no-such-rule/);
});

test('the settings file sets the default format', async () => {
  const dir = await tempTree({ 'c.conf': CLEAN, '.ctcrrc': 'format = json\n' });
  const r = await ctcr(['lint', 'c.conf'], { cwd: dir });
  assert.doesNotThrow(() => JSON.parse(r.stdout));
});

test('inline suppressions: next line and file; an unused one is reported', async () => {
  const nextLine = '# ctcr-disable-next-line tty-nonzero -- console access needed in staging\nlxc.tty.max = 4\n' + CLEAN.replace('lxc.tty.max = 0\n', '');
  const dir = await tempTree({ 'n.conf': nextLine, 'f.conf': '# ctcr-disable tty-nonzero\n' + TTY4, 'u.conf': '# ctcr-disable-next-line tty-nonzero\n' + CLEAN });
  const n = JSON.parse((await ctcr(['lint', path.join(dir, 'n.conf'), '-f', 'json'])).stdout);
  assert.ok(!n.results[0].findings.some((f: { ruleId: string }) => f.ruleId === 'tty-nonzero'));
  assert.ok(!n.results[0].findings.some((f: { ruleId: string }) => f.ruleId === 'unused-suppression'));
  const f = JSON.parse((await ctcr(['lint', path.join(dir, 'f.conf'), '-f', 'json'])).stdout);
  assert.ok(!f.results[0].findings.some((x: { ruleId: string }) => x.ruleId === 'tty-nonzero'));
  const u = JSON.parse((await ctcr(['lint', path.join(dir, 'u.conf'), '-f', 'json'])).stdout);
  const unused = u.results[0].findings.find((x: { ruleId: string }) => x.ruleId === 'unused-suppression');
  assert.ok(unused, 'unused suppression reported');
  assert.equal(unused.line, 1);
  assert.equal(unused.fix.edits[0].start, 0);
});

test('unused-suppression is ranked by the settings like any rule, and SARIF describes it', async () => {
  const dir = await tempTree({ 'u.conf': '# ctcr-disable-next-line tty-nonzero\n' + CLEAN, '.ctcrrc': '[rules]\nunused-suppression = error\n' });
  const r = await ctcr(['lint', 'u.conf', '-f', 'json'], { cwd: dir });
  const unused = JSON.parse(r.stdout).results[0].findings.find((x: { ruleId: string }) => x.ruleId === 'unused-suppression');
  assert.equal(unused?.severity, 'error');
  assert.equal(r.exitCode, 1, 'an error-level finding fails the gate');
  const sarif = JSON.parse((await ctcr(['lint', 'u.conf', '-f', 'sarif'], { cwd: dir })).stdout);
  const run = sarif.runs[0];
  const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'unused-suppression');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'unused-suppression');
  assert.equal(result.level, 'error');
});

test('many targets at once come back in the order given', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`c${String(i).padStart(2, '0')}.conf`] = i % 2 ? TTY4 : CLEAN;
  const dir = await tempTree(files);
  const names = Object.keys(files).reverse();
  const r = await ctcr(['lint', ...names, '-f', 'json'], { cwd: dir });
  assert.deepEqual(JSON.parse(r.stdout).results.map((x: { target: string }) => x.target), names);
  const glob = await ctcr(['lint', '*.conf', '-f', 'json'], { cwd: dir });
  assert.equal(JSON.parse(glob.stdout).results.length, 20);
});

test('ctcr rules lists rules and explains one; an unknown id is exit 2', async () => {
  const list = await ctcr(['rules']);
  assert.equal(list.exitCode, 0);
  assert.match(list.stdout, /^tty-nonzero\s+error\s+static/m);
  const one = await ctcr(['rules', 'tty-nonzero']);
  assert.match(one.stdout, /Why:\n[\s\S]*Fix:\n/);
  const json = JSON.parse((await ctcr(['rules', '-f', 'json'])).stdout);
  assert.ok(json.some((r: { id: string }) => r.id === 'unused-suppression'));
  const unknown = await ctcr(['rules', 'no-such-rule']);
  assert.equal(unknown.exitCode, 2);
  assert.ok(isOneLineError(unknown.stderr));
});

test('--rules-dir loads a user rule; a broken rule module is an input error', async () => {
  const rule = `export default { id: 'no-hostname', severity: 'warning', scope: 'static', summary: 'No lxc.uts.name.', docs: { why: 'w', fix: 'f' },
    check(s) { return s.config && !s.config.entries.some((e) => e.key === 'lxc.uts.name') ? [{ message: 'no hostname', location: { file: s.config.path, line: 1, column: 1 } }] : []; } };\n`;
  const dir = await tempTree({ 'rules/no-hostname.mjs': rule, 'c.conf': 'lxc.tty.max = 0\n', 'bad/oops.mjs': 'export default { id: "Oops" };\n' });
  const r = await ctcr(['lint', 'c.conf', '--rules-dir', 'rules', '-f', 'json'], { cwd: dir });
  assert.ok(JSON.parse(r.stdout).results[0].findings.some((f: { ruleId: string }) => f.ruleId === 'no-hostname'));
  const bad = await ctcr(['lint', 'c.conf', '--rules-dir', 'bad'], { cwd: dir });
  assert.equal(bad.exitCode, 2);
  assert.match(bad.stderr, /oops\.mjs: not a ctcr rule: id 'Oops' is not kebab-case/);
});

test('an unreadable config is a parse-error finding, not a crash', async () => {
  const dir = await tempTree({ 'c.conf': CLEAN });
  await chmod(path.join(dir, 'c.conf'), 0o000);
  await chmod(dir, 0o755);
  // Root reads files whatever their mode: as root, ctcr runs as another user (setpriv), as it would for one.
  const r = process.getuid?.() === 0
    ? await execa('setpriv', ['--reuid', '1234', '--regid', '1234', '--clear-groups', process.execPath, CLI, 'lint', path.join(dir, 'c.conf')], { reject: false, env: { ...process.env, NO_COLOR: '1' } })
    : await ctcr(['lint', path.join(dir, 'c.conf')]);
  assert.equal(r.exitCode, 1, String(r.stderr));
  assert.match(String(r.stdout), /permission denied.*parse-error/);
  assert.equal(String(r.stderr), '');
});
