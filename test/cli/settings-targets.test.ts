/**
 * Issue 12, "Settings and targets" and "Failures are results": what a CI
 * user with ESLint's habits expects of targets, settings and the gate,
 * through the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { CLI, ctcr, tempTree, isOneLineError } from '../helpers/cli.js';

const TTY4 = 'lxc.uts.name = c1\nlxc.tty.max = 4\nlxc.console.path = none\n';
const CLEAN = 'lxc.uts.name = c1\nlxc.tty.max = 0\nlxc.pty.max = 0\nlxc.console.path = none\n';

const json = (stdout: string) => JSON.parse(stdout) as { results: { target: string; notes?: string[]; findings: { ruleId: string; severity: string; file: string; line: number; message: string }[] }[]; summary: Record<string, number> };
const ids = (r: { findings: { ruleId: string }[] }) => r.findings.map((f) => f.ruleId);

test('each target gets the .ctcrrc nearest to it, also through a glob', async () => {
  const dir = await tempTree({ 'a/.ctcrrc': '[rules]\ntty-nonzero = off\n', 'a/c.conf': TTY4, 'b/c.conf': TTY4 });
  const both = json((await ctcr(['lint', 'a/c.conf', 'b/c.conf', '-f', 'json'], { cwd: dir })).stdout);
  assert.deepEqual(both.results.map((r) => ids(r).includes('tty-nonzero')), [false, true], 'a/.ctcrrc turns the rule off for a/ only');
  const reversed = json((await ctcr(['lint', 'b/c.conf', 'a/c.conf', '-f', 'json'], { cwd: dir })).stdout);
  assert.deepEqual(reversed.results.map((r) => ids(r).includes('tty-nonzero')), [true, false], 'not the first target\'s settings for all');
  const glob = json((await ctcr(['lint', '*/c.conf', '-f', 'json'], { cwd: dir })).stdout);
  assert.deepEqual(glob.results.map((r) => [r.target, ids(r).includes('tty-nonzero')]), [['a/c.conf', false], ['b/c.conf', true]]);
});

test('--print-config PATH shows the settings in effect for that path', async () => {
  const dir = await tempTree({ 'a/.ctcrrc': 'lxc-version = 7.0\nignore-patterns = old/\n[rules]\ntty-nonzero = warning\n', 'a/c.conf': TTY4, 'b/c.conf': TTY4 });
  const a = await ctcr(['lint', '--print-config', 'a/c.conf'], { cwd: dir });
  assert.equal(a.exitCode, 0, a.stderr);
  const cfg = JSON.parse(a.stdout);
  assert.equal(cfg.settingsFile, path.join(dir, 'a/.ctcrrc'));
  assert.equal(cfg.lxcVersion, '7.0');
  assert.equal(cfg.rules['tty-nonzero'], 'warning');
  assert.deepEqual(cfg.ignorePatterns, [path.join(dir, 'a/**/old/**')]);
  const b = JSON.parse((await ctcr(['lint', '--print-config', 'b/c.conf'], { cwd: dir })).stdout);
  assert.equal(b.settingsFile, null);
  assert.equal(b.rules['tty-nonzero'], 'error');
  assert.match(b.versions, /CRIU 4\.2 \(default\), LXC 6\.0 \(default\)/);
});

test('repeatable options do not swallow the paths after them', async () => {
  const rule = `export default { id: 'always', severity: 'warning', scope: 'static', summary: 'Always.', docs: { why: 'w', fix: 'f' },
    check(s) { return s.config ? [{ message: 'hi', location: { file: s.config.path, line: 1, column: 1 } }] : []; } };\n`;
  const dir = await tempTree({ 'rules/always.mjs': rule, 'x.conf': TTY4 });
  const r = await ctcr(['lint', '--rules-dir', 'rules', 'x.conf', '-f', 'json'], { cwd: dir });
  assert.equal(r.exitCode, 1, r.stderr);
  const res = json(r.stdout).results;
  assert.deepEqual(res.map((x) => x.target), ['x.conf']);
  assert.ok(ids(res[0]).includes('always') && ids(res[0]).includes('tty-nonzero'));
  const fix = await ctcr(['lint', '--fix', '--dry-run', '--rule', 'tty-nonzero', 'x.conf'], { cwd: dir });
  assert.equal(fix.exitCode, 0, fix.stderr);
  assert.match(fix.stdout, /^\+lxc\.tty\.max = 0$/m, 'x.conf is a target, not a second --rule');
});

