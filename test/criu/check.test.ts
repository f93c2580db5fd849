import { test } from 'node:test';
import assert from 'node:assert/strict';
import { criuCannotProbe, parseCriuCheckOutput, parseFeatureCheck } from '../../src/criu/check.js';
import { SIGNATURES } from '../helpers/signatures.js';
import { readOutputFixture } from './fixtures.js';
import { liveFixture } from '../gather/fixtures.js';

function check(name: string) {
  const { text, exitCode } = readOutputFixture(name);
  return parseCriuCheckOutput(text, exitCode, SIGNATURES);
}

test('Looks good.', () => {
  const r = check('check-looks-good.txt');
  assert.equal(r.verdict, 'looks-good');
  assert.equal(r.ok, true);
  assert.deepEqual(r.problems, []);
  assert.equal(r.diagnosis, undefined);
});

test("Looks good. with this machine's RLIMIT line stays good", () => {
  const r = check('check-looks-good-rlimit.txt');
  assert.equal(r.ok, true);
  assert.deepEqual(r.problems, []);
});

test('Looks good but ... is not ok and lists the warnings', () => {
  const r = check('check-looks-good-but.txt');
  assert.equal(r.verdict, 'looks-good-but');
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems, ["Kernel doesn't support PTRACE_GET_RSEQ_CONFIGURATION"]);
});

test('"Looks good." with a non-zero exit is not trusted', () => {
  assert.equal(parseCriuCheckOutput('Looks good.\n', 1).verdict, 'failed');
});

test('the vvar_vclock failure of CRIU 3.17.1 on kernel 6.18 (recorded on the lab machine)', () => {
  const r = check('check-vdso-3.17.1.txt');
  assert.equal(r.verdict, 'failed');
  assert.equal(r.diagnosis?.ruleId, 'criu-kernel-mismatch');
  assert.equal(r.diagnosis?.line, 1);
  assert.equal(r.problems.length, 4);
  assert.match(r.diagnosis!.fix, /CRIU 4\.1/);
});

test('the compat vDSO buffer failure of CRIU 3.17', () => {
  const r = check('check-compat-vdso-3.17.txt');
  assert.equal(r.verdict, 'failed');
  assert.equal(r.diagnosis?.ruleId, 'criu-kernel-mismatch');
  assert.match(r.diagnosis!.fix, /3\.18/);
});

test('not root', () => {
  assert.equal(check('check-non-root.txt').diagnosis?.ruleId, 'criu-not-root');
});

test('Does not look good. after a sock-diag error', () => {
  const r = check('check-does-not-look-good.txt');
  assert.equal(r.verdict, 'failed');
  assert.equal(r.diagnosis?.ruleId, 'sock-diag-missing');
  assert.ok(r.problems.includes('Does not look good.'));
});

test('criu check --feature', () => {
  const yes = readOutputFixture('feature-supported.txt');
  assert.deepEqual(parseFeatureCheck('network_lock_nftables', yes.text, yes.exitCode!), { supported: true, unknownFeature: false });
  const unknown = readOutputFixture('feature-unknown.txt');
  assert.deepEqual(parseFeatureCheck('pagemap_scan_guard_pages', unknown.text, unknown.exitCode!), { supported: false, unknownFeature: true });
  assert.deepEqual(parseFeatureCheck('mem_dirty_track', '', 1), { supported: false, unknownFeature: false });
  const list = readOutputFixture('feature-list-unknown-4.2.1.txt');
  assert.deepEqual(parseFeatureCheck('list', list.text, list.exitCode!), { supported: false, unknownFeature: true });
  const dirty = readOutputFixture('feature-mem_dirty_track-off-4.2.1.txt');
  assert.deepEqual(parseFeatureCheck('mem_dirty_track', dirty.text, dirty.exitCode!), { supported: false, unknownFeature: false });
  const timens = readOutputFixture('feature-timens-4.2.1.txt');
  assert.deepEqual(parseFeatureCheck('timens', timens.text, timens.exitCode!), { supported: true, unknownFeature: false });
  // Another feature's success line does not count.
  assert.equal(parseFeatureCheck('uffd', 'uffd-noncoop is supported\n', 0).supported, false);
});

test('criu check --feature when criu fails before probing: the cause, not a "no"', () => {
  assert.deepEqual(parseFeatureCheck('timens', liveFixture('criu-3.17.1-feature-timens.txt'), 1), {
    supported: false, unknownFeature: false, cannotProbe: 'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds',
  });
  // The name is checked before the kernel-features detection: unknown wins.
  assert.deepEqual(parseFeatureCheck('bogus_xyz', liveFixture('criu-3.17.1-feature-unknown.txt'), 1), { supported: false, unknownFeature: true });
});

test('criuCannotProbe finds the cause before the cascade line, and nothing in a plain "no"', () => {
  assert.equal(criuCannotProbe(liveFixture('criu-3.17.1-check.txt')), 'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds');
  assert.equal(criuCannotProbe(liveFixture('criu-4.2.1-feature-mem_dirty_track.txt')), null);
  const withRlimit = `Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self\n${liveFixture('criu-3.17.1-check.txt')}`;
  assert.equal(criuCannotProbe(withRlimit), 'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds');
  assert.equal(criuCannotProbe('Error (criu/crtools.c:100): Running as non-root requires \'--unprivileged\''), 'Error (criu/crtools.c:100): Running as non-root requires \'--unprivileged\'');
});
