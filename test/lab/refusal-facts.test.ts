/**
 * The live checks of src/live/refusals.ts and src/live/mounts.ts against the
 * real thing: a lab busybox container (lxc.tty.max = 0) put into one state,
 * its facts gathered the way the doctor gathers them, the checks run on them,
 * then a raw `lxc-checkpoint -s`. A check that fires must come with a failed
 * dump quoting its message; no check may fire on a state CRIU dumps.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Report, Snapshot } from '../../src/types.js';
import { labTest, scratchDir, withContainer } from '../helpers/lab.js';
import { lxcTool, startContainer, type LabContainer } from '../../lab/index.js';
import { inspect } from '../../src/engine/inspect.js';
import { requireVersion } from '../../src/engine/assumptions.js';
import * as refusals from '../../src/live/refusals.js';
import { liveNonEmptyMounts } from '../../src/live/mounts.js';

const CHECKS: Record<string, (s: Snapshot) => Report[]> = {
  nestedNamespaceReports: refusals.nestedNamespaceReports,
  ioUringReports: refusals.ioUringReports,
  unsupportedFileReports: refusals.unsupportedFileReports,
  ghostFileReports: refusals.ghostFileReports,
  externalUnixSocketReports: refusals.externalUnixSocketReports,
  zombieWithThreadsReports: refusals.zombieWithThreadsReports,
  unsupportedSocketReports: refusals.unsupportedSocketReports,
  externalFileReports: refusals.externalFileReports,
  uprobesReports: refusals.uprobesReports,
  liveNonEmptyMounts,
};

interface State {
  name: string;
  /** Run with `setsid sh -c` through lxc-attach; background what must stay (it is reparented to init). */
  inside: string;
  /** The check that must fire, or null: none fires and the dump succeeds. */
  check: string | null;
  /** What the raw dump log says when it fails. */
  log?: RegExp;
}

const BG = '>/dev/null 2>&1 </dev/null &';
const STATES: State[] = [
  { name: 'an ordinary extra process', inside: `sleep 1000 ${BG}`, check: null },
  { name: 'a uts namespace of its own (unshare -u)', inside: `unshare -u sleep 1000 ${BG}`, check: 'nestedNamespaceReports', log: /Can't dump nested uts namespace for \d+/ },
  { name: 'a 3 MiB deleted file held open', inside: `dd if=/dev/zero of=/root/big bs=1M count=3; sh -c "exec 3</root/big; rm /root/big; exec sleep 1000" ${BG}`, check: 'ghostFileReports', log: /Can't dump ghost file \/root\/big of \d+ size, increase limit/ },
  { name: 'a deleted running executable of 1.9 MB', inside: `mkdir -p /root/x; cp /bin/busybox /root/x/sleep; /root/x/sleep 1000 ${BG} sleep 1; rm /root/x/sleep`, check: 'ghostFileReports', log: /Can't dump ghost file \/root\/x\/sleep of \d+ size, increase limit/ },
  { name: 'a POSIX message queue in /dev/mqueue', inside: 'touch /dev/mqueue/q', check: 'liveNonEmptyMounts', log: /mqueue isn't empty/ },
  { name: 'a 100 KiB deleted file held open (a ghost CRIU copies)', inside: `dd if=/dev/zero of=/root/s bs=1k count=100; sh -c "exec 3</root/s; rm /root/s; exec sleep 1000" ${BG}`, check: null },
  { name: 'a 3 MiB file unlinked but linked elsewhere (link remap)', inside: `dd if=/dev/zero of=/root/a bs=1M count=3; ln /root/a /root/b; sh -c "exec 3</root/a; rm /root/a; exec sleep 1000" ${BG}`, check: null },
  { name: 'a zombie whose parent does not reap it', inside: `sh -c "sleep 1 & exec sleep 1000" ${BG}`, check: null },
];

async function prepared(c: LabContainer): Promise<void> {
  const conf = readFileSync(c.configPath, 'utf8').replace(/^lxc\.tty\.max.*$/gm, '');
  writeFileSync(c.configPath, `${conf}\nlxc.tty.max = 0\n`);
  await startContainer(c);
}

for (const state of STATES) {
  labTest(`refusal facts: ${state.name}: ${state.check ?? 'no check fires, the dump succeeds'}`, async (t) => {
    await withContainer(t, async (c) => {
      await prepared(c);
      execFileSync('lxc-attach', ['-P', c.lxcpath, '-n', c.name, '--', 'setsid', 'sh', '-c', state.inside], { stdio: 'ignore', timeout: 60_000 });
      await new Promise((r) => setTimeout(r, 2500));
      const ins = await inspect({
        lxcpath: c.lxcpath, names: [c.name], env: process.env, timeoutMs: 10_000, purpose: 'doctor',
        assumptions: { criuVersion: requireVersion('4.2', 'criu'), lxcVersion: requireVersion('6.0', 'lxc') }, rootfsPaths: [],
      });
      const snapshot = ins.containers[0]!;
      const fired = Object.entries(CHECKS).filter(([, fn]) => fn(snapshot).some((r) => (r.severity ?? 'error') === 'error')).map(([k]) => k);
      t.diagnostic(`checks that fire: ${fired.join(', ') || 'none'}`);
      assert.deepEqual(fired, state.check ? [state.check] : []);
      const dir = scratchDir(t);
      const r = await lxcTool(c, 'lxc-checkpoint', ['-s', '-D', dir], 120_000);
      const log = existsSync(`${dir}/dump.log`) ? readFileSync(`${dir}/dump.log`, 'utf8') : '';
      t.diagnostic(`raw dump: ${r.ok ? 'ok' : 'failed'}`);
      if (state.check) {
        assert.ok(!r.ok, 'the raw dump fails');
        assert.match(log, state.log!);
      } else {
        assert.ok(r.ok, `the raw dump succeeds:\n${log.split('\n').filter((l) => /Error \(/.test(l)).join('\n')}`);
      }
    }, { start: false });
  }, { timeout: 4 * 60_000 });
}