test('lint - reads a config from standard input, named by --stdin-filename (settings and includes from its folder)', async () => {
  const dir = await tempTree({ 'web/.ctcrrc': '[rules]\nconsole-enabled = off\n', 'web/extra.conf': 'lxc.tty.max = 4\n' });
  const r = await ctcr(['lint', '-', '--stdin-filename', 'web/config', '-f', 'compact'], { cwd: dir, input: 'lxc.uts.name = w\nlxc.include = extra.conf\n' });
  assert.equal(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, /^web\/extra\.conf:1:1: error: .*\[tty-nonzero\]$/m);
  assert.doesNotMatch(r.stdout, /console-enabled/, 'web/.ctcrrc applies');
  const plain = await ctcr(['lint', '-', '-f', 'compact'], { cwd: dir, input: CLEAN });
  assert.equal(plain.exitCode, 0, plain.stdout + plain.stderr);
});

test('lint - --fix is a usage error: the fixer would edit the file on disk at --stdin-filename, not the piped text', async () => {
  const onDisk = 'lxc.uts.name = disk\nlxc.tty = 4\n';
  const dir = await tempTree({ 'web/config': onDisk });
  for (const fix of ['--fix', '--fix-dry-run']) {
    const r = await ctcr(['lint', '-', '--stdin-filename', 'web/config', fix], { cwd: dir, input: 'lxc.uts.name = piped\nlxc.tty = 4\n' });
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.match(r.stderr, /--fix cannot apply to - \(standard input\)/);
  }
  assert.equal(await readFile(path.join(dir, 'web/config'), 'utf8'), onDisk, 'the file on disk is untouched');
});

test('no path in a CI job is a usage error, never a lint of the machine\'s containers', async () => {
  const dir = await tempTree({});
  const ci = await ctcr(['lint'], { cwd: dir, env: { CI: 'true' } });
  assert.equal(ci.exitCode, 2);
  assert.ok(isOneLineError(ci.stderr), ci.stderr);
  assert.match(ci.stderr, /no path given/);
  assert.equal(ci.stdout, '');
  // stdin not a terminal (a pipe, as in every CI runner) counts as CI too.
  const piped = await ctcr(['lint'], { cwd: dir, env: { CI: undefined } });
  assert.equal(piped.exitCode, 2);
});

test('a folder of *.conf files lints each; a file reached as an include is not a container of its own', async () => {
  const dir = await tempTree({ 'confs/a.conf': TTY4, 'confs/b.conf': CLEAN, 'confs/main.conf': 'lxc.uts.name = m\nlxc.include = common.conf\n', 'confs/common.conf': 'lxc.tty.max = 0\nlxc.pty.max = 0\n' });
  const r = await ctcr(['lint', 'confs', '-f', 'json'], { cwd: dir });
  const res = json(r.stdout).results;
  assert.deepEqual(res.map((x) => x.target), ['confs/a.conf', 'confs/b.conf', 'confs/main.conf']);
  assert.ok(ids(res[0]).includes('tty-nonzero'));
});

test('--ignore-pattern and ignore-patterns in .ctcrrc leave paths out', async () => {
  const dir = await tempTree({ 'confs/a.conf': TTY4, 'confs/old/b.conf': TTY4, 'confs/c.orig.conf': TTY4, 'x/d.conf': TTY4, 'x/.ctcrrc': 'ignore-patterns = d.conf\n' });
  const r = await ctcr(['lint', 'confs/**/*.conf', 'x/d.conf', '--ignore-pattern', 'confs/old/', '--ignore-pattern', '*.orig.conf', '-f', 'json'], { cwd: dir });
  assert.deepEqual(json(r.stdout).results.map((x) => x.target), ['confs/a.conf']);
  const all = await ctcr(['lint', 'x/d.conf', '--ignore-pattern', 'x/*'], { cwd: dir });
  assert.equal(all.exitCode, 2);
  assert.match(all.stderr, /every target is ignored/);
});

