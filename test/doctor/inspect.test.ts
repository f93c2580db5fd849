/**
 * inspect(): the snapshots the doctor judges, gathered from a made-up
 * lxcpath (stopped containers) with a PATH that has no tools, so that the
 * run is the same on every machine; and the two probes the doctor adds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect, resolveLxcpath } from '../../src/engine/inspect.js';
import { gatherBindSources, gatherCriuConfig, bindEntrySources } from '../../src/gather/doctor-probes.js';
import { requireVersion } from '../../src/engine/assumptions.js';
import { InputError } from '../../src/errors.js';
import type { MountSpec } from '../../src/types.js';

const assumptions = { criuVersion: requireVersion('4.2', 'criu'), lxcVersion: requireVersion('5.0', 'lxc') };

async function scratch(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

async function env(): Promise<NodeJS.ProcessEnv> {
  return { PATH: await scratch('ctcr-inspect-path-'), HOME: await scratch('ctcr-inspect-home-') };
}

async function container(lxcpath: string, name: string, config: string): Promise<void> {
  await mkdir(path.join(lxcpath, name, 'rootfs'), { recursive: true });
  await writeFile(path.join(lxcpath, name, 'config'), config);
}

test('every container of the lxcpath, sorted, each with its files and live facts and the one host snapshot', async () => {
  const lxcpath = await scratch('ctcr-inspect-lxc-');
  const src = await scratch('ctcr-inspect-src-');
  await mkdir(path.join(src, 'real'));
  await symlink(path.join(src, 'real'), path.join(src, 'link'));
  await container(lxcpath, 'b', 'lxc.uts.name = b\n');
  await container(lxcpath, 'a', `lxc.uts.name = a\nlxc.mount.entry = ${path.join(src, 'link')} mnt none bind 0 0\n`);
  await mkdir(path.join(lxcpath, 'not-a-container'));
  const ckpt = await scratch('ctcr-inspect-ckpt-');
  const result = await inspect({ lxcpath, env: await env(), timeoutMs: 5000, purpose: 'doctor', files: { assumptions, rootfsPaths: [] }, checkpointDir: ckpt });
  assert.deepEqual(result.containers.map((s) => s.target), ['a', 'b']);
  assert.deepEqual(result.errors, []);
  const [a] = result.containers;
  assert.equal(a!.config?.path, path.join(lxcpath, 'a', 'config'));
  assert.equal(a!.container?.state, 'STOPPED');
  // Gathered once: every container snapshot holds the host snapshot's facts.
  assert.ok(result.containers.every((s) => s.host === result.host.host));
  assert.equal(result.host.target, 'host');
  assert.equal(result.host.config, undefined);
  assert.deepEqual(a!.container?.bindSources, { ok: true, value: [{ source: path.join(src, 'link'), exists: true, symlink: true, realPath: path.join(src, 'real') }] });
  assert.equal(a!.checkpointDir?.path, ckpt);
  assert.equal(a!.checkpointDir?.hasInventory, false);
});

test('an empty or missing lxcpath: the host alone, and a note saying so', async () => {
  const missing = path.join(await scratch('ctcr-inspect-'), 'nothing-here');
  const result = await inspect({ lxcpath: missing, env: await env(), timeoutMs: 5000, purpose: 'doctor', assumptions, rootfsPaths: [] });
  assert.deepEqual(result.containers, []);
  assert.deepEqual(result.notes, [`no container in ${missing} (it does not exist): only the host was inspected`]);
  assert.ok(result.host.host?.kernel.ok);
});

test('a named container that is not there is an input error; an unreadable config is one too, for that container only', async () => {
  const lxcpath = await scratch('ctcr-inspect-lxc-');
  await container(lxcpath, 'ok', 'lxc.uts.name = ok\n');
  await container(lxcpath, 'broken', 'lxc.uts.name\n');
  await assert.rejects(
    inspect({ lxcpath, names: ['ghost'], env: await env(), timeoutMs: 5000, purpose: 'doctor', assumptions }),
    (err: unknown) => err instanceof InputError && /no container 'ghost' in/.test(err.message),
  );
  await assert.rejects(inspect({ lxcpath, names: ['../etc'], env: await env(), timeoutMs: 5000, purpose: 'doctor', assumptions }), /is not a container name/);
  const result = await inspect({ lxcpath, names: ['ok', 'broken'], env: await env(), timeoutMs: 5000, purpose: 'doctor', assumptions });
  assert.deepEqual(result.containers.map((s) => s.target), ['ok']);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.format(), new RegExp(`^${path.join(lxcpath, 'broken', 'config')}:1`));
});

test('files may come later (the rules still loading) while the probes already run', async () => {
  const lxcpath = await scratch('ctcr-inspect-lxc-');
  await container(lxcpath, 'c', 'lxc.uts.name = c\n');
  let release!: (v: { assumptions: typeof assumptions; rootfsPaths: string[] }) => void;
  const files = new Promise<{ assumptions: typeof assumptions; rootfsPaths: string[] }>((r) => (release = r));
  const pending = inspect({ lxcpath, env: await env(), timeoutMs: 5000, purpose: 'doctor', files });
  setTimeout(() => release({ assumptions, rootfsPaths: ['/sbin/udevd'] }), 20);
  const result = await pending;
  assert.deepEqual(Object.keys(result.containers[0]!.rootfs?.paths ?? {}), ['/sbin/udevd']);
});

test('bind sources: only absolute sources of bind lxc.mount.entry lines; links, folders and missing paths', async () => {
  const dir = await scratch('ctcr-probe-');
  await mkdir(path.join(dir, 'real'));
  await symlink('real', path.join(dir, 'link'));
  await symlink('gone', path.join(dir, 'dangling'));
  const mount = (fsname: string, options: string[], origin: MountSpec['origin'] = 'entry') => ({ origin, fsname, options }) as unknown as MountSpec;
  const mounts = [
    mount(path.join(dir, 'link'), ['ro', 'bind']),
    mount(path.join(dir, 'real'), ['rbind']),
    mount(path.join(dir, 'dangling'), ['bind', 'optional']),
    mount(path.join(dir, 'missing'), ['bind']),
    mount(path.join(dir, 'link'), ['bind']), // the same source twice: looked up once
    mount('shm', ['defaults']),
    mount('relative/src', ['bind']),
    mount(path.join(dir, 'real'), ['bind'], 'fstab'), // lxc-checkpoint maps only lxc.mount.entry binds
  ];
  assert.deepEqual(bindEntrySources(mounts), [path.join(dir, 'link'), path.join(dir, 'real'), path.join(dir, 'dangling'), path.join(dir, 'missing')]);
  const got = await gatherBindSources(mounts, 5000);
  assert.deepEqual(got, {
    ok: true,
    value: [
      { source: path.join(dir, 'link'), exists: true, symlink: true, realPath: path.join(dir, 'real') },
      { source: path.join(dir, 'real'), exists: true, symlink: false, realPath: path.join(dir, 'real') },
      { source: path.join(dir, 'dangling'), exists: false, symlink: true },
      { source: path.join(dir, 'missing'), exists: false, symlink: false },
    ],
  });
});

test("CRIU's config files: read in CRIU's order into one argv; a missing file is no file", async () => {
  const dir = await scratch('ctcr-criuconf-');
  await writeFile(path.join(dir, 'a.conf'), '# comment\nnetwork-lock iptables\n');
  await writeFile(path.join(dir, 'b.conf'), 'network-lock nftables  # later wins\ntcp-established\n');
  const got = await gatherCriuConfig({}, 5000, [path.join(dir, 'a.conf'), path.join(dir, 'none.conf'), path.join(dir, 'b.conf')]);
  assert.deepEqual(got, {
    ok: true,
    value: { files: [path.join(dir, 'a.conf'), path.join(dir, 'b.conf')], argv: ['--network-lock', 'iptables', '--network-lock', 'nftables', '--tcp-established'] },
  });
  const unreadable = await gatherCriuConfig({}, 5000, [dir]); // a directory: EISDIR
  assert.equal(unreadable.ok, false);
  assert.match((unreadable as { reason: string }).reason, /^CRIU config files: /);
});

test("the default lxcpath is LXC's: /var/lib/lxc for root unless /etc/lxc/lxc.conf says otherwise", async () => {
  const lxcpath = await resolveLxcpath({ HOME: '/nonexistent' });
  if (process.geteuid?.() !== 0) {
    assert.equal(lxcpath, '/nonexistent/.local/share/lxc');
    return;
  }
  const global = await readFile('/etc/lxc/lxc.conf', 'utf8').catch(() => '');
  const configured = /^\s*lxc\.lxcpath\s*=\s*(\S+)/m.exec(global)?.[1]?.replace(/\/+$/, '');
  assert.equal(lxcpath, configured ?? '/var/lib/lxc');
});
