/**
 * The ground-truth matrix by hand: `node dist/test/lab/matrix-run.js [STATE...]`
 * (as root, lab up). Prints one line per state and the table; with
 * CTCR_MATRIX_JSON=FILE also writes the results as JSON. Asserts nothing:
 * test/lab/matrix.test.ts does.
 */
import { writeFileSync } from 'node:fs';
import { ensureLab, labCanRun } from '../../lab/index.js';
import { buildHelper, groundTruthMarkdown, runMatrix, STATES } from './matrix-harness.js';

const can = labCanRun();
if (!can.ok) {
  process.stderr.write(`lab cannot run: ${can.reason}\n`);
  process.exit(2);
}
await ensureLab();
const helper = await buildHelper();
if (!helper.path) {
  process.stderr.write(`${helper.skip}\n`);
  process.exit(2);
}
const wanted = process.argv.slice(2);
const states = wanted.length ? STATES.filter((s) => wanted.includes(s.id)) : STATES;
const t0 = performance.now();
const results = await runMatrix(helper.path, states, Number(process.env.CTCR_MATRIX_WORKERS ?? 3), { log: (l) => process.stdout.write(`${l}\n`) });
process.stdout.write(`\n${groundTruthMarkdown(results, `matrix run in ${((performance.now() - t0) / 1000).toFixed(0)} s`)}\n`);
if (process.env.CTCR_MATRIX_JSON) writeFileSync(process.env.CTCR_MATRIX_JSON, JSON.stringify(results, null, 2));
