/**
 * LXC's own refusals, as the real lxc-checkpoint prints them in the lab:
 * explain names the rule from LXC's stderr alone (no CRIU log is written).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { explainCriuLog, notACriuLog } from '../../src/criu/log.js';
import { SIGNATURES } from '../helpers/signatures.js';
import { labTest, scratchDir, withContainer } from '../helpers/lab.js';
import { lxcTool, startContainer, stopContainer } from '../../lab/index.js';

labTest("lxc-checkpoint's own refusals: a stopped container checkpointed, a running one restored", async (t) => {
  await withContainer(
    t,
    async (c) => {
      const dir = scratchDir(t);
      await stopContainer(c);
      const dump = await lxcTool(c, 'lxc-checkpoint', ['-s', '-D', dir], 60_000);
      t.diagnostic(`lxc-checkpoint -s on a stopped container: ${dump.stderr.trim()}`);
      assert.equal(dump.ok, false);
      assert.equal(notACriuLog(dump.stderr, SIGNATURES), undefined, "lxc-checkpoint's stderr is taken for an LXC log");
      assert.equal(explainCriuLog(dump.stderr, SIGNATURES).diagnoses[0]?.ruleId, 'container-not-running', dump.stderr);

      await startContainer(c);
      const restore = await lxcTool(c, 'lxc-checkpoint', ['-r', '-D', dir], 60_000);
      t.diagnostic(`lxc-checkpoint -r on a running container: ${restore.stderr.trim()}`);
      assert.equal(restore.ok, false);
      assert.equal(explainCriuLog(restore.stderr, SIGNATURES).diagnoses[0]?.ruleId, 'container-running', restore.stderr);
    },
    { name: `explain-${randomBytes(3).toString('hex')}` },
  );
});
