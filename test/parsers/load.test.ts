import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadLxcConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import type { LxcConfig } from '../../src/types.js';
import { fixture } from './fixtures.js';

/** `file:line key` for each entry, file relative to the fixture folder. */
function order(config: LxcConfig, dir: string): string[] {
  return config.entries.map((e) => `${path.relative(dir, e.file)}:${e.line} ${e.key}`);
}

const temps: string[] = [];
after(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('loadLxcConfig', () => {
  it('expands an included file in place, in the order LXC applies entries', async () => {
    const dir = fixture('configs', 'include-file');
    const config = await loadLxcConfig(path.join(dir, 'config'));
    assert.deepEqual(order(config, dir), [
      'config:2 lxc.uts.name',
      'config:3 lxc.include',
      'common.conf:2 lxc.tty.max',
      'common.conf:3 lxc.pty.max',
      'common.conf:4 lxc.cap.drop',
      'common.conf:5 lxc.mount.auto',
      'config:4 lxc.rootfs.path',
      'config:5 lxc.net.0.type',
      'config:6 lxc.net.0.link',
      'config:7 lxc.tty.max',
    ]);
    assert.deepEqual(config.documents.map((d) => path.basename(d.path)), ['config', 'common.conf']);
    assert.equal(config.includes.length, 1);
    assert.equal(config.includes[0].kind, 'file');
    assert.equal(config.path, path.join(dir, 'config'));
  });

  it('includes only the *.conf files of a directory, in name order', async () => {
    const dir = fixture('configs', 'include-dir');
    const config = await loadLxcConfig(path.join(dir, 'config'));
    assert.deepEqual(order(config, dir), [
      'config:2 lxc.uts.name',
      'config:3 lxc.rootfs.path',
      'config:4 lxc.include',
      'conf.d/10-network.conf:2 lxc.net.0.type',
      'conf.d/10-network.conf:3 lxc.net.0.link',
      'conf.d/10-network.conf:4 lxc.net.0.flags',
      'conf.d/20-mounts.conf:2 lxc.mount.auto',
      'conf.d/20-mounts.conf:3 lxc.mount.entry',
      'conf.d/30-limits.conf:2 lxc.cgroup2.memory.max',
      'conf.d/30-limits.conf:3 lxc.prlimit.nofile',
      'config:5 lxc.console.path',
    ]);
    const ref = config.includes[0];
    assert.equal(ref.kind, 'dir');
    assert.deepEqual(ref.files.map((f) => path.basename(f)), ['10-network.conf', '20-mounts.conf', '30-limits.conf']);
    assert.ok(!config.entries.some((e) => e.value === 'must-not-be-read'));
  });

  it('detects an include cycle with an InputError naming the including file and line', async () => {
    const dir = fixture('configs', 'include-cycle');
    await assert.rejects(loadLxcConfig(path.join(dir, 'a.conf')), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.location?.file, path.join(dir, 'b.conf'));
      assert.equal(err.location?.line, 3);
      assert.match(err.message, /lxc\.include cycle: a\.conf -> b\.conf -> a\.conf/);
      assert.ok(err.format().startsWith(`${path.join(dir, 'b.conf')}:3:`));
      return true;
    });
  });

  it('detects a file including itself', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-load-'));
    temps.push(dir);
    await writeFile(path.join(dir, 'config'), 'lxc.uts.name = self\nlxc.include = config\n');
    await assert.rejects(loadLxcConfig(path.join(dir, 'config')), (err: unknown) => err instanceof InputError && err.location?.line === 2 && /config -> config/.test(err.message));
  });

  it('reports a missing include as missing and a missing config as an InputError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-load-'));
    temps.push(dir);
    await writeFile(path.join(dir, 'config'), 'lxc.include = /nonexistent/ctcr/common.conf\nlxc.tty.max = 0\n');
    const config = await loadLxcConfig(path.join(dir, 'config'));
    assert.equal(config.includes[0].kind, 'missing');
    assert.equal(config.entries.length, 2);
    await assert.rejects(loadLxcConfig(path.join(dir, 'nope')), (err: unknown) => err instanceof InputError && /no such file/.test(err.message));
  });

  it('turns a parse error in an included file into an InputError at that file and line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-load-'));
    temps.push(dir);
    await mkdir(path.join(dir, 'd'));
    await writeFile(path.join(dir, 'config'), 'lxc.include = d/\n');
    await writeFile(path.join(dir, 'd', 'bad.conf'), '# ok\nlxc.tty.max\n');
    await assert.rejects(loadLxcConfig(path.join(dir, 'config')), (err: unknown) => err instanceof InputError && err.location?.file === path.join(dir, 'd', 'bad.conf') && err.location?.line === 2);
  });

  it('rejects a trailing-slash include naming a file with an InputError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-load-'));
    temps.push(dir);
    await writeFile(path.join(dir, 'common.conf'), 'lxc.tty.max = 0\n');
    await writeFile(path.join(dir, 'config'), 'lxc.include = common.conf/\n');
    await assert.rejects(loadLxcConfig(path.join(dir, 'config')), (err: unknown) => err instanceof InputError && err.location?.line === 1 && /not a directory/.test(err.message));
  });
});
