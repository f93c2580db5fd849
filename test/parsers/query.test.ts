import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLxcDocument } from '../../src/config/lxc-document.js';
import { entriesFor, entriesWithPrefix, lastEntry, listEntries, networks, rootfsLocation, scalarValue } from '../../src/config/query.js';
import { canonicalKey, isLegacyKey } from '../../src/config/legacy-keys.js';
import type { LxcConfig, NetworkSpec } from '../../src/types.js';
import { fixture } from './fixtures.js';

function configOf(path: string, text: string): LxcConfig {
  const doc = parseLxcDocument(path, text);
  return { path, documents: [doc], entries: doc.entries, includes: [] };
}

function fixtureConfig(...parts: string[]): LxcConfig {
  const file = fixture(...parts);
  return configOf(file, readFileSync(file, 'utf8'));
}

/** A network as plain data: index, type, and sub-key -> value. */
function summary(nets: readonly NetworkSpec[]): { index: number; type?: string; keys: Record<string, string> }[] {
  return nets.map((n) => ({ index: n.index, type: n.type, keys: Object.fromEntries(Object.entries(n.keys).map(([k, e]) => [k, e.value])) }));
}

describe('networks()', () => {
  it('reads indexed networks (current keys)', () => {
    const nets = networks(fixtureConfig('configs', 'current-lxc5.conf'));
    assert.deepEqual(summary(nets).map((n) => [n.index, n.type, n.keys.link]), [[0, 'veth', 'lxcbr0'], [1, 'macvlan', 'eno2']]);
    assert.equal(nets[0].keys['ipv4.address'].value, '10.0.3.21/24');
    assert.equal(nets[0].entry.key, 'lxc.net.0.type');
  });

  it('starts a new network at each unindexed legacy type line', () => {
    const nets = summary(networks(fixtureConfig('configs', 'real', '07-lxc1.0-example-complex.conf')));
    assert.deepEqual(nets.map((n) => [n.index, n.type, n.keys.link, n.keys['ipv4.address']]), [
      [0, 'veth', 'br0', '10.2.3.5/24'],
      [1, 'macvlan', 'eth0', '10.2.3.4/24'],
      [2, 'phys', 'dummy0', '10.2.3.6/24'],
    ]);
  });

  it('keeps one network when every block uses index 0 (a later line wins)', () => {
    // Upstream's lxc-complex.conf after the key rename: all three blocks say lxc.net.0.
    const nets = summary(networks(fixtureConfig('configs', 'real', '08-lxc-main-example-complex.conf')));
    assert.deepEqual(nets.map((n) => [n.index, n.type, n.keys.link]), [[0, 'phys', 'random0']]);
  });

  it('mixes indexed, unindexed and new-style keys', () => {
    const nets = summary(networks(fixtureConfig('configs', 'networks-mixed.conf')));
    assert.deepEqual(nets, [
      { index: 0, type: 'veth', keys: { type: 'veth', link: 'lxcbr0', flags: 'up', 'ipv4.address': '10.0.3.50/24' } },
      { index: 1, type: 'macvlan', keys: { type: 'macvlan', 'macvlan.mode': 'bridge', link: 'eth1', 'ipv4.address': '192.168.1.50/24' } },
      { index: 2, type: 'empty', keys: { type: 'empty' } },
      { index: 5, type: 'phys', keys: { type: 'phys', link: 'dummy0' } },
    ]);
  });

  it('clears every network at an empty lxc.net (and the legacy lxc.network)', () => {
    assert.deepEqual(summary(networks(fixtureConfig('configs', 'networks-reset.conf'))), [
      { index: 0, type: 'macvlan', keys: { type: 'macvlan', link: 'eno1', 'macvlan.mode': 'bridge' } },
    ]);
    const legacy = configOf('mem.conf', 'lxc.network.type = veth\nlxc.network.link = br0\nlxc.network =\nlxc.network.type = empty\n');
    assert.deepEqual(summary(networks(legacy)), [{ index: 0, type: 'empty', keys: { type: 'empty' } }]);
  });

  it('finds no network in a config without one, and in the seed only the veth', () => {
    assert.deepEqual(networks(fixtureConfig('configs', 'real', '06-lxc-main-nesting.conf')), []);
    const seed = summary(networks(fixtureConfig('containers', 'seed', 'config')));
    assert.deepEqual(seed, [{ index: 0, type: 'veth', keys: { type: 'veth', flags: 'up', link: 'br0', name: 'eth0' } }]);
  });
});

