/**
 * The device-rule reading of dev-console-allowed checked against the real thing: the lab's LXC writes
 * lxc.cgroup.devices.* lines to the v1 devices controller, and the kernel's devices.list says what it made
 * of them. A "# comment" after three access letters must still grant c 5:1; a deny must take off only the
 * letters it names; a comment after two letters must be refused (the container does not start); allow lines
 * without a deny = a before them must leave the parent's allow-all.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import rule from '../../rules/dev-console-allowed.js';
import inlineComment from '../../rules/inline-comment.js';
import { gatherStatic } from '../../src/gather/static.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { lxcTool, startContainer, stopContainer } from '../../lab/index.js';
import { labTest, withContainer } from '../helpers/lab.js';
import { ctcr } from '../helpers/cli.js';

const V1 = 'lxc.cgroup.devices';
/** What a container needs to start with autodev (mknod of every node, the usual devices), plus the cases. */
const RULES = [
  `${V1}.deny = a`,
  `${V1}.allow = c *:* m`,
  `${V1}.allow = c 1:3 rwm # dev/null`,
  `${V1}.allow = c 1:5 rwm`,
  `${V1}.allow = c 1:7 rwm`,
  `${V1}.allow = c 1:8 rwm`,
  `${V1}.allow = c 1:9 rwm`,
  `${V1}.allow = c 5:0 rwm`,
  `${V1}.allow = c 5:2 rwm`,
  `${V1}.allow = c 136:* rwm`,
  `${V1}.allow = c 5:1 rwm # dev/console`,
  `${V1}.allow = c 4:0 rwm # dev/tty0`,
  `${V1}.deny = c 4:0 rw`,
];

const devicesList = (name: string) => readFileSync(`/sys/fs/cgroup/devices/lxc.payload.${name}/devices.list`, 'utf8').trim().split('\n');

async function lint(configPath: string) {
  const snapshot = await gatherStatic({ label: configPath, configPath, expectRootfs: false }, { rootfsPaths: [], assumptions: resolveAssumptions(undefined, undefined), purpose: 'lint' });
  return evaluate([rule, inlineComment], snapshot);
}

labTest('dev-console-allowed (lab): the kernel reads device rules as the rule does', async (t) => {
  if (!existsSync('/sys/fs/cgroup/devices')) {
    t.skip('no cgroup v1 devices controller on this host (lxc.cgroup.* lines are not applied)');
    return;
  }
  await withContainer(
    t,
    async (c) => {
      const original = readFileSync(c.configPath, 'utf8');
      appendFileSync(c.configPath, RULES.join('\n') + '\n');
      const consoleLine = original.split('\n').length - 1 + RULES.indexOf(`${V1}.allow = c 5:1 rwm # dev/console`) + 1;

      const findings = await lint(c.configPath);
      assert.deepEqual(findings.filter((f) => f.ruleId === 'dev-console-allowed').map((f) => f.location.line), [consoleLine], 'only the console line');
      assert.deepEqual(findings.filter((f) => f.ruleId === 'inline-comment'), [], 'comments after three access letters are not read');

      await startContainer(c, false);
      const list = devicesList(c.name);
      t.diagnostic(`devices.list: ${list.join(', ')}`);
      assert.ok(list.includes('c 5:1 rwm'), 'the comment after rwm did not stop the kernel granting the console');
      assert.ok(list.includes('c 1:3 rwm'));
      assert.ok(list.includes('c 4:0 m'), 'deny c 4:0 rw took r and w off c 4:0 rwm, leaving m');
      await stopContainer(c);

      // Two letters, then a comment: the kernel refuses the line and LXC does not start the container.
      writeFileSync(c.configPath, original + [...RULES.slice(0, -3), `${V1}.allow = c 5:1 rw # dev/console`].join('\n') + '\n');
      const refused = await lint(c.configPath);
      assert.deepEqual(refused.filter((f) => f.ruleId === 'dev-console-allowed'), [], 'a refused line grants nothing');
      assert.deepEqual(refused.filter((f) => f.ruleId === 'inline-comment').map((f) => f.severity), ['error'], 'inline-comment says the container does not start');
      const start = await lxcTool(c, 'lxc-start', [], 60_000);
      const state = (await lxcTool(c, 'lxc-info', ['-s', '-H'], 20_000)).stdout.trim();
      assert.ok(!start.ok || state !== 'RUNNING', `LXC refused to start with 'c 5:1 rw # dev/console' (lxc-start ${start.ok ? 'ok' : 'failed'}, state ${state})`);

      // Allow lines without deny = a: the kernel keeps the parent's allow-all, as the rule says.
      writeFileSync(c.configPath, original + `${V1}.allow = c 1:3 rwm\n${V1}.allow = c 136:* rwm\n`);
      assert.deepEqual((await lint(c.configPath)).filter((f) => f.ruleId === 'dev-console-allowed').length, 1, 'reported: every device is open');
      await startContainer(c, false);
      assert.deepEqual(devicesList(c.name), ['a *:* rwm'], 'the allow lines changed nothing');
      await stopContainer(c);

      // The console allowed by a shared include (outside the container's folder): ctcr fix leaves that file alone and
      // denies c 5:1 at the end of the container's config; the kernel then lists no c 5:1.
      const shared = path.join(mkdtempSync(path.join(tmpdir(), 'lintread-shared-')), 'common.conf');
      const sharedText = RULES.slice(0, -2).join('\n') + '\n';
      writeFileSync(shared, sharedText);
      writeFileSync(c.configPath, original + `lxc.include = ${shared}\n`);
      const fixed = await ctcr(['fix', path.dirname(c.configPath), '--rule', 'dev-console-allowed'], { env: { CTCR_STATE_DIR: path.dirname(shared) } });
      // Exit 1: other findings of the lab's config (its ttys) remain; the run changed the one file it may.
      assert.ok(fixed.exitCode === 0 || fixed.exitCode === 1, fixed.stdout + fixed.stderr);
      assert.match(fixed.stderr + fixed.stdout, /changed 1 file/);
      assert.equal(readFileSync(shared, 'utf8'), sharedText, 'the shared include is untouched');
      assert.match(readFileSync(c.configPath, 'utf8'), new RegExp(`^lxc\\.include = .*\\n${V1.replace(/\./g, '\\.')}\\.deny = c 5:1 rwm\\n$`, 'm'), 'the override after the include');
      await startContainer(c, false);
      const overridden = devicesList(c.name);
      t.diagnostic(`devices.list with the override: ${overridden.join(', ')}`);
      assert.ok(!overridden.some((l) => /^c 5:1 /.test(l)), 'the kernel lists no c 5:1 after the appended deny');
      assert.ok(overridden.includes('c 1:3 rwm'), 'the other devices of the shared file are still allowed');
      await stopContainer(c);
      rmSync(path.dirname(shared), { recursive: true, force: true });
      writeFileSync(c.configPath, original);
    },
    { name: `lintread-devrules-${randomBytes(3).toString('hex')}`, start: false },
  );
});
