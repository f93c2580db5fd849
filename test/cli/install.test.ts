/**
 * The README's quick start, as a user gets it: two commands, the first of
 * which leaves a `ctcr` on PATH through the package's bin; then the README's
 * example lint works as written. A real `npm pack`; what it packed is
 * installed as the quick start installs a clone (`npm ci` of the production
 * dependencies, then `npm install -g` of the folder into a temporary prefix),
 * offline: from npm's cache, which the `npm ci` before the tests filled by
 * the lockfile's integrity hashes. No network. (A plain `npm install -g
 * x.tgz` would ask the registry for each dependency's metadata.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, copyFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { REPO } from '../helpers/cli.js';

async function quickStart(): Promise<string[]> {
  const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

test("the README's quick start is two commands: install (leaving ctcr on PATH) and run, then npm test", async () => {
  const lines = await quickStart();
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0]!, /npm (install -g \.|link)( |$)/, 'the package bin goes on PATH');
  assert.match(lines[0]!, /&& ctcr lint /, 'then the ctcr command runs');
  assert.equal(lines[1], 'npm test');
  const ci = await readFile(path.join(REPO, '.ci/run'), 'utf8');
  assert.match(ci, /^npm test$/m, '.ci/run runs the README test command');
  const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8'));
  assert.equal(pkg.bin.ctcr, 'dist/src/cli.js');
  assert.ok(pkg.scripts.prepare, 'an install from the clone builds dist/');
  assert.ok(!Object.keys(pkg.devDependencies).some((d: string) => d.includes('sarif-multitool')), 'no 100 MB SARIF tool to validate SARIF');
  // execa is the lab's and the tests' (the product spawns with node:child_process).
  assert.ok(!('execa' in pkg.dependencies), 'execa is a development dependency');
});

test('npm pack ships only what users run: no lab, tests, bench or docs generator', async () => {
  const pack = await execa('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: REPO, reject: false });
  assert.equal(pack.exitCode, 0, pack.stderr);
  const files: string[] = JSON.parse(pack.stdout)[0].files.map((f: { path: string }) => f.path);
  assert.ok(files.includes('dist/src/cli.js'), files.slice(0, 5).join(', '));
  const infra = files.filter((f) => /^dist\/(lab|test|bench|tools)\/|^dist\/src\/(lab|docs)\//.test(f));
  assert.deepEqual(infra, []);
  // Nothing the product runs may import the infrastructure that is not shipped.
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    const text = await readFile(path.join(REPO, f), 'utf8');
    assert.doesNotMatch(text, /from '(\.\.\/)+(lab|test|bench|tools)\//, f);
  }
});

test('npm pack, installed into a prefix, gives a ctcr on PATH that runs the README example', async (t) => {
  const work = await mkdtemp(path.join(tmpdir(), 'ctcr-install-'));
  // dist/ is built by npm test before this runs: pack without running prepare again.
  const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, reject: false });
  assert.equal(pack.exitCode, 0, pack.stderr);
  const tarball = path.join(work, JSON.parse(pack.stdout)[0].filename);
  await execa('tar', ['xzf', tarball, '-C', work]);
  const unpacked = path.join(work, 'package');
  await copyFile(path.join(REPO, 'package-lock.json'), path.join(unpacked, 'package-lock.json'));
  const deps = await execa('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: unpacked, reject: false });
  if (deps.exitCode !== 0 && /ENOTCACHED/.test(deps.stderr)) {
    t.skip(`the dependencies are not in npm's cache (run npm ci first); this test never uses the network: ${deps.stderr.split('\n')[0]}`);
    return;
  }
  assert.equal(deps.exitCode, 0, deps.stderr);
  const prefix = path.join(work, 'prefix');
  // The package is built already (dist/ is in it): no prepare, which would need the dev dependencies.
  const install = await execa('npm', ['install', '-g', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', prefix, unpacked], { reject: false });
  assert.equal(install.exitCode, 0, install.stderr);
  const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}:${process.env.PATH}`, NO_COLOR: '1' };
  const which = await execa('sh', ['-c', 'command -v ctcr'], { env });
  assert.equal(which.stdout.trim(), path.join(prefix, 'bin', 'ctcr'));
  const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8'));
  const version = await execa('ctcr', ['--version'], { env });
  assert.equal(version.stdout.trim(), pkg.version);
  // The README's first command, after its install part, as written, from the clone.
  const run = (await quickStart())[0]!.split('&& ').pop()!.split(' ');
  const lint = await execa(run[0]!, run.slice(1), { env, cwd: REPO, reject: false });
  assert.equal(lint.exitCode, 1, lint.stderr);
  assert.match(lint.stdout, /fixtures\/containers\/example\/config/);
  assert.match(lint.stdout, /tty-nonzero/);
  assert.equal(lint.stderr, '');
  // And the example the package ships, linted where it was installed.
  const shipped = path.join(prefix, 'lib/node_modules/ctcr/fixtures/containers/example');
  const inside = await execa('ctcr', ['lint', shipped, '-f', 'compact'], { env, reject: false });
  assert.equal(inside.exitCode, 1, inside.stderr);
  assert.match(inside.stdout, /config:\d+:\d+: error: .*\[tty-nonzero\]/);
  // The rule pages ship with it: ctcr rules ID names one that is there.
  const rule = await execa('ctcr', ['rules', 'tty-nonzero'], { env, reject: false });
  const page = /^Examples and exceptions: (\S+)$/m.exec(rule.stdout)?.[1];
  // npm install -g of a folder links it: the page is where the link leads.
  assert.equal(page, await realpath(path.join(prefix, 'lib/node_modules/ctcr/docs/rules/tty-nonzero.md')));
});
