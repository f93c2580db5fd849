/**
 * Issue 12 and 15.1: a fix edits only files that belong to the target (its
 * config and the files under its folder); every other file (LXC's shared
 * common.conf, an include elsewhere) is read-only to the fixer in every
 * pass. An override in the container's own config is written when the rule
 * offers one; otherwise the fix is not done and the output says why.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcrRaw } from './run-cli.js';

async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// As LXC's common.conf templates have it (c 5:1), plus a profile and a pre-2.1 key: three fixes of the shared file on offer.
const SHARED =
  '# shared by every container of the host\n' +
  'lxc.cgroup.devices.deny = a\n' +
  'lxc.cgroup.devices.allow = c 5:1 rwm\n' +
  'lxc.apparmor.profile = generated\n' +
  'lxc.tty = 4\n';

const containerConfig = (include: string) => `lxc.inlcude = ${include}\nlxc.uts.name = web1\nlxc.console.path = none\nlxc.tty.max = 0\n`;

test('fix --suggestions: the include a first pass un-misspells is read, never written; the override lands in the container config', async (t) => {
  const root = await tempDir(t, 'ctcr-scope-');
  const env = { CTCR_STATE_DIR: path.join(root, 'state') };
  const shared = path.join(root, 'share', 'common.conf');
  await mkdir(path.dirname(shared), { recursive: true });
  await writeFile(shared, SHARED);
  const config = path.join(root, 'lxc', 'web1', 'config');
  await mkdir(path.dirname(config), { recursive: true });
  await writeFile(config, containerConfig(shared));
  const dry = await ctcrRaw(['fix', path.dirname(config), '--suggestions', '--dry-run'], { env, cwd: root });
  assert.doesNotMatch(dry.stdout, /^\+\+\+ .*common\.conf/m, dry.stdout);
  assert.match(dry.stdout, /^\+lxc\.cgroup\.devices\.deny = c 5:1 rwm$/m, 'the console allowed by the shared file is denied in the container config');
  assert.match(dry.stdout, /^# not fixed share\/common\.conf:5 legacy-key .*which is not this target's/m, 'the diff says what it leaves and why');
  const r = await ctcrRaw(['fix', path.dirname(config), '--suggestions'], { env, cwd: root });
  assert.equal(await readFile(shared, 'utf8'), SHARED, 'the shared file is byte-identical');
  assert.equal(
    await readFile(config, 'utf8'),
    containerConfig(shared).replace('lxc.inlcude', 'lxc.include') + 'lxc.cgroup.devices.deny = c 5:1 rwm\nlxc.apparmor.profile =\n',
    'include renamed, device and apparmor overrides appended',
  );
  assert.doesNotMatch(r.stderr, /not done: .*dev-console-allowed/);
  assert.match(r.stderr, /not done: share\/common\.conf:5 legacy-key .*the rule offers no fix in the target.s own config/);
  assert.doesNotMatch(r.stderr, /backup: .*common\.conf/);
  assert.match(r.stdout, /legacy-key/, 'the finding the fix could not address is still reported');
  // The overrides do what they stand for: the rules they answer find nothing now.
  const after = await ctcrRaw(['lint', path.dirname(config), '-f', 'compact'], { env, cwd: root });
  assert.doesNotMatch(after.stdout, /dev-console-allowed|apparmor-profile-set/, after.stdout);
});

test('a symlink under the container folder to a shared file does not make that file the container\'s', async (t) => {
  const root = await tempDir(t, 'ctcr-scope-');
  const env = { CTCR_STATE_DIR: path.join(root, 'state') };
  const shared = path.join(root, 'share', 'common.conf');
  await mkdir(path.dirname(shared), { recursive: true });
  await writeFile(shared, SHARED);
  const dir = path.join(root, 'lxc', 'web1');
  await mkdir(dir, { recursive: true });
  await symlink(shared, path.join(dir, 'common.conf'));
  await writeFile(path.join(dir, 'config'), containerConfig(path.join(dir, 'common.conf')).replace('lxc.inlcude', 'lxc.include'));
  await ctcrRaw(['fix', dir, '--suggestions'], { env });
  assert.equal(await readFile(shared, 'utf8'), SHARED);
});

test('lint --fix on a file: the file and the includes under its folder are its own, an include elsewhere is not', async (t) => {
  const root = await tempDir(t, 'ctcr-scope-');
  const env = { CTCR_STATE_DIR: path.join(root, 'state') };
  await mkdir(path.join(root, 'configs', 'parts'), { recursive: true });
  await mkdir(path.join(root, 'other'), { recursive: true });
  await writeFile(path.join(root, 'configs', 'parts', 'tty.conf'), 'lxc.tty = 4\n');
  await writeFile(path.join(root, 'other', 'tty.conf'), 'lxc.tty = 4\n');
  const file = path.join(root, 'configs', 'web.conf');
  await writeFile(file, `lxc.include = ${path.join(root, 'configs', 'parts', 'tty.conf')}\nlxc.include = ${path.join(root, 'other', 'tty.conf')}\nlxc.console.path = none\nlxc.tty = 2\n`);
  const r = await ctcrRaw(['lint', file, '--fix'], { env });
  assert.equal(await readFile(path.join(root, 'configs', 'parts', 'tty.conf'), 'utf8'), 'lxc.tty.max = 4\n', 'an include under the file\'s folder is fixed');
  assert.equal(await readFile(path.join(root, 'other', 'tty.conf'), 'utf8'), 'lxc.tty = 4\n', 'an include elsewhere is not');
  assert.match(await readFile(file, 'utf8'), /^lxc\.tty\.max = 2$/m);
  assert.match(r.stderr, /not done: .*other\/tty\.conf:1 legacy-key/);
});

test("LXC's own common.conf, included by a container: a dry run plans no edit of it, and says why", async (t) => {
  const common = '/usr/share/lxc/config/common.conf';
  if (!existsSync(common)) return t.skip(`no ${common} on this machine (LXC not installed)`);
  const hash = async () => createHash('sha256').update(await readFile(common)).digest('hex');
  const before = await hash();
  const root = await tempDir(t, 'ctcr-scope-');
  const env = { CTCR_STATE_DIR: path.join(root, 'state') };
  const dir = path.join(root, 'lxc', 'web1');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'config'), containerConfig(common));
  // A dry run only: this file is the host's, and a test must not risk it.
  const r = await ctcrRaw(['fix', dir, '--suggestions', '--rule', 'dev-console-allowed', '--dry-run'], { env });
  assert.doesNotMatch(r.stdout, /^\+\+\+ .*common\.conf/m, r.stdout);
  if (/c 5:1/.test(await readFile(common, 'utf8'))) assert.match(r.stdout, /^# not fixed \/usr\/share\/lxc\/config\/common\.conf:\d+ dev-console-allowed/m);
  assert.equal(await hash(), before);
});

test('fix NAME (judged live, as the doctor does): the same scope, the container directory', async (t) => {
  const root = await tempDir(t, 'ctcr-scope-');
  const env = { CTCR_STATE_DIR: path.join(root, 'state') };
  const shared = path.join(root, 'share', 'common.conf');
  await mkdir(path.dirname(shared), { recursive: true });
  await writeFile(shared, SHARED);
  const lxc = path.join(root, 'lxc');
  await mkdir(path.join(lxc, 'web1'), { recursive: true });
  await writeFile(path.join(lxc, 'web1', 'config'), containerConfig(shared));
  const r = await ctcrRaw(['fix', 'web1', '-P', lxc, '--suggestions'], { env });
  assert.equal(await readFile(shared, 'utf8'), SHARED, r.stderr);
  const text = await readFile(path.join(lxc, 'web1', 'config'), 'utf8');
  assert.match(text, /^lxc\.include = /);
  assert.match(text, /^lxc\.cgroup\.devices\.deny = c 5:1 rwm$/m, 'the override in the container config');
  assert.match(r.stderr, /not done: .*common\.conf:5 legacy-key/);
});
