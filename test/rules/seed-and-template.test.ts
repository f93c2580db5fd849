/**
 * Every rule at once over two real containers, linted the way `ctcr lint DIR`
 * does: the CRIU wiki's 2014 container (fixtures/containers/seed) and the
 * stock busybox template container (fixtures/containers/example). The
 * expected findings are what the seed's text and the team's notes predict.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Finding, Fix, Snapshot } from '../../src/types.js';
import { loadRules } from '../../src/engine/load-rules.js';
import { resolveTargets } from '../../src/engine/targets.js';
import { rootfsPathsOf } from '../../src/engine/lint.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { gatherStatic } from '../../src/gather/static.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { applyFixes } from '../../src/fix/apply-edits.js';
import { REPO } from '../helpers/cli.js';

const rules = await loadRules();
const assumptions = resolveAssumptions(undefined, undefined);

async function lintDir(dir: string, overlay?: ReadonlyMap<string, string>): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
  const [target] = await resolveTargets([dir], {});
  const snapshot = await gatherStatic(target, { rootfsPaths: rootfsPathsOf(rules), assumptions, purpose: 'lint', overlay });
  return { snapshot, findings: evaluate(rules, snapshot) };
}

/** `ruleId file:line severity`, the file relative to the container directory. */
function summary(dir: string, findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${path.relative(dir, f.location.file)}:${f.location.line} ${f.severity}`);
}

function applyAll(snapshot: Snapshot, fixes: Fix[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const doc of snapshot.config!.documents) {
    const result = applyFixes(doc.text, fixes.map((fix) => ({ fix, edits: fix.edits.filter((e) => e.file === doc.path) })));
    assert.equal(result.deferred.length, 0, `no fix waits for a second pass in ${doc.path}`);
    texts.set(doc.path, result.text);
  }
  return texts;
}

const SEED = path.join(REPO, 'fixtures', 'containers', 'seed');
const TEMPLATE = path.join(REPO, 'fixtures', 'containers', 'example');

test("the CRIU wiki's container: legacy keys and a rootfs of the author's machine, nothing else", async () => {
  const { findings } = await lintDir(SEED);
  assert.deepEqual(summary(SEED, findings), [
    'legacy-key config:2 error', // lxc.utsname
    'legacy-key config:3 error', // lxc.network.type
    'legacy-key config:4 error', // lxc.network.flags
    'legacy-key config:5 error', // lxc.network.link
    'legacy-key config:6 error', // lxc.network.name
    'legacy-key config:7 error', // lxc.mount
    'legacy-key config:8 error', // lxc.rootfs
    'rootfs-missing config:8 error', // /root/test-lxc-root/ is not in the fixture
    'legacy-key config:9 error', // lxc.console (= none: console-enabled stays silent)
    'legacy-key config:10 error', // lxc.tty (= 0: tty-nonzero stays silent)
  ]);
  // Its fstab (devpts, proc, sysfs, tmpfs) is read (found beside the config) and all of it is dumpable.
  assert.ok(!findings.some((f) => f.ruleId === 'unsupported-filesystem' || f.ruleId === 'fstab-missing'));
});

test("the CRIU wiki's container after every fix: only the missing rootfs is left", async () => {
  const first = await lintDir(SEED);
  const texts = applyAll(first.snapshot, first.findings.flatMap((f) => (f.fix ? [f.fix] : [])));
  assert.match(texts.get(path.join(SEED, 'config'))!, /^lxc\.net\.0\.type = veth$/m);
  const second = await lintDir(SEED, texts);
  assert.deepEqual(summary(SEED, second.findings), ['rootfs-missing config:8 error']);
});

test('the busybox template container: ttys, console, AppArmor profile, mqueue', async () => {
  const { findings, snapshot } = await lintDir(TEMPLATE);
  assert.equal(snapshot.rootfs?.kind, 'dir', 'its rootfs skeleton is read');
  assert.deepEqual(summary(TEMPLATE, findings), [
    'console-enabled config:1 warning', // no lxc.console.path: LXC allocates a console
    'apparmor-profile-set config:12 warning', // lxc.apparmor.profile = generated
    'tty-nonzero config:19 error', // lxc.tty.max = 5 ("Unable to find a master for /4" in the lab)
    'unsupported-filesystem config:28 warning', // mqueue must be empty
  ]);
  // The read-only binds of host /lib, /usr/lib... are lxc.mount.entry binds, which lxc-checkpoint marks external.
  assert.ok(!findings.some((f) => f.ruleId === 'unsupported-filesystem' && /bind/.test(f.message)));
});

test('the busybox template container with every suggestion: nothing is left', async () => {
  const first = await lintDir(TEMPLATE);
  const texts = applyAll(first.snapshot, first.findings.flatMap((f) => f.suggestions ?? []));
  const config = texts.get(path.join(TEMPLATE, 'config'))!;
  assert.match(config, /^lxc\.tty\.max = 0$/m);
  assert.match(config, /^lxc\.pty\.max = 1\nlxc\.console\.path = none$/m);
  const second = await lintDir(TEMPLATE, texts);
  assert.deepEqual(summary(TEMPLATE, second.findings), []);
});
