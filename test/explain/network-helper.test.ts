/**
 * The ip tool CRIU runs on restore, failing for real: a process in its own
 * network namespace is dumped, then restored with CR_IP_TOOL (which CRIU
 * honours, criu/net.c) naming a stand-in for ip that fails `ip route restore`
 * as ip does. explain must name network-helper-failed with ip's own words.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { explainCriuLog } from '../../src/criu/log.js';
import { SIGNATURES } from '../helpers/signatures.js';
import { labTest, scratchDir } from '../helpers/lab.js';

labTest('a failing `ip route restore` on restore: explain names network-helper-failed with what ip said', async (t, lab) => {
  const dir = scratchDir(t, 'netns-');
  const fakeIp = join(dir, 'ip-stand-in');
  writeFileSync(fakeIp, '#!/bin/sh\nif [ "$1 $2" = "route restore" ]; then echo "RTNETLINK answers: Network is unreachable" >&2; exit 2; fi\nexec ip "$@"\n');
  chmodSync(fakeIp, 0o755);
  // detached: its own session, no terminal; unshare execs sleep, so the pid is the task's.
  const task = spawn('unshare', ['-n', 'sleep', '1000'], { detached: true, stdio: 'ignore' });
  t.after(() => {
    try {
      process.kill(task.pid!, 'SIGKILL');
    } catch {
      // dumped without --leave-running: already gone
    }
  });
  await new Promise((r) => setTimeout(r, 300));
  const dump = await execa(lab.criuOnPath, ['dump', '-t', String(task.pid), '-D', dir, '-v4', '-o', 'dump.log'], { reject: false, timeout: 60_000 });
  assert.equal(dump.exitCode, 0, readFileSync(join(dir, 'dump.log'), 'utf8').split('\n').slice(-5).join('\n'));
  const restore = await execa(lab.criuOnPath, ['restore', '-D', dir, '-d', '-v4', '-o', 'restore.log'], { reject: false, timeout: 60_000, env: { CR_IP_TOOL: fakeIp } });
  assert.notEqual(restore.exitCode, 0, 'the restore fails on ip route restore');
  const log = readFileSync(join(dir, 'restore.log'), 'utf8');
  const d = explainCriuLog(log, SIGNATURES).diagnoses[0];
  t.diagnostic(`root: ${d?.excerpt} -> ${d?.ruleId}: ${d?.message}`);
  assert.equal(d?.ruleId, 'network-helper-failed');
  assert.match(d!.message, /^`ip route restore` failed while CRIU was restoring the container's network: RTNETLINK answers: Network is unreachable/);
});
