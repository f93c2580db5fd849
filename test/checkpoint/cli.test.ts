/**
 * `ctcr checkpoint` / `ctcr restore` without the lab: input errors, the
 * doctor's refusal and --force, --dry-run and --explain-options, on a
 * stopped container in a temporary lxcpath.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ctcr, isOneLineError, tempTree } from '../helpers/cli.js';

async function stoppedContainer(config: string): Promise<{ lxcpath: string; dir: string; cleanup: () => void }> {
  const lxcpath = await tempTree({});
  const name = 'c1';
  mkdirSync(path.join(lxcpath, name, 'rootfs', 'tmp'), { recursive: true });
  writeFileSync(path.join(lxcpath, name, 'config'), config.replace(/ROOTFS/g, path.join(lxcpath, name, 'rootfs')));
  const dir = path.join(lxcpath, 'ckpt');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'inventory.img'), '');
  writeFileSync(path.join(dir, 'tcp-stream-1a.img'), '');
  return { lxcpath, dir, cleanup: () => rmSync(lxcpath, { recursive: true, force: true }) };
}

const CONFIG = ['lxc.net.0.type = veth', 'lxc.net.0.link = ctcrtest0', 'lxc.net.0.flags = up', 'lxc.rootfs.path = dir:ROOTFS', 'lxc.uts.name = c1', ''].join('\n');

test('input errors: one line, exit 2', async () => {
  const c = await stoppedContainer(CONFIG);
  try {
    const cases: string[][] = [
      ['checkpoint', 'c1', '-P', c.lxcpath],
      ['checkpoint', '-D', c.dir],
      ['restore', 'nope', '-P', c.lxcpath, '-D', c.dir],
      ['checkpoint', 'c1', '-P', c.lxcpath, '-D', c.dir, '--timeout', '0'],
      ['restore', 'c1', '-P', c.lxcpath, '-D', c.dir, '--probe-timeout', '-1'],
    ];
    for (const args of cases) {
      const r = await ctcr(args);
      assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(isOneLineError(r.stderr), `${args.join(' ')}: ${r.stderr}`);
    }
    // yargs words a bad choice over two lines (main.ts's parser, shared by every command): exit 2 all the same
    assert.equal((await ctcr(['checkpoint', 'c1', '-P', c.lxcpath, '-D', c.dir, '--engine', 'docker'])).exitCode, 2);
    // No checkpoint in the folder: the doctor's finding, with its fix (exit 1), or with --force the hard stop (exit 2).
    const empty = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', path.join(c.lxcpath, 'empty')]);
    assert.equal(empty.exitCode, 1, empty.stderr);
    assert.match(empty.stdout, /checkpoint-missing/);
    const forcedEmpty = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', path.join(c.lxcpath, 'empty'), '--force']);
    assert.equal(forcedEmpty.exitCode, 2);
    assert.match(forcedEmpty.stderr, /holds no checkpoint \(no inventory\.img\)/);
    const stopped = await ctcr(['checkpoint', 'c1', '-P', c.lxcpath, '-D', path.join(c.lxcpath, 'new'), '--dry-run']);
    assert.equal(stopped.exitCode === 1 || stopped.exitCode === 2, true, stopped.stderr);
    assert.match(stopped.stdout + stopped.stderr, /STOPPED|not running/i);
  } finally {
    c.cleanup();
  }
});

test('the doctor refuses while an error remains, names it and the way out; --force goes ahead and says what it overrode', async () => {
  const c = await stoppedContainer(CONFIG + 'lxc.tty.max = 5\n');
  try {
    const refused = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', c.dir, '--dry-run']);
    assert.equal(refused.exitCode, 1, refused.stderr);
    assert.match(refused.stdout, /c1: NOT READY/);
    assert.match(refused.stdout, /tty-nonzero/);
    assert.match(refused.stdout, /suggestion: set lxc\.tty\.max to 0/);
    assert.match(refused.stderr, /not restoring c1: .*tty-nonzero.*--force/);

    const forced = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', c.dir, '--dry-run', '--force']);
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.match(forced.stderr, /--force: restoring c1 despite \d+ errors?: .*tty-nonzero/);
    assert.match(forced.stdout, /^lxc-checkpoint -P \S+ -n c1 -D \S+ -r$/m);
  } finally {
    c.cleanup();
  }
});

test('--explain-options --dry-run: each option with why, the command, run nothing', async () => {
  const c = await stoppedContainer(CONFIG);
  try {
    const r = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', c.dir, '--dry-run', '--explain-options', '--force']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /restore through lxc-checkpoint: options and why/);
    assert.match(r.stdout, /--tcp-established\s+\[by LXC\].*tcp-stream-1a\.img/);
    assert.match(r.stdout, /--external veth\[eth0\]:<generated>@ctcrtest0\s+\[by LXC\]/);

    const direct = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', c.dir, '--dry-run', '--explain-options', '--force', '--engine', 'criu']);
    assert.equal(direct.exitCode, 0, direct.stderr);
    assert.match(direct.stdout, /--root \S+\/c1\/rootfs\s+\[criu argv\]/);
    assert.match(direct.stdout, /--external veth\[eth0\]:veth\w+@ctcrtest0/);
    assert.match(direct.stdout, /^unshare --mount --propagation private -- sh -c /m);
  } finally {
    c.cleanup();
  }
});

test("a CRIU_CONFIG_FILE in the environment: its restore-only options reach the restore's config file, shown in --dry-run", async () => {
  const c = await stoppedContainer(CONFIG);
  try {
    const conf = path.join(c.lxcpath, 'user.conf');
    writeFileSync(conf, 'mntns-compat-mode\n');
    const r = await ctcr(['restore', 'c1', '-P', c.lxcpath, '-D', c.dir, '--dry-run', '--explain-options', '--force'], { env: { CRIU_CONFIG_FILE: conf } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /--mntns-compat-mode\s+\[config file\]\s+from your CRIU_CONFIG_FILE/);
    assert.match(r.stdout, /^#\s+mntns-compat-mode$/m);
    assert.match(r.stdout, /^CRIU_CONFIG_FILE=\S+ lxc-checkpoint /m);
  } finally {
    c.cleanup();
  }
});
