import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLxcDocument } from '../../src/config/lxc-document.js';
import { checkKey, editDistance, isKnownKey, nearestKnownKey } from '../../src/config/known-keys.js';
import { fixture } from './fixtures.js';

const V2_0 = { major: 2, minor: 0 };
const V2_1 = { major: 2, minor: 1 };
const V3_0 = { major: 3, minor: 0 };
const V5_0 = { major: 5, minor: 0 };
const V6_0 = { major: 6, minor: 0 };
const V7_0 = { major: 7, minor: 0 };

function keysOf(...parts: string[]): string[] {
  const file = fixture(...parts);
  return parseLxcDocument(file, readFileSync(file, 'utf8')).entries.map((e) => e.key);
}

describe('isKnownKey', () => {
  it('knows every key of the current-generation configs from LXC 3.0 to 6.0', () => {
    for (const f of ['05-lxc-main-common.conf', '06-lxc-main-nesting.conf', '09-lxc-main-example-vlan.conf']) {
      for (const key of keysOf('configs', 'real', f)) {
        for (const v of [V3_0, V5_0, V6_0]) assert.ok(isKnownKey(key, v), `${key} in ${f} at ${v.major}.${v.minor}`);
      }
    }
    for (const key of keysOf('configs', 'current-lxc5.conf')) assert.ok(isKnownKey(key, V5_0), key);
  });

  it('knows the legacy keys until LXC 3.0 removed them', () => {
    const legacy = keysOf('configs', 'legacy-lxc2.conf');
    for (const key of legacy) {
      assert.ok(isKnownKey(key, V2_0), `${key} at 2.0`);
      assert.ok(isKnownKey(key, V2_1), `${key} at 2.1`);
    }
    const unknownAt3 = legacy.filter((k) => !isKnownKey(k, V3_0));
    assert.deepEqual(unknownAt3, [
      'lxc.network.type', 'lxc.network.link', 'lxc.network.flags', 'lxc.network.hwaddr', 'lxc.network.veth.pair',
      'lxc.rootfs', 'lxc.rootfs.backend', 'lxc.mount', 'lxc.utsname', 'lxc.kmsg', 'lxc.tty', 'lxc.pts', 'lxc.aa_profile',
      'lxc.loglevel', 'lxc.logfile',
    ]);
    for (const key of unknownAt3) assert.deepEqual(checkKey(key, V3_0), { known: false, reason: 'legacy' });
  });

  it('rejects the cgroup v1 keys from LXC 7.0 on, but not the cgroup settings', () => {
    assert.ok(isKnownKey('lxc.cgroup.devices.allow', V6_0));
    assert.deepEqual(checkKey('lxc.cgroup.devices.allow', V7_0), { known: false, reason: 'cgroup-v1' });
    assert.deepEqual(checkKey('lxc.cgroup', V7_0), { known: false, reason: 'cgroup-v1' });
    for (const key of ['lxc.cgroup.dir', 'lxc.cgroup.dir.container.inner', 'lxc.cgroup.relative', 'lxc.cgroup2.devices.allow', 'lxc.cgroup2']) {
      assert.ok(isKnownKey(key, V7_0), key);
    }
  });

  it('says a 2.1 name is too new for LXC 2.0', () => {
    assert.deepEqual(checkKey('lxc.tty.max', V2_0), { known: false, reason: 'too-new' });
    assert.deepEqual(checkKey('lxc.net.0.type', V2_0), { known: false, reason: 'too-new' });
    assert.ok(isKnownKey('lxc.mount.entry', V2_0));
    assert.ok(isKnownKey('lxc.tty.max', V2_1));
  });

  it('looks prefix keys up by prefix and network sub-keys strictly', () => {
    for (const key of ['lxc.cgroup2.memory.max', 'lxc.prlimit.nofile', 'lxc.prlimit', 'lxc.sysctl.net.ipv4.ip_forward', 'lxc.proc.oom_score_adj', 'lxc.namespace.share.net', 'lxc.net', 'lxc.net.12.veth.vlan.tagged.id', 'lxc.hook.version']) {
      assert.ok(isKnownKey(key, V5_0), key);
    }
    for (const key of ['lxc.namespace.share', 'lxc.prlimitx', 'lxc.net.0', 'lxc.net.x.type', 'lxc.net.0.ipv4', 'lxc.net.type', 'lxc.hook.foo', 'lxc.foo', 'lxc.uts', 'lxc.cgroup2.']) {
      assert.deepEqual(checkKey(key, V5_0), { known: false, reason: 'unknown' }, key);
    }
  });
});

describe('nearestKnownKey', () => {
  it('suggests the current name of a legacy key', () => {
    assert.equal(nearestKnownKey('lxc.utsname', V5_0), 'lxc.uts.name');
    assert.equal(nearestKnownKey('lxc.network.type', V5_0), 'lxc.net.0.type');
    assert.equal(nearestKnownKey('lxc.network.1.ipv4', V5_0), 'lxc.net.1.ipv4.address');
    assert.equal(nearestKnownKey('lxc.limit.nofile', V5_0), 'lxc.prlimit.nofile');
    assert.equal(nearestKnownKey('lxc.pivotdir', V5_0), undefined);
  });

  it('suggests the address key for lxc-update-config\'s lxc.net.N.ipv4', () => {
    assert.equal(nearestKnownKey('lxc.net.2.ipv6', V5_0), 'lxc.net.2.ipv6.address');
  });

  it('suggests the cgroup2 key for a cgroup v1 key on LXC 7.0', () => {
    assert.equal(nearestKnownKey('lxc.cgroup.devices.deny', V7_0), 'lxc.cgroup2.devices.deny');
    assert.equal(nearestKnownKey('lxc.cgroup.devices.deny', V6_0), undefined);
  });

  it('suggests the legacy name of a too-new key', () => {
    assert.equal(nearestKnownKey('lxc.tty.max', V2_0), 'lxc.tty');
    assert.equal(nearestKnownKey('lxc.net.0.ipv4.address', V2_0), 'lxc.network.0.ipv4');
    assert.equal(nearestKnownKey('lxc.prlimit.nofile', V2_0), 'lxc.limit.nofile');
  });

  it('corrects typos, keeping the network index and the rest of a prefix key', () => {
    assert.equal(nearestKnownKey('lxc.uts.nmae', V5_0), 'lxc.uts.name');
    assert.equal(nearestKnownKey('lxc.apparmor.profle', V5_0), 'lxc.apparmor.profile');
    assert.equal(nearestKnownKey('lxc.mount.entries', V5_0), 'lxc.mount.entry');
    assert.equal(nearestKnownKey('lxc.net.3.lnk', V5_0), 'lxc.net.3.link');
    assert.equal(nearestKnownKey('lxc.net.0.veth.piar', V5_0), 'lxc.net.0.veth.pair');
    assert.equal(nearestKnownKey('lxc.cgrop2.memory.max', V5_0), 'lxc.cgroup2.memory.max');
    assert.equal(nearestKnownKey('lxc.console.pth', V5_0), 'lxc.console.path');
  });

  it('suggests nothing for a known key or a key nothing is close to', () => {
    assert.equal(nearestKnownKey('lxc.uts.name', V5_0), undefined);
    assert.equal(nearestKnownKey('lxc.foo', V5_0), undefined);
    assert.equal(nearestKnownKey('lxc.completely.different.thing', V5_0), undefined);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps', () => {
    assert.equal(editDistance('name', 'name'), 0);
    assert.equal(editDistance('name', 'nmae'), 1);
    assert.equal(editDistance('link', 'lnk'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.ok(editDistance('abcdef', 'uvwxyz', 2) > 2);
  });
});