describe('scalar and list queries', () => {
  const config = fixtureConfig('configs', 'repeated-keys.conf');

  it('takes the last line of a scalar, and an empty value as unset', () => {
    assert.equal(scalarValue(config, 'lxc.uts.name'), 'second');
    assert.equal(lastEntry(config, 'lxc.uts.name')?.line, 3);
    assert.equal(scalarValue(config, 'lxc.console.path'), undefined);
    assert.equal(lastEntry(config, 'lxc.console.path')?.value, '');
    assert.equal(scalarValue(config, 'lxc.rootfs.path'), undefined);
  });

  it('keeps only list entries after the last empty value', () => {
    assert.deepEqual(listEntries(config, 'lxc.cap.drop').map((e) => e.value), ['sys_time']);
    assert.deepEqual(listEntries(config, 'lxc.mount.entry').map((e) => e.value), ['sysfs sys sysfs ro 0 0', '/srv/share srv/share none bind,optional,create=dir 0 0']);
    assert.deepEqual(listEntries(config, 'lxc.environment').map((e) => e.value), ['A=1', 'A=2']);
  });

  it('finds legacy keys under their current names', () => {
    const seed = fixtureConfig('containers', 'seed', 'config');
    assert.equal(scalarValue(seed, 'lxc.uts.name'), 'test-lxc');
    assert.equal(scalarValue(seed, 'lxc.console.path'), 'none');
    assert.equal(scalarValue(seed, 'lxc.tty.max'), '0');
    assert.equal(scalarValue(seed, 'lxc.mount.fstab'), '/root/test-lxc/etc/fstab');
    assert.equal(scalarValue(seed, 'lxc.rootfs.path'), '/root/test-lxc-root/');
    assert.equal(entriesFor(seed, 'lxc.tty.max')[0].key, 'lxc.tty');
  });

  it('selects entries by prefix of their current name', () => {
    const legacy = fixtureConfig('configs', 'real', '03-lxc1.0-ubuntu-common.conf');
    assert.equal(entriesWithPrefix(legacy, 'lxc.cgroup.devices.').length, 17);
    const current = fixtureConfig('configs', 'current-lxc5.conf');
    assert.deepEqual(entriesWithPrefix(current, 'lxc.cgroup2.').map((e) => e.key), ['lxc.cgroup2.memory.max', 'lxc.cgroup2.cpu.max', 'lxc.cgroup2.devices.deny']);
  });
});

describe('canonicalKey', () => {
  it('maps legacy keys to their current names', () => {
    const cases: [string, string][] = [
      ['lxc.utsname', 'lxc.uts.name'],
      ['lxc.rootfs', 'lxc.rootfs.path'],
      ['lxc.tty', 'lxc.tty.max'],
      ['lxc.pts', 'lxc.pty.max'],
      ['lxc.console', 'lxc.console.path'],
      ['lxc.mount', 'lxc.mount.fstab'],
      ['lxc.aa_profile', 'lxc.apparmor.profile'],
      ['lxc.network', 'lxc.net'],
      ['lxc.network.0.ipv4', 'lxc.net.0.ipv4.address'],
      ['lxc.network.1.link', 'lxc.net.1.link'],
      ['lxc.network.type', 'lxc.net.?.type'],
      ['lxc.network.ipv6', 'lxc.net.?.ipv6.address'],
      ['lxc.network.ipv4.gateway', 'lxc.net.?.ipv4.gateway'],
      ['lxc.limit.nofile', 'lxc.prlimit.nofile'],
    ];
    for (const [legacy, current] of cases) assert.equal(canonicalKey(legacy), current, legacy);
  });

  it('leaves current keys, dropped keys and look-alikes alone', () => {
    for (const key of ['lxc.uts.name', 'lxc.net.0.type', 'lxc.mount.entry', 'lxc.console.logfile', 'lxc.pivotdir', 'lxc.rootfs.backend', 'lxc.cgroup.devices.allow', 'lxc.ttyfoo']) {
      assert.equal(canonicalKey(key), key);
    }
    assert.ok(isLegacyKey('lxc.pivotdir'));
    assert.ok(isLegacyKey('lxc.network.type'));
    assert.ok(!isLegacyKey('lxc.mount.entry'));
  });
});

describe('rootfsLocation()', () => {
  const at = (value: string) => {
    const r = rootfsLocation(configOf('/var/lib/lxc/c1/config', `lxc.rootfs.path = ${value}\n`));
    return { dir: r.dir, backend: r.backend };
  };
  it('reads plain, dir: and btrfs: paths as directories, relative ones against the config\'s folder', () => {
    assert.deepEqual(at('/srv/c1/rootfs'), { dir: '/srv/c1/rootfs', backend: undefined });
    assert.deepEqual(at('dir:/var/lib/lxc/c1/rootfs'), { dir: '/var/lib/lxc/c1/rootfs', backend: undefined });
    assert.deepEqual(at('btrfs:/b/c1'), { dir: '/b/c1', backend: undefined });
    assert.deepEqual(at('rootfs'), { dir: '/var/lib/lxc/c1/rootfs', backend: undefined });
  });
  it('names a backend that has no directory; nothing when unset or reset', () => {
    assert.deepEqual(at('lvm:/dev/vg/c1'), { dir: undefined, backend: 'lvm' });
    assert.deepEqual(at('overlay:/a:/b'), { dir: undefined, backend: 'overlay' });
    assert.deepEqual(rootfsLocation(configOf('/c/config', 'lxc.uts.name = c\n')), {});
    assert.deepEqual(rootfsLocation(configOf('/c/config', 'lxc.rootfs.path = /r\nlxc.rootfs.path =\n')), {});
  });
});
