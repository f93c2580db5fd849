/**
 * 1. Lint throughput: one `ctcr lint` over 1,000 generated container configs
 * passed as arguments, the whole process (start-up, reading, rules, report).
 */
import path from 'node:path';
import { generateFleet } from '../generate/configs.js';
import { runCommand, type Command } from '../harness/spawn.js';
import { atMost } from '../harness/stats.js';
import { interleave, commandTrial } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import type { Measurement } from '../harness/types.js';
import { ms, peakHow, peakMiB, rate } from './common.js';

export const FLEET_SIZE = 1000;
const WALL_LIMIT_MS = 1500;
const MEMORY_LIMIT_MIB = 200;

export const lintThroughput: Measurement = {
  id: 'lint',
  title: 'Lint throughput',
  target: `≤ ${WALL_LIMIT_MS / 1000} s wall and ≤ ${MEMORY_LIMIT_MIB} MiB peak for ${FLEET_SIZE.toLocaleString('en-US')} configs`,
  async run(ctx) {
    const fleet = await generateFleet(path.join(ctx.tmp, 'fleet'), FLEET_SIZE);
    const configs = fleet.containers.map((c) => c.config);
    const legacy = fleet.containers.filter((c) => c.generation === 'legacy').length;
    const lines = fleet.containers.map((c) => c.configLines);

    // Once with JSON output, untimed: proves every config was linted (and none failed to read), so the timed runs measure real work.
    const check = await runCommand({ label: 'ctcr lint -f json (check)', argv: [...ctx.ctcr, 'lint', '-f', 'json', ...configs], cwd: ctx.tmp, okCodes: [0, 1] }, { captureStdout: true });
    const report = JSON.parse(check.stdout) as { results: Array<{ findings: unknown[] }> };
    if (report.results.length !== FLEET_SIZE) throw new Error(`ctcr lint reported ${report.results.length} results for ${FLEET_SIZE} configs`);
    const findings = report.results.reduce((n, r) => n + r.findings.length, 0);

    const cmd: Command = { label: `ctcr lint ×${FLEET_SIZE}`, argv: [...ctx.ctcr, 'lint', ...configs], cwd: ctx.tmp, okCodes: [0, 1], memory: true };
    const [samples] = await interleave([commandTrial(cmd)], { runs: ctx.runs, warmup: ctx.warmup, progress: (l, i, s) => ctx.log(`  ${l} run ${i + 1}: ${formatValue(s.ms, 'ms')}`) });
    const wall = ms(samples!);
    const memory = peakMiB(samples!);
    return {
      rows: [
        {
          what: `ctcr lint of ${FLEET_SIZE.toLocaleString('en-US')} configs: wall`,
          figure: wall,
          target: { text: `≤ ${formatValue(WALL_LIMIT_MS, 'ms')}`, verdict: atMost(wall.value.median, WALL_LIMIT_MS, (v) => formatValue(v, 'ms')) },
        },
        ...(memory
          ? [{
              what: 'same runs: peak resident memory',
              figure: memory,
              target: { text: `≤ ${MEMORY_LIMIT_MIB} MiB`, verdict: atMost(memory.value.median, MEMORY_LIMIT_MIB, (v) => formatValue(v, 'MiB')) },
            }]
          : []),
        { what: 'same runs: throughput', figure: rate(samples!, FLEET_SIZE, 'configs') },
      ],
      notes: [
        `${FLEET_SIZE} configs generated with a fixed seed (${legacy} with LXC 2.x legacy keys, ${FLEET_SIZE - legacy} with LXC 3+ keys), ${Math.min(...lines)}–${Math.max(...lines)} lines each, each with an fstab, an include of a shared common file and an include of its own; ${fleet.files} files, ${Math.round(fleet.bytes / 1024)} KiB in all; passed as ${FLEET_SIZE} arguments to one \`ctcr lint\` (stylish output to /dev/null).`,
        `The check run (\`-f json\`) saw ${report.results.length} results with ${findings} findings, exit ${check.code}.`,
        `Peak memory: ${peakHow(samples!)}.`,
      ],
    };
  },
};
