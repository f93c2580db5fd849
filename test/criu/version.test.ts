import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  atLeast,
  compareVersions,
  formatVersion,
  iproute2SnapshotVersion,
  IPROUTE2_MIN_FOR_CRIU,
  parseCriuVersionInfo,
  parseCriuVersionOutput,
  parseIpVersion,
  parseKernelRelease,
  parseLxcVersion,
  parseVersion,
} from '../../src/criu/version.js';
import { readOutputFixture } from './fixtures.js';
import { liveFixture } from '../gather/fixtures.js';

const triple = (v: { major: number; minor: number; patch: number } | null) => (v ? [v.major, v.minor, v.patch] : null);

test('parseVersion reads dotted versions and keeps the text', () => {
  assert.deepEqual(triple(parseVersion('4.2')), [4, 2, 0]);
  assert.deepEqual(triple(parseVersion('4.1.1')), [4, 1, 1]);
  assert.deepEqual(triple(parseVersion('v3.17')), [3, 17, 0]);
  assert.deepEqual(triple(parseVersion('6')), [6, 0, 0]);
  assert.deepEqual(triple(parseVersion('4.2-1ubuntu2')), [4, 2, 0]);
  assert.deepEqual(triple(parseVersion('6.0.0~git2')), [6, 0, 0]);
  assert.equal(parseVersion(' 4.1.1 ')?.text, '4.1.1');
});

test('parseVersion returns null for what is not a version, without throwing', () => {
  for (const bad of ['', 'abc', '4.2abc', 'Version: 4.2', '.4', 'x4.2']) assert.equal(parseVersion(bad), null, bad);
});

test('compareVersions orders numerically, not as text', () => {
  assert.ok(compareVersions('4.10', '4.9') > 0);
  assert.ok(compareVersions('10.0', '2.0') > 0);
  assert.equal(compareVersions('4.2', '4.2.0'), 0);
  assert.ok(compareVersions('4.1.1', '4.2') < 0);
  assert.ok(compareVersions(parseVersion('3.17.1')!, '3.17') > 0);
});

test('atLeast', () => {
  assert.equal(atLeast('4.2', '4.2'), true);
  assert.equal(atLeast('4.1.1', '4.2'), false);
  assert.equal(atLeast(parseKernelRelease('6.13.0-0.rc0.20241125git9f16d5e6f220.8.fc42.x86_64')!, '6.13'), true);
});

test('a bad version literal in ctcr code is a bug and throws', () => {
  assert.throws(() => compareVersions('4.2', 'four'), TypeError);
});

test('formatVersion prints the patch only when set', () => {
  assert.equal(formatVersion('4.2.0'), '4.2');
  assert.equal(formatVersion('4.1.1'), '4.1.1');
});

test('criu --version outputs (fixtures)', () => {
  const cases: [string, number[]][] = [
    ['version-4.2.txt', [4, 2, 0]],
    ['version-4.2.1.txt', [4, 2, 1]],
    ['version-3.17.1.txt', [3, 17, 1]],
    ['version-4.1.1-git.txt', [4, 1, 1]],
    ['version-3.5-git.txt', [3, 5, 0]],
    ['version-3.17.txt', [3, 17, 0]],
    ['version-gitid-only.txt', [3, 19, 0]],
  ];
  for (const [file, want] of cases) assert.deepEqual(triple(parseCriuVersionOutput(readOutputFixture(file).text)), want, file);
});

test('parseCriuVersionInfo keeps the GitID', () => {
  assert.deepEqual(parseCriuVersionInfo(liveFixture('criu-version-gitid.txt')), {
    version: { major: 3, minor: 19, patch: 0, text: '3.19' }, gitId: 'v3.19-48-g0b2d5e5b1',
  });
  assert.equal(parseCriuVersionInfo(liveFixture('criu-3.17.1-version.txt'))?.gitId, undefined);
  assert.equal(parseCriuVersionInfo('nothing here'), null);
});

test('criu version from a log line and unreadable output', () => {
  assert.deepEqual(triple(parseCriuVersionOutput('(00.000081) Version: 3.16.1 (gitid 0af5702)')), [3, 16, 1]);
  assert.equal(parseCriuVersionOutput('criu: command not found'), null);
  assert.equal(parseCriuVersionOutput(''), null);
});

test('ip -V, dotted format (iproute2 ≥ 5.x)', () => {
  assert.deepEqual(triple(parseIpVersion('ip utility, iproute2-6.1.0, libbpf 1.1.0')), [6, 1, 0]);
  // Recorded on the lab machine (fixtures/live/ip-V-current.txt).
  assert.deepEqual(triple(parseIpVersion('ip utility, iproute2-6.1.0, libbpf 1.1.2\n')), [6, 1, 0]);
  assert.deepEqual(triple(parseIpVersion('ip utility, iproute2-5.10.0\n')), [5, 10, 0]);
});

test('ip -V, snapshot format maps the date to a release', () => {
  const v = parseIpVersion('ip utility, iproute2-ss130716');
  assert.deepEqual(triple(v), [3, 10, 0]);
  assert.equal(v?.text, 'ss130716');
  assert.deepEqual(triple(parseIpVersion('ip utility, iproute2-ss121211')), [3, 7, 0]);
  assert.deepEqual(triple(parseIpVersion('ip utility, iproute2-ss180129')), [4, 15, 0]);
  assert.deepEqual(triple(parseIpVersion('ip utility, iproute2-ss200127')), [5, 5, 0]);
});

test('iproute2 snapshots from 2012-10-01 on are at least 3.6.0, earlier ones are not', () => {
  for (const ss of ['121001', '121115', '130221', '140804', '191125']) assert.ok(atLeast(iproute2SnapshotVersion(ss)!, IPROUTE2_MIN_FOR_CRIU), ss);
  for (const ss of ['120930', '110317', '081027', '061214']) assert.ok(!atLeast(iproute2SnapshotVersion(ss)!, IPROUTE2_MIN_FOR_CRIU), ss);
  // Between two known releases: the older one.
  assert.deepEqual(triple(iproute2SnapshotVersion('130601')), [3, 9, 0]);
});

test('ip -V that names no version', () => {
  assert.equal(parseIpVersion('BusyBox v1.36.1 (Debian 1:1.36.1-3) multi-call binary.'), null);
  assert.equal(parseIpVersion('ip utility, iproute2-ss990101'), null);
  assert.equal(iproute2SnapshotVersion('13071'), null);
});

test('lxc-start --version', () => {
  assert.deepEqual(triple(parseLxcVersion('5.0.2\n')), [5, 0, 2]);
  assert.deepEqual(triple(parseLxcVersion('4.0.12')), [4, 0, 12]);
  assert.equal(parseLxcVersion('lxc-start: command not found'), null);
});

test('uname -r', () => {
  assert.deepEqual(triple(parseKernelRelease('6.18.44-fc-v669')), [6, 18, 44]);
  assert.deepEqual(triple(parseKernelRelease('6.1.0-18-amd64')), [6, 1, 0]);
  assert.deepEqual(triple(parseKernelRelease('4.19.114+')), [4, 19, 114]);
  assert.deepEqual(triple(parseKernelRelease('6.13-rc1')), [6, 13, 0]);
  assert.deepEqual(triple(parseKernelRelease('7.0.0-1008-aws')), [7, 0, 0]);
  assert.equal(parseKernelRelease('6.18.44-fc-v669')?.text, '6.18.44-fc-v669');
  assert.equal(parseKernelRelease('Linux'), null);
  assert.equal(parseKernelRelease('6'), null);
});
