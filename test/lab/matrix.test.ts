/**
 * The ground-truth matrix (issue 10): for every state, a stock lab container
 * made dumpable plus one change, the doctor's verdict against a raw
 * `lxc-checkpoint` dump and restore of the same container. Any disagreement
 * fails, either way: a READY that CRIU then refuses, or a NOT READY for a
 * container that dumps and restores. For each failed raw run, `ctcr explain`
 * of its log must name a rule the doctor named. The run writes the table to
 * docs/ground-truth.md.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labTest, ms } from '../helpers/lab.js';
import { agrees, buildHelper, criuWorked, describe, groundTruthMarkdown, repoRoot, runMatrix, STATES } from './matrix-harness.js';

labTest('ground truth: the doctor and a raw lxc-checkpoint agree on every state of the matrix, both ways', async (t) => {
  const helper = await buildHelper();
  if (!helper.path) {
    process.stderr.write(`# SKIP the ground-truth matrix: ${helper.skip}\n`);
    t.skip(helper.skip);
    return;
  }
  const t0 = performance.now();
  // 20 s is ample for a dump of a busybox container (~0.5 s); a hang is killed and thawed by the harness.
  const results = await runMatrix(helper.path, STATES, 3, { dumpDeadlineMs: 20_000, restoreDeadlineMs: 30_000, log: (l) => t.diagnostic(l) });
  const took = ms(performance.now() - t0);
  writeFileSync(
    join(repoRoot, 'docs', 'ground-truth.md'),
    `# Ground truth: the doctor against a real dump and restore\n\nWritten by test/lab/matrix.test.ts (\`npm test\` as root): each state is LXC's stock busybox container, made dumpable\n(test/lab/baseline-edits.ts), plus one change. "agree" means READY exactly when the raw \`lxc-checkpoint\` dump and\nrestore both worked.\n\n${groundTruthMarkdown(results, `Last run: ${results.length} states in ${took}.`)}`,
  );
  const judged = results.filter((r) => !r.skipped);
  for (const r of results.filter((x) => x.skipped)) t.diagnostic(`not judged: ${r.id}: ${r.skipped}`);
  assert.ok(judged.length >= 25, `only ${judged.length} states could be set up`);
  const disagree = judged.filter((r) => !agrees(r));
  assert.deepEqual(disagree.map((r) => `${r.id}: ${describe(r)}`), [], 'the doctor and CRIU disagree');
  // explain of each failed raw log names a rule the doctor named (a hang leaves no error line to explain).
  const unexplained = judged.filter((r) => !criuWorked(r) && !(r.dump?.hang || r.restore?.hang) && !(r.explained ?? []).some((id) => r.doctor?.errors.includes(id)));
  assert.deepEqual(unexplained.map((r) => `${r.id}: doctor [${r.doctor?.errors.join(', ')}], explain [${r.explained?.join(', ')}]`), []);
}, { timeout: 20 * 60_000 });
