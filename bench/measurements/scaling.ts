/**
 * 6. Cost against input size: `ctcr lint` of a config whose fstab has N and
 * 4N lines (a finding on each), and `ctcr explain` of a log line with a run
 * of N and 4N digits. Linear cost makes the 4N run about 4× the N run (less,
 * with start-up in both); quadratic cost made it 16× (40,000 fstab lines
 * took 56 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { atMost } from '../harness/stats.js';
import { commandTrial, interleave } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import type { Measurement, Row } from '../harness/types.js';
import { ms, ratio } from './common.js';

/** 4× the input may cost at most this many times as much. */
const GROWTH_LIMIT = 6;
const FSTAB_LINES = 10_000;
const DIGITS = 20_000;

function fstabConfig(dir: string, lines: number): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'fstab'), Array.from({ length: lines }, (_, i) => `/dev/sd${i} mnt/d${i} ext4 defaults 0 0\n`).join(''));
  writeFileSync(path.join(dir, 'config'), 'lxc.uts.name = big\nlxc.mount.fstab = fstab\n');
  return path.join(dir, 'config');
}

function digitLog(file: string, digits: number): string {
  writeFileSync(file, `(00.000100) Error (criu/cr-dump.c:1234): ${'7'.repeat(digits)}\n`);
  return file;
}

export const scaling: Measurement = {
  id: 'scaling',
  title: 'Cost against input size',
  target: `4× the input costs ≤ ${GROWTH_LIMIT}× the time (linear, start-up included)`,
  async run(ctx) {
    const cases = [
      {
        what: 'ctcr lint, fstab',
        unit: 'lines',
        n: FSTAB_LINES,
        make: (n: number) => ['lint', fstabConfig(path.join(ctx.tmp, `fstab-${n}`), n)],
      },
      {
        what: 'ctcr explain, one log line of digits',
        unit: 'digits',
        n: DIGITS,
        make: (n: number) => ['explain', digitLog(path.join(ctx.tmp, `digits-${n}.log`), n)],
      },
    ];
    const rows: Row[] = [];
    for (const c of cases) {
      const [small, big] = [c.n, 4 * c.n].map((n) => ({ label: `${c.what} ${n}`, argv: [...ctx.ctcr, ...c.make(n)], cwd: ctx.tmp, okCodes: [0, 1] }));
      const [smallS, bigS] = await interleave([small!, big!].map(commandTrial), { runs: ctx.runs, warmup: ctx.warmup });
      const r = ratio(bigS!, smallS!);
      rows.push({ what: `${c.what}, ${(4 * c.n).toLocaleString('en')} ${c.unit}: wall`, figure: ms(bigS!) });
      rows.push({
        what: `${c.what}: ${(4 * c.n).toLocaleString('en')} ÷ ${c.n.toLocaleString('en')} ${c.unit} (run by run)`,
        figure: r,
        reference: { what: `${c.n.toLocaleString('en')} ${c.unit}`, figure: ms(smallS!) },
        target: { text: `≤ ${GROWTH_LIMIT.toFixed(2)}×`, verdict: atMost(r.value.median, GROWTH_LIMIT, (v) => formatValue(v, 'ratio'), (v) => v.toFixed(2)) },
      });
    }
    return { rows, notes: [`fstab lines are ext4 mounts (one unsupported-filesystem finding each); the log line is one error line of ${DIGITS.toLocaleString('en')} and ${(4 * DIGITS).toLocaleString('en')} digits.`] };
  },
};
