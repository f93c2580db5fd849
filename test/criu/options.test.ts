import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CRIU_OPTIONS, findOption, optionStatus } from '../../src/criu/options.js';
import { parseVersion } from '../../src/criu/version.js';

test('-n/--namespaces: fine before 2.1, a warned no-op in 2.1, removed from 2.2', () => {
  assert.equal(optionStatus('-n', '2.0', 'dump').verdict, 'ok');
  const v21 = optionStatus('-n', '2.1', 'dump');
  assert.equal(v21.verdict, 'deprecated');
  assert.equal(v21.fatal, false);
  const v42 = optionStatus('--namespaces', '4.2', 'restore');
  assert.equal(v42.verdict, 'removed');
  assert.equal(v42.removedIn, '2.2');
  assert.equal(v42.fatal, true);
  assert.equal(v42.option, '--namespaces');
});

test('--veth-pair is a restore option, undocumented since 2.8 but still accepted', () => {
  assert.equal(optionStatus('--veth-pair', '2.7', 'restore').verdict, 'ok');
  const s = optionStatus('--veth-pair', '4.2', 'restore');
  assert.equal(s.verdict, 'deprecated');
  assert.match(s.replacement!, /--external veth\[IFNAME\]:OUTNAME@BRIDGE/);
  assert.equal(optionStatus('--veth-pair', '4.2', 'dump').verdict, 'restore-only-used-on-dump');
});

test('--ext-mount-map / -M: deprecated since 2.8 with --external mnt[] as replacement', () => {
  assert.equal(optionStatus('-M', '3.0', 'dump').verdict, 'deprecated');
  assert.equal(optionStatus('--ext-mount-map', '2.6', 'dump').verdict, 'ok');
});

test('--network-lock: since 3.16; skip since 3.19; restore ignores it', () => {
  assert.equal(optionStatus('--network-lock', '3.15', 'dump').verdict, 'not-yet-available');
  assert.equal(optionStatus('--network-lock', '3.16', 'dump', 'nftables').verdict, 'ok');
  const skip316 = optionStatus('--network-lock', '3.18', 'dump', 'skip');
  assert.equal(skip316.verdict, 'not-yet-available');
  assert.equal(skip316.since, '3.19');
  assert.equal(optionStatus('--network-lock', '3.19', 'dump', 'skip').verdict, 'ok');
  assert.equal(optionStatus('--network-lock', '4.2', 'dump', 'pf').verdict, 'invalid-value');
  const onRestore = optionStatus('--network-lock', '4.2', 'restore', 'nftables');
  assert.equal(onRestore.verdict, 'dump-only-used-on-restore');
  assert.match(onRestore.message, /will be ignored in restore command/);
  assert.equal(onRestore.fatal, false);
});

test('--mntns-compat-mode: restore-only since 3.17, and the dump refuses it', () => {
  assert.equal(optionStatus('--mntns-compat-mode', '3.16', 'restore').verdict, 'not-yet-available');
  assert.equal(optionStatus('--mntns-compat-mode', '4.2', 'restore').verdict, 'ok');
  const onDump = optionStatus('--mntns-compat-mode', '4.2', 'dump');
  assert.equal(onDump.verdict, 'restore-only-used-on-dump');
  assert.equal(onDump.fatal, true);
  // Other restore-only options are only ignored on dump.
  assert.equal(optionStatus('--restore-detached', '4.2', 'dump').fatal, false);
});

test('first appearances', () => {
  // [option, first release, the release before it, command it belongs to]
  const firsts: [string, string, string, 'dump' | 'restore'][] = [
    ['--tcp-close', '3.3', '3.2', 'dump'],
    ['--skip-in-flight', '2.4', '2.3', 'dump'],
    ['--external', '2.0', '1.8', 'dump'],
    ['--inherit-fd', '1.5', '1.4', 'restore'],
    ['--skip-mnt', '1.6', '1.5', 'dump'],
    ['--enable-fs', '1.6', '1.5', 'dump'],
    ['--freeze-cgroup', '1.7', '1.6', 'dump'],
    ['--join-ns', '2.3', '2.2', 'restore'],
    ['--weak-sysctls', '2.9', '2.8', 'restore'],
    ['--config', '3.11', '3.10', 'dump'],
    ['--cgroup-yard', '3.14', '3.13', 'dump'],
    ['--stream', '3.15', '3.14', 'dump'],
    ['--lsm-mount-context', '3.16', '3.15', 'restore'],
    ['--unprivileged', '3.18', '3.17.1', 'dump'],
    ['--allow-uprobes', '4.2', '4.1.1', 'dump'],
  ];
  for (const [opt, since, before, action] of firsts) {
    assert.equal(optionStatus(opt, since, action).verdict, 'ok', `${opt} at ${since}`);
    assert.equal(optionStatus(opt, before, action).verdict, 'not-yet-available', `${opt} at ${before}`);
  }
});

test('options that never reached a release, and unknown ones', () => {
  const checkOnly = optionStatus('--check-only', '4.2', 'dump');
  assert.equal(checkOnly.verdict, 'never-released');
  assert.match(checkOnly.replacement!, /leave-running/);
  assert.equal(optionStatus('--orphan-pts-master', '4.2', 'dump').verdict, 'never-released');
  assert.equal(optionStatus('--frobnicate', '4.2', 'dump').verdict, 'unknown');
  assert.equal(optionStatus('-q', '4.2', 'dump').verdict, 'unknown');
});

test('--no- forms exist for booleans since 3.11', () => {
  assert.equal(optionStatus('--no-restore-sibling', '3.11', 'restore').verdict, 'ok');
  assert.equal(optionStatus('--no-restore-sibling', '3.10', 'restore').verdict, 'not-yet-available');
  assert.equal(optionStatus('--no-images-dir', '4.2', 'dump').verdict, 'unknown');
});

test('--manage-cgroups modes arrived in 1.7', () => {
  assert.equal(optionStatus('--manage-cgroups', '1.6', 'dump', 'full').verdict, 'not-yet-available');
  assert.equal(optionStatus('--manage-cgroups', '4.2', 'dump', 'full').verdict, 'ok');
  assert.equal(optionStatus('--manage-cgroups', '4.2', 'dump').verdict, 'ok');
});

test('-t is a dump option: on restore it is ignored', () => {
  assert.equal(optionStatus('-t', '4.2', 'dump').verdict, 'ok');
  assert.equal(optionStatus('-t', '4.2', 'restore').verdict, 'dump-only-used-on-restore');
});

test('findOption: short letters, long names, --name=value', () => {
  assert.equal(findOption('-D')?.spec.long, 'images-dir');
  assert.equal(findOption('--images-dir=/x')?.spec.long, 'images-dir');
  assert.equal(findOption('r')?.spec.long, 'root');
  assert.equal(findOption('--no-tcp-established')?.negated, true);
  assert.equal(findOption('--nope'), undefined);
});

test('the table has unique names and parseable versions', () => {
  const longs = new Set<string>();
  const shorts = new Set<string>();
  for (const o of CRIU_OPTIONS) {
    assert.ok(!longs.has(o.long), o.long);
    longs.add(o.long);
    if (o.short) {
      assert.ok(!shorts.has(o.short), o.short);
      shorts.add(o.short);
    }
    for (const v of [o.since, o.hiddenSince, o.noopSince, o.removedIn, ...(o.values ?? []).map((x) => x.since)]) if (v) assert.ok(parseVersion(v), `${o.long}: ${v}`);
  }
});
