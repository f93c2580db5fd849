/** `ctcr facts --format json`: the versioned shape a migration's source reads over ssh. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ctcr, isOneLineError } from '../helpers/cli.js';
import { FACTS_SCHEMA, FACTS_VERSION, type MachineFacts } from '../../src/migrate/facts-types.js';

test('facts: schema and version, the lxcpath names, free disk of a folder still to be made, the paths asked about', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-facts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const lxcpath = path.join(dir, 'lxc');
  await mkdir(path.join(lxcpath, 'web1'), { recursive: true });
  await writeFile(path.join(lxcpath, 'web1', 'config'), 'lxc.uts.name = web1\n');
  await mkdir(path.join(lxcpath, 'half-made'));
  const r = await ctcr(['facts', '--format', 'json', '-P', lxcpath, '--images-dir', path.join(dir, 'images', 'web1'), '--path', lxcpath, '--path', path.join(dir, 'nope')]);
  assert.equal(r.exitCode, 0, r.stderr);
  const facts = JSON.parse(r.stdout) as MachineFacts;
  assert.equal(facts.schema, FACTS_SCHEMA);
  assert.equal(facts.version, FACTS_VERSION);
  assert.deepEqual(facts.lxcpath.names, { ok: true, value: ['half-made', 'web1'] });
  assert.equal(facts.lxcpath.path, lxcpath);
  assert.ok(facts.imagesDir?.free.ok, JSON.stringify(facts.imagesDir));
  if (facts.imagesDir?.free.ok) {
    assert.equal(facts.imagesDir.free.value.measured, dir, 'measured on the nearest existing parent');
    assert.ok(facts.imagesDir.free.value.availableBytes > 0);
  }
  assert.deepEqual(facts.paths[path.join(dir, 'nope')], { exists: false });
  assert.equal(facts.paths[lxcpath]?.type, 'dir');
  // The doctor's host facts are all there.
  for (const key of ['kernel', 'criu', 'ip', 'tools', 'cgroups', 'bridges', 'apparmor', 'lxc'] as const) assert.ok(key in facts.host, key);
  assert.ok(facts.cgroupControllers.ok && facts.cgroupControllers.value.length > 0, JSON.stringify(facts.cgroupControllers));
  assert.ok('rsync' in facts.moveTools && 'tar' in facts.moveTools);
});

test('facts: with criu, its own cpuinfo image passes its own cpuinfo check; a garbage image does not', async (t) => {
  const first = await ctcr(['facts']);
  const facts = JSON.parse(first.stdout) as MachineFacts;
  if (!facts.cpuinfo.ok || facts.cpuinfo.value === null) return t.skip(`no criu cpuinfo here: ${JSON.stringify(facts.cpuinfo)}`);
  const same = JSON.parse((await ctcr(['facts', '--check-cpuinfo', facts.cpuinfo.value.image])).stdout) as MachineFacts;
  assert.deepEqual(same.cpuinfoCheck?.ok && same.cpuinfoCheck.value.ok, true, JSON.stringify(same.cpuinfoCheck));
  const garbage = JSON.parse((await ctcr(['facts', '--check-cpuinfo', Buffer.from('not an image').toString('base64')])).stdout) as MachineFacts;
  assert.equal(garbage.cpuinfoCheck?.ok && garbage.cpuinfoCheck.value.ok, false, JSON.stringify(garbage.cpuinfoCheck));
});

test('facts: a relative --path or a --check-cpuinfo that is not base64 is a one-line usage error, exit 2', async () => {
  for (const args of [['--path', 'relative/dir'], ['--check-cpuinfo', 'not base64!']]) {
    const r = await ctcr(['facts', ...args]);
    assert.equal(r.exitCode, 2, r.stderr);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.equal(r.stdout, '');
  }
});