test('a --rules-dir that does not exist, --max-warnings abc: usage errors; an unknown rule id in a suppression: a finding', async () => {
  const dir = await tempTree({ 'c.conf': 'lxc.uts.name = c\n# ctcr-disable-next-line tty-nonzreo\nlxc.tty.max = 4\n' });
  const noDir = await ctcr(['lint', 'c.conf', '--rules-dir', 'nope'], { cwd: dir });
  assert.equal(noDir.exitCode, 2);
  assert.match(noDir.stderr, /--rules-dir nope: no such directory/);
  const abc = await ctcr(['lint', 'c.conf', '--max-warnings', 'abc'], { cwd: dir });
  assert.equal(abc.exitCode, 2);
  assert.ok(isOneLineError(abc.stderr), abc.stderr);
  assert.match(abc.stderr, /--max-warnings 'abc' is not a whole number/);
  const typo = await ctcr(['lint', 'c.conf', '-f', 'compact'], { cwd: dir });
  assert.match(typo.stdout, /c\.conf:2:3: warning: .*names 'tty-nonzreo', which is not a rule.*\[unused-suppression\]/);
  assert.match(typo.stdout, /\[tty-nonzero\]/, 'the typo suppresses nothing');
});

test('too many warnings says so; --quiet hides warnings and does not count them', async () => {
  const dir = await tempTree({ 'c.conf': TTY4, '.ctcrrc': '[rules]\ntty-nonzero = warning\n' });
  const over = await ctcr(['lint', 'c.conf', '--max-warnings', '0'], { cwd: dir });
  assert.equal(over.exitCode, 1);
  assert.match(over.stderr, /too many warnings: \d+, more than --max-warnings 0/);
  const quiet = await ctcr(['lint', 'c.conf', '--max-warnings', '0', '--quiet', '-f', 'json'], { cwd: dir });
  assert.equal(quiet.exitCode, 0, quiet.stderr);
  assert.equal(json(quiet.stdout).summary.warning, 0);
  assert.equal(quiet.stderr, '');
});

test('lint says which versions it judged for, and where they came from', async () => {
  const dir = await tempTree({ 'c.conf': CLEAN, 'd/c.conf': CLEAN, 'd/.ctcrrc': 'criu-version = 4.1\n' });
  const def = await ctcr(['lint', 'c.conf', '-f', 'json'], { cwd: dir });
  assert.ok(json(def.stdout).results[0].notes!.includes('judged for CRIU 4.2 (default), LXC 6.0 (default)'));
  const flags = await ctcr(['lint', 'c.conf', 'd/c.conf', '--lxc-version', '7.0'], { cwd: dir });
  assert.match(flags.stdout, /c\.conf: judged for CRIU 4\.2 \(default\), LXC 7\.0 \(--lxc-version\)/);
  assert.match(flags.stdout, /d\/c\.conf: judged for CRIU 4\.1 \(criu-version in .*\.ctcrrc\), LXC 7\.0 \(--lxc-version\)/);
});

test('an absolute include outside the linted tree is reported as such', async () => {
  const outside = await tempTree({ 'shared.conf': 'lxc.pty.max = 0\n' });
  const dir = await tempTree({ 'c/config': `lxc.uts.name = c\nlxc.include = ${path.join(outside, 'shared.conf')}\n` });
  const r = json((await ctcr(['lint', 'c/config', '-f', 'json'], { cwd: dir })).stdout);
  assert.ok(r.results[0].notes!.some((n) => n.includes('is outside the linted tree') && n.includes('shared.conf')), JSON.stringify(r.results[0].notes));
});

