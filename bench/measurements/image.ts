/**
 * 3. Image gate: `ctcr lint --image` of a rootfs tarball of at least 100 MiB
 * built from this machine's files, next to `tar -tzf` of the same file:
 * reading the archive once is the floor.
 */
import { ensureRootfsTarball } from '../generate/rootfs-tarball.js';
import { runCommand, type Command } from '../harness/spawn.js';
import { atMost } from '../harness/stats.js';
import { commandTrial, interleave } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import type { Measurement } from '../harness/types.js';
import { ms, peakMiB, ratio } from './common.js';

export const IMAGE_MIB = 100;
const RATIO_LIMIT = 1.2;

export const imageGate: Measurement = {
  id: 'image',
  title: 'Image gate',
  target: `≤ ${RATIO_LIMIT}× \`tar -tzf\` of the same ≥ ${IMAGE_MIB} MiB tarball`,
  async run(ctx) {
    const tarball = ensureRootfsTarball(IMAGE_MIB, ctx.log);
    ctx.log(`  tarball ${tarball.file}: ${(tarball.bytes / 2 ** 20).toFixed(0)} MiB, ${tarball.members} members${tarball.built ? `, built in ${formatValue(tarball.buildMs ?? 0, 'ms')}` : ' (cached)'}`);

    const check = await runCommand({ label: 'ctcr lint --image -f json (check)', argv: [...ctx.ctcr, 'lint', '--image', tarball.file, '-f', 'json'], cwd: ctx.tmp, okCodes: [0, 1] }, { captureStdout: true });
    const report = JSON.parse(check.stdout) as { results: Array<{ notes?: string[]; findings: unknown[] }> };
    if (report.results.length !== 1) throw new Error(`ctcr lint --image reported ${report.results.length} results, not 1`);

    const tar: Command = { label: 'tar -tzf', argv: ['tar', '-tzf', tarball.file], cwd: ctx.tmp, memory: true };
    const ctcr: Command = { label: 'ctcr lint --image', argv: [...ctx.ctcr, 'lint', '--image', tarball.file], cwd: ctx.tmp, okCodes: [0, 1], memory: true };
    const [ctcrS, tarS] = await interleave([commandTrial(ctcr), commandTrial(tar)], {
      runs: ctx.runs,
      warmup: ctx.warmup,
      progress: (l, i, s) => ctx.log(`  ${l} run ${i + 1}: ${formatValue(s.ms, 'ms')}`),
    });
    const r = ratio(ctcrS!, tarS!);
    const ctcrMem = peakMiB(ctcrS!);
    const tarMem = peakMiB(tarS!);
    return {
      rows: [
        { what: 'ctcr lint --image: wall', figure: ms(ctcrS!) },
        {
          what: 'ctcr lint --image ÷ tar -tzf (run by run)',
          figure: r,
          reference: { what: 'tar -tzf', figure: ms(tarS!) },
          target: { text: `≤ ${RATIO_LIMIT.toFixed(2)}×`, verdict: atMost(r.value.median, RATIO_LIMIT, (v) => formatValue(v, 'ratio'), (v) => v.toFixed(2)) },
        },
        ...(ctcrMem ? [{ what: 'ctcr lint --image: peak resident memory', figure: ctcrMem, ...(tarMem ? { reference: { what: 'tar -tzf (largest of tar and its gzip)', figure: tarMem } } : {}) }] : []),
      ],
      notes: [
        `Tarball: ${(tarball.bytes / 2 ** 20).toFixed(1)} MiB gzip, ${tarball.members.toLocaleString('en-US')} members, made by \`tar -czf\` from this machine's ${tarball.sources.length} paths (${tarball.sources.slice(0, 6).join(', ')}${tarball.sources.length > 6 ? ', …' : ''}) plus the rootfs skeleton; cached in ${tarball.file}.`,
        `\`tar -tzf\` runs gzip as a second process, so it decompresses and lists on two cores; ctcr decompresses with zlib on a worker thread while the main thread indexes.`,
        `The check run (\`-f json\`) saw ${report.results[0]!.findings.length} findings; notes: ${(report.results[0]!.notes ?? []).join('; ') || 'none'}.`,
      ],
    };
  },
};
