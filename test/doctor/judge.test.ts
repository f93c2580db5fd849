/**
 * The doctor's judgement on recorded facts (no live system): all rules on
 * the host and on each container, host findings once, superseded static
 * guesses dropped, and the verdicts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ContainerFacts, HostFacts, Snapshot } from '../../src/types.js';
import { loadRules } from '../../src/engine/load-rules.js';
import { rootfsPathsOf } from '../../src/engine/lint.js';
import { gatherStatic } from '../../src/gather/static.js';
import { requireVersion } from '../../src/engine/assumptions.js';
import { judge } from '../../src/engine/doctor.js';
import type { Inspection } from '../../src/engine/inspect.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';

const rules = await loadRules();
const assumptions = { criuVersion: requireVersion('4.2', 'criu'), lxcVersion: requireVersion('5.0', 'lxc') };

/** What lxc-checkpoint needs here, as the agreement test found it: ttys off, no AppArmor profile, bind sources that are not links. */
const READY_CONFIG = BUSYBOX_CONFIG.replace('lxc.tty.max = 5', 'lxc.tty.max = 0')
  .replace('lxc.apparmor.profile = generated\n', '')
  .replace('lxc.mount.entry = /lib lib', 'lxc.mount.entry = /usr/lib lib')
  .replace('lxc.mount.entry = /lib64 lib64', 'lxc.mount.entry = /usr/lib64 lib64');

async function inspection(hostFacts: HostFacts, containers: { name: string; config: string; facts: ContainerFacts }[]): Promise<Inspection> {
  const snapshots: Snapshot[] = [];
  for (const c of containers) {
    const dir = await mkdtemp(path.join(tmpdir(), 'ctcr-judge-'));
    await writeFile(path.join(dir, 'config'), c.config);
    const files = await gatherStatic({ label: c.name, configPath: path.join(dir, 'config'), expectRootfs: false }, { rootfsPaths: rootfsPathsOf(rules), assumptions, purpose: 'doctor' });
    snapshots.push({ ...files, host: hostFacts, container: { ...c.facts, name: c.name, configPath: path.join(dir, 'config') } });
  }
  return {
    lxcpath: '/var/lib/lxc',
    host: { target: 'host', fstabs: [], mounts: [], assumptions, purpose: 'doctor', host: hostFacts },
    containers: snapshots,
    errors: [],
    notes: [],
  };
}

const errorIds = (findings: { ruleId: string; severity: string }[]) => findings.filter((f) => f.severity === 'error').map((f) => f.ruleId).sort();

test('the stock busybox container on the recorded host: NOT READY for exactly the three reasons the lab measured', async () => {
  const [hostResult, bb] = judge(await inspection(host(), [{ name: 'bb', config: BUSYBOX_CONFIG, facts: busybox() }]), rules);
  assert.equal(hostResult!.verdict, 'READY');
  assert.deepEqual(hostResult!.findings, []);
  assert.equal(bb!.verdict, 'NOT READY');
  assert.deepEqual(errorIds(bb!.findings), ['apparmor-unavailable', 'bind-mount-restore', 'bind-mount-restore', 'tty-nonzero']);
  const ids = bb!.findings.map((f) => f.ruleId);
  assert.ok(!ids.includes('apparmor-profile-set'), 'the static warning stays silent: the live rule knows this host has no AppArmor');
  assert.ok(ids.includes('console-enabled'), 'the console stays a warning: lxc-checkpoint handles it');
  assert.ok(bb!.notes?.[0]?.startsWith('RUNNING, init PID'), JSON.stringify(bb!.notes));
});

test('with the three fixes applied: READY, with no error anywhere', async () => {
  const results = judge(await inspection(host(), [{ name: 'bb', config: READY_CONFIG, facts: busybox() }]), rules);
  assert.deepEqual(results.map((r) => [r.target, r.verdict]), [['host', 'READY'], ['bb', 'READY']]);
  assert.deepEqual(errorIds(results.flatMap((r) => r.findings)), []);
});

test('on a host with AppArmor the live error does not fire and the static warning (about other hosts) stays', async () => {
  const withAppArmor = host({ apparmor: { ok: true, value: { enabled: true, securityfs: true, moduleEnabled: true } } });
  const [, bb] = judge(await inspection(withAppArmor, [{ name: 'bb', config: BUSYBOX_CONFIG, facts: busybox() }]), rules);
  const ids = bb!.findings.map((f) => f.ruleId);
  assert.ok(!ids.includes('apparmor-unavailable'));
  assert.ok(ids.includes('apparmor-profile-set'));
});

test('when AppArmor could not be determined, the static warning stays', async () => {
  const unknown = host({ apparmor: { ok: false, reason: 'AppArmor: permission denied' } });
  const [hostResult, bb] = judge(await inspection(unknown, [{ name: 'bb', config: READY_CONFIG.replace('lxc.pty.max', 'lxc.apparmor.profile = generated\nlxc.pty.max'), facts: busybox() }]), rules);
  assert.ok(bb!.findings.some((f) => f.ruleId === 'apparmor-profile-set'));
  assert.ok(hostResult!.findings.some((f) => f.ruleId === 'facts-unavailable' && /AppArmor/.test(f.message)));
});

test('a host error makes every container NOT READY, and is reported once, under host', async () => {
  const noCriu = host({ criu: { ok: true, value: null } });
  const results = judge(
    await inspection(noCriu, [
      { name: 'a', config: READY_CONFIG, facts: busybox() },
      { name: 'b', config: READY_CONFIG, facts: busybox() },
    ]),
    rules,
  );
  assert.deepEqual(results.map((r) => [r.target, r.verdict]), [['host', 'NOT READY'], ['a', 'NOT READY'], ['b', 'NOT READY']]);
  assert.deepEqual(results[0]!.findings.map((f) => f.ruleId), ['criu-missing']);
  for (const r of results.slice(1)) {
    assert.deepEqual(r.findings.filter((f) => f.location.file === 'host'), []);
    assert.ok(r.notes?.includes('the host is NOT READY (1 error under host)'), JSON.stringify(r.notes));
  }
});

test('rule levels from the settings apply: a rule turned off is gone, a re-ranked one counts as ranked', async () => {
  const insp = await inspection(host(), [{ name: 'bb', config: BUSYBOX_CONFIG, facts: busybox() }]);
  const [, bb] = judge(insp, rules, { 'tty-nonzero': 'off', 'bind-mount-restore': 'warning', 'apparmor-unavailable': 'off' });
  assert.equal(bb!.verdict, 'READY');
  const ids = bb!.findings.map((f) => f.ruleId);
  assert.ok(!ids.includes('tty-nonzero') && !ids.includes('apparmor-unavailable'));
  const binds = bb!.findings.filter((f) => f.ruleId === 'bind-mount-restore');
  assert.equal(binds.length, 2);
  assert.ok(binds.every((f) => f.severity === 'warning'));
});
