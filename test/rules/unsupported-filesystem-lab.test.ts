/**
 * The lab check behind unsupported-filesystem's fstab-bind message: an lxc.mount.fstab bind of the root
 * of a filesystem CRIU cannot dump (bpf, mounted for the test in the lab's scratch space) is judged by
 * that filesystem when the doctor reads the host's mount table, and a real lxc-checkpoint then finds it
 * among CRIU's own mounts ("autodetected external mount") and dumps, as the message says it does when
 * the source is mounted in CRIU's mount namespace.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import rule from '../../rules/unsupported-filesystem.js';
import { gatherStatic } from '../../src/gather/static.js';
import { gatherHost } from '../../src/gather/host.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { LAB_TMP, lxcTool, startContainer } from '../../lab/index.js';
import { labTest, scratchDir, withContainer } from '../helpers/lab.js';

labTest('unsupported-filesystem (lab): an fstab bind of a bpf root is judged as bpf, and CRIU auto-detects it as external', async (t) => {
  if (!readFileSync('/proc/filesystems', 'utf8').includes('\tbpf\n')) {
    t.skip('this kernel has no bpf filesystem');
    return;
  }
  const source = path.join(LAB_TMP, `lintread-bpf-${randomBytes(3).toString('hex')}`);
  mkdirSync(source, { recursive: true });
  await execa('mount', ['-t', 'bpf', 'bpf', source]);
  t.after(async () => {
    await execa('umount', [source], { reject: false });
    rmSync(source, { recursive: true, force: true });
  });
  await withContainer(
    t,
    async (c) => {
      const fstab = path.join(path.dirname(c.configPath), 'fstab');
      writeFileSync(fstab, `${source} mnt/bpf none bind,create=dir 0 0\n`);
      // No ttys and no console: the stock container's own checkpoint problems stay out of the dump.
      appendFileSync(c.configPath, `lxc.mount.fstab = ${fstab}\nlxc.tty.max = 0\nlxc.console.path = none\n`);

      const host = await gatherHost({ env: process.env, timeoutMs: 5000 });
      const snapshot = await gatherStatic({ label: c.configPath, configPath: c.configPath, expectRootfs: false }, { rootfsPaths: [], assumptions: resolveAssumptions(undefined, undefined), purpose: 'doctor' });
      const findings = evaluate([rule], { ...snapshot, host }).filter((f) => f.location.file === fstab);
      assert.equal(findings.length, 1, JSON.stringify(findings));
      assert.match(findings[0].message, /the root of the host's bpf filesystem \(host mount table\).*"autodetected external mount".*FS mnt \.\/mnt\/bpf/);

      await startContainer(c);
      const dir = scratchDir(t);
      const dump = await lxcTool(c, 'lxc-checkpoint', ['-s', '-D', dir, '-v'], 120_000);
      const log = existsSync(path.join(dir, 'dump.log')) ? readFileSync(path.join(dir, 'dump.log'), 'utf8') : '';
      t.diagnostic(log.split('\n').filter((l) => /mnt\/bpf|Error/.test(l)).slice(0, 8).join('\n'));
      assert.match(log, /autodetected external mount .* for \.\/mnt\/bpf/, 'CRIU found the fstab bind among its own mounts');
      assert.ok(dump.ok, `lxc-checkpoint: ${dump.stderr}`);
    },
    { name: `lintread-fsbind-${randomBytes(3).toString('hex')}`, start: false },
  );
});