test('a closed pipe ends quietly; -o into a missing folder is one line', async () => {
  const r = await execa('sh', ['-c', `"${process.execPath}" "${CLI}" rules | head -1`], { reject: false });
  assert.equal(r.exitCode, 0);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.split('\n').length, 1);
  const status = await execa('sh', ['-c', `"${process.execPath}" "${CLI}" rules; echo "rc=$?" >&2`], { reject: false, stdout: 'ignore' });
  assert.match(status.stderr, /rc=0/);
  const dir = await tempTree({ 'c.conf': CLEAN });
  const o = await ctcr(['lint', 'c.conf', '-o', 'no/such/dir/out.json'], { cwd: dir });
  assert.equal(o.exitCode, 2);
  assert.ok(isOneLineError(o.stderr), o.stderr);
  assert.match(o.stderr, /out\.json: cannot write the report: no folder/);
});

test('--format compact is one grep-friendly line per finding', async () => {
  const dir = await tempTree({ 'c.conf': TTY4 });
  const r = await ctcr(['lint', 'c.conf', '-f', 'compact'], { cwd: dir });
  assert.equal(r.exitCode, 1);
  const lines = r.stdout.trim().split('\n');
  for (const line of lines) assert.match(line, /^c\.conf:\d+:\d+: (error|warning|info): .+ \[[a-z0-9-]+\]$/);
  assert.ok(lines.some((l) => l.startsWith('c.conf:2:1: error: ') && l.endsWith('[tty-nonzero]')));
});

test('--help examples keep each command on one line; every command spells the format option -f/--format', async () => {
  const commands = ['lint', 'rules', 'doctor', 'fix', 'explain', 'checkpoint', 'restore'];
  for (const cmd of commands) {
    const r = await ctcr([cmd, '--help']);
    assert.equal(r.exitCode, 0, `${cmd} --help: ${r.stderr}`);
    const examples = r.stdout.split('Examples:')[1]?.split(/\n\s*\n/)[0] ?? '';
    assert.ok(examples.trim(), `${cmd} --help has examples`);
    for (const line of examples.split('\n').map((l) => l.trim()).filter(Boolean)) {
      assert.ok(line.startsWith('#') || /^([^#]*\| )?ctcr /.test(line), `${cmd}: an example line that is neither a command nor its description: '${line}'`);
    }
    assert.match(r.stdout, /-f, --format/, `${cmd} has -f, --format`);
    assert.doesNotMatch(r.stdout, /--json\b|--output-format/, `${cmd}: no other spelling`);
  }
});

test('lint --fix fixes each target by the settings nearest to it', async () => {
  const dir = await tempTree({ 'a/.ctcrrc': '[rules]\ntty-nonzero = off\n', 'a/c.conf': TTY4, 'b/c.conf': TTY4 });
  const r = await ctcr(['lint', 'a/c.conf', 'b/c.conf', '--fix', '--dry-run', '--rule', 'tty-nonzero'], { cwd: dir });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^\+\+\+ .*b\/c\.conf/m, 'b is fixed');
  assert.doesNotMatch(r.stdout, /^\+\+\+ .*a\/c\.conf/m, 'a/.ctcrrc turns the rule off for a');
});

test("lint's result does not change with the CRIU and LXC installed where it runs", async () => {
  const dir = await tempTree({
    'c.conf': TTY4,
    'bin/criu': '#!/bin/sh\necho "Version: 3.11"\n',
    'bin/lxc-start': '#!/bin/sh\necho "3.0.0"\n',
    'bin/lxc-checkpoint': '#!/bin/sh\nexit 0\n',
  });
  for (const tool of ['criu', 'lxc-start', 'lxc-checkpoint']) await execa('chmod', ['+x', path.join(dir, 'bin', tool)]);
  const plain = await ctcr(['lint', 'c.conf', '-f', 'json'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
  const old = await ctcr(['lint', 'c.conf', '-f', 'json'], { cwd: dir, env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin` } });
  assert.equal(old.stdout, plain.stdout);
  assert.ok(json(old.stdout).results[0]!.notes!.includes('judged for CRIU 4.2 (default), LXC 6.0 (default)'));
});
