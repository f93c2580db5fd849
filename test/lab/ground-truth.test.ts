/**
 * Ground truth on a real kernel: what a raw `lxc-checkpoint` of LXC's stock
 * busybox container does, and which config edits make dump + restore work.
 * The edits are plain text edits here on purpose: `ctcr fix` will be measured
 * against this test.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { editAppArmor, editBindSources, editTtys } from './baseline-edits.js';
import type { TestContext } from 'node:test';
import { labTest, ms, scratchDir, withContainer } from '../helpers/lab.js';
import {
  containerState, lxcTool, processesInPidns, refreshInitPid, rootError, rootErrorText, startContainer, stopContainer, treeKey,
  type LabContainer,
} from '../../lab/index.js';

/** Root causes of a failed dump of a stock container that we know of (see docs/lab.md). */
const KNOWN_DUMP_CAUSES: Array<{ id: string; re: RegExp }> = [
  { id: 'tty', re: /tty: Unable to find a master for / },
  { id: 'network-lock', re: /iptables-restore|nft/ },
  { id: 'socket-passcred', re: /sockets: Can't get 1:16 opt/ },
  { id: 'console', re: /Can't obtain ptmx index|console/ },
  { id: 'vdso', re: /vdso: Unexpected/ },
];

// --- helpers ------------------------------------------------------------------------

async function reconfigure(c: LabContainer, edit: (text: string) => string): Promise<string> {
  await stopContainer(c);
  const before = readFileSync(c.configPath, 'utf8');
  const after = edit(before);
  writeFileSync(c.configPath, after);
  await startContainer(c);
  return after;
}

interface Step {
  ok: boolean;
  ms: number;
  root: string;
  log: string;
}

async function checkpoint(t: TestContext, c: LabContainer, dir: string, action: 'dump' | 'restore'): Promise<Step> {
  const args = action === 'dump' ? ['-s', '-D', dir] : ['-r', '-D', dir];
  const t0 = performance.now();
  const r = await lxcTool(c, 'lxc-checkpoint', args, 180_000);
  const took = performance.now() - t0;
  const file = `${dir}/${action}.log`;
  const log = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const root = r.ok ? '' : rootErrorText(log || r.stderr);
  t.diagnostic(`${action} ${r.ok ? 'ok' : 'FAILED'} in ${ms(took)}${r.ok ? '' : `: ${root}`}`);
  return { ok: r.ok, ms: took, root, log };
}

// --- tests --------------------------------------------------------------------------

labTest('raw lxc-checkpoint of a stock busybox container fails, for a known reason', async (t) => {
  await withContainer(t, async (c) => {
    const config = readFileSync(c.configPath, 'utf8');
    const dump = await checkpoint(t, c, scratchDir(t), 'dump');
    assert.equal(dump.ok, false, 'the stock config is expected NOT to checkpoint');
    const root = rootError(dump.log);
    assert.ok(root, `dump.log has no CRIU error line:\n${dump.log.slice(-2000)}`);
    const cause = KNOWN_DUMP_CAUSES.find((k) => k.re.test(root.message));
    assert.ok(cause, `unknown root error: ${root.line}`);
    t.diagnostic(`root error (${cause.id}): ${root.line}`);
    // The lab installs iptables and a CRIU that dumps sockets, so what is left is the template's ttys.
    if (/^\s*lxc\.tty\.max\s*=\s*[1-9]/m.test(config)) assert.equal(cause.id, 'tty', root.line);
    assert.equal(await containerState(c), 'RUNNING', 'a failed dump must leave the container running');
  });
});

labTest('with the config edits the same container dumps and restores with its process tree', async (t) => {
  await withContainer(t, async (c) => {
    const t0 = performance.now();
    await reconfigure(c, (x) => editBindSources(editAppArmor(editTtys(x))));
    t.diagnostic(`config edited and container restarted in ${ms(performance.now() - t0)}`);
    const before = processesInPidns(c.initPid);
    const dir = scratchDir(t);

    const dump = await checkpoint(t, c, dir, 'dump');
    assert.ok(dump.ok, `dump failed: ${dump.root}`);
    assert.equal(await containerState(c), 'STOPPED');

    const restore = await checkpoint(t, c, dir, 'restore');
    assert.ok(restore.ok, `restore failed: ${restore.root}`);
    assert.equal(await containerState(c), 'RUNNING');
    await refreshInitPid(c);
    const after = processesInPidns(c.initPid);

    // Same (in-namespace PID, comm, cmdline) for every process: NSpid's last field.
    assert.deepEqual(treeKey(after), treeKey(before));
    t.diagnostic(`process tree kept: ${treeKey(after).map((k) => k.replace(/\t/g, ' ')).join(' | ')}`);
    t.diagnostic(`dump + restore: ${ms(dump.ms + restore.ms)}`);
  });
});

labTest('each edit is needed: without it, dump or restore fails at a known step', async (t) => {
  await withContainer(t, async (c) => {
    const noAppArmor = !existsSync('/sys/kernel/security/apparmor');
    const mergedUsr = lstatSync('/lib').isSymbolicLink();

    // ttys only: dump works, restore trips over the AppArmor profile on a kernel without AppArmor.
    await reconfigure(c, editTtys);
    let dir = scratchDir(t);
    assert.ok((await checkpoint(t, c, dir, 'dump')).ok, 'dump with the tty edits');
    let restore = await checkpoint(t, c, dir, 'restore');
    if (noAppArmor) {
      assert.equal(restore.ok, false);
      assert.match(restore.root, /apparmor LSM specified but apparmor not supported by kernel/);
    }

    // + AppArmor keys removed: restore trips over bind mounts whose source is a symlink.
    await reconfigure(c, editAppArmor);
    dir = scratchDir(t);
    assert.ok((await checkpoint(t, c, dir, 'dump')).ok, 'dump with tty + AppArmor edits');
    restore = await checkpoint(t, c, dir, 'restore');
    if (mergedUsr) {
      assert.equal(restore.ok, false);
      assert.match(restore.root, /move_mount from \/lib/);
    }
    if (restore.ok) await stopContainer(c);
  });
});
