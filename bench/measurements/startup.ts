/**
 * 2. Start-up: `ctcr --version` and `ctcr lint` of one config, next to a bare
 * `node -e 0` measured in the same run, interleaved.
 */
import path from 'node:path';
import { generateFleet } from '../generate/configs.js';
import { atMost } from '../harness/stats.js';
import { commandTrial, interleave } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import type { Measurement, Row } from '../harness/types.js';
import { ms, ratio } from './common.js';

const RATIO_LIMIT = 2;
/** Start-ups are short and noisy: take this many times the asked runs (they cost little). */
const RUNS_FACTOR = 3;

export const startup: Measurement = {
  id: 'startup',
  title: 'Start-up',
  target: `≤ ${RATIO_LIMIT}× a bare \`node -e 0\``,
  async run(ctx) {
    const fleet = await generateFleet(path.join(ctx.tmp, 'one'), 1);
    const config = fleet.containers[0]!.config;
    const node = { label: 'node -e 0', argv: [process.execPath, '-e', '0'], cwd: ctx.tmp };
    const version = { label: 'ctcr --version', argv: [...ctx.ctcr, '--version'], cwd: ctx.tmp };
    const lintOne = { label: 'ctcr lint CONFIG', argv: [...ctx.ctcr, 'lint', config], cwd: ctx.tmp, okCodes: [0, 1] };
    const runs = ctx.runs * RUNS_FACTOR;
    const [nodeS, versionS, lintS] = await interleave([node, version, lintOne].map(commandTrial), { runs, warmup: ctx.warmup });
    const rows: Row[] = [];
    for (const [label, samples] of [['ctcr --version', versionS!], ['ctcr lint of one config', lintS!]] as const) {
      const r = ratio(samples, nodeS!);
      rows.push({ what: `${label}: wall`, figure: ms(samples) });
      rows.push({
        what: `${label} ÷ node -e 0 (run by run)`,
        figure: r,
        reference: { what: 'node -e 0', figure: ms(nodeS!) },
        target: { text: `≤ ${RATIO_LIMIT.toFixed(2)}×`, verdict: atMost(r.value.median, RATIO_LIMIT, (v) => formatValue(v, 'ratio'), (v) => v.toFixed(2)) },
      });
    }
    return {
      rows,
      notes: [`${runs} runs each (${RUNS_FACTOR}× the asked runs: start-ups are short), the three commands in rotating order; the one config is the first of the generated fleet.`],
    };
  },
};
