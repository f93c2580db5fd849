import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCOMPATIBILITIES, knownIncompatibilities, normalizeArch } from '../../src/criu/compat.js';
import { parseKernelRelease, parseVersion } from '../../src/criu/version.js';

const ids = (q: Parameters<typeof knownIncompatibilities>[0]) => knownIncompatibilities(q).map((e) => e.id).sort();

test("the lab machine: kernel 6.18 x86_64 with Debian 12's CRIU 3.17.1", () => {
  const found = knownIncompatibilities({ kernel: '6.18.44-fc-v669', arch: 'x86_64', criu: '3.17.1' });
  const vdso = found.find((e) => e.id === 'vdso-vvar-vclock')!;
  assert.ok(vdso, 'vvar_vclock applies');
  assert.equal(vdso.appliesToEverything, true);
  assert.equal(vdso.fixedIn, '4.1');
  assert.ok(found.some((e) => e.id === 'sockopt-passcred'));
  assert.ok(found.some((e) => e.id === 'guard-pages'));
  assert.ok(found.some((e) => e.id === 'compat-vdso-size'));
  assert.ok(!found.some((e) => e.id === 'rseq-old-criu'), '3.17 has rseq support');
});

test('kernel 6.18 with CRIU 4.1.1: only the socket problem of 6.16 (and guard pages) remain', () => {
  assert.deepEqual(ids({ kernel: '6.18.44-fc-v669', arch: 'x86_64', criu: '4.1.1' }), ['guard-pages', 'sockopt-passcred']);
});

test('kernel 6.18 with CRIU 4.2: nothing known', () => {
  assert.deepEqual(ids({ kernel: '6.18.44-fc-v669', arch: 'x86_64', criu: '4.2' }), []);
});

test('socket families decide the 6.16 entry when known', () => {
  const q = { kernel: '6.16.0', arch: 'x86_64', criu: '4.1' };
  assert.ok(ids({ ...q, socketFamilies: ['unix', 'packet'] }).includes('sockopt-passcred'));
  assert.ok(!ids({ ...q, socketFamilies: ['unix', 'netlink'] }).includes('sockopt-passcred'));
  assert.ok(ids(q).includes('sockopt-passcred'), 'unknown sockets: assume it applies');
});

test('kernel boundaries are inclusive at kernelFrom', () => {
  assert.ok(!ids({ kernel: '6.12.9', arch: 'x86_64', criu: '4.0' }).includes('vdso-vvar-vclock'));
  assert.ok(ids({ kernel: '6.13.0-0.rc0.20241125git9f16d5e6f220.8.fc42.x86_64', arch: 'x86_64', criu: '4.0' }).includes('vdso-vvar-vclock'));
  assert.ok(!ids({ kernel: '6.15.2', arch: 'x86_64', criu: '4.1' }).includes('sockopt-passcred'));
});

test('arch filters: vvar_vclock is x86 only; arm64 DT_GNU_HASH needs aarch64 ≥ 6.11', () => {
  assert.ok(!ids({ kernel: '6.14', arch: 'aarch64', criu: '4.0' }).includes('vdso-vvar-vclock'));
  assert.ok(ids({ kernel: '6.11.0', arch: 'arm64', criu: '4.0' }).includes('arm64-vdso-gnu-hash'));
  assert.ok(!ids({ kernel: '6.10.3', arch: 'aarch64', criu: '4.0' }).includes('arm64-vdso-gnu-hash'));
  assert.ok(!ids({ kernel: '6.11.0', arch: 'x86_64', criu: '4.0' }).includes('arm64-vdso-gnu-hash'));
});

test('old kernels: rseq needs 5.13; kernelBefore is exclusive', () => {
  assert.ok(ids({ kernel: '5.10.0-28-amd64', arch: 'x86_64', criu: '3.17' }).includes('rseq-old-kernel'));
  assert.ok(!ids({ kernel: '5.13.0', arch: 'x86_64', criu: '3.17' }).includes('rseq-old-kernel'));
  assert.ok(ids({ kernel: '5.15.0', arch: 'x86_64', criu: '3.16.1' }).includes('rseq-old-criu'));
});

test('unparseable versions give nothing rather than a guess', () => {
  assert.deepEqual(knownIncompatibilities({ kernel: 'unknown', arch: 'x86_64', criu: '3.17' }), []);
  assert.deepEqual(knownIncompatibilities({ kernel: '6.18', arch: 'x86_64', criu: 'not-a-version' }), []);
});

test('accepts parsed versions too', () => {
  const found = knownIncompatibilities({ kernel: parseKernelRelease('6.13.2')!, arch: 'x86_64', criu: parseVersion('4.0')! });
  assert.ok(found.some((e) => e.id === 'vdso-vvar-vclock'));
});

test('normalizeArch', () => {
  assert.equal(normalizeArch('x86_64'), 'x86_64');
  assert.equal(normalizeArch('amd64'), 'x86_64');
  assert.equal(normalizeArch('i686'), 'x86');
  assert.equal(normalizeArch('aarch64'), 'aarch64');
  assert.equal(normalizeArch('armv7l'), 'arm');
  assert.equal(normalizeArch('riscv64'), 'other');
});

test('every entry is well formed', () => {
  const seen = new Set<string>();
  for (const e of INCOMPATIBILITIES) {
    assert.ok(!seen.has(e.id), `duplicate id ${e.id}`);
    seen.add(e.id);
    for (const v of [e.kernelFrom, e.kernelBefore, e.fixedIn]) if (v) assert.ok(parseVersion(v), `${e.id}: ${v}`);
    assert.ok(e.symptom && e.reason && e.fix && e.references.length, e.id);
  }
});
