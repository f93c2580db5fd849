/**
 * 7. `ctcr fix` of a big config: N and 4N changed lines (legacy
 * lxc.id_map renamed to lxc.idmap on every line), a real run (each from a
 * fresh copy of the input) and a dry run (which prints the diff). The
 * diff's trace used to grow with the square of the changed lines (10k: 3.2
 * GB; 20k: out of memory); now the 4N run should cost about 4× the N run,
 * and memory stays near that of a lint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { atMost } from '../harness/stats.js';
import { interleave, type Trial } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import { runCommand } from '../harness/spawn.js';
import type { Measurement, Row } from '../harness/types.js';
import { ms, peakMiB, ratio } from './common.js';

/** 4× the input may cost at most this many times as much. */
const GROWTH_LIMIT = 6;
const CHANGED = 5_000;

function configText(lines: number): string {
  let text = 'lxc.uts.name = big\nlxc.console.path = none\nlxc.tty.max = 0\n';
  for (let i = 0; i < lines; i++) text += `lxc.id_map = u ${i} ${100_000 + i} 1\n`;
  return text;
}

export const fixSize: Measurement = {
  id: 'fix-size',
  title: 'ctcr fix of a big config',
  target: `4× the changed lines cost ≤ ${GROWTH_LIMIT}× the time (linear, start-up included)`,
  async run(ctx) {
    const rows: Row[] = [];
    for (const dry of [false, true]) {
      const trials = [CHANGED, 4 * CHANGED].map((n): Trial => {
        const dir = path.join(ctx.tmp, `fix-${dry ? 'dry' : 'real'}-${n}`);
        mkdirSync(dir, { recursive: true });
        const config = path.join(dir, 'config');
        const text = configText(n);
        return {
          label: `ctcr fix${dry ? ' --dry-run' : ''} ${n}`,
          // A fresh input each time (a real run fixes it); writing it is not timed.
          run: () => {
            writeFileSync(config, text);
            return runCommand({
              label: `ctcr fix ${n}`,
              argv: [...ctx.ctcr, 'fix', config, ...(dry ? ['--dry-run'] : [])],
              cwd: dir,
              env: { ...process.env, CTCR_STATE_DIR: path.join(dir, 'state') },
              memory: true,
            });
          },
        };
      });
      const [smallS, bigS] = await interleave(trials, { runs: ctx.runs, warmup: ctx.warmup });
      const what = `ctcr fix${dry ? ' --dry-run (diff on stdout)' : ''}`;
      const r = ratio(bigS!, smallS!);
      rows.push({ what: `${what}, ${(4 * CHANGED).toLocaleString('en')} changed lines: wall`, figure: ms(bigS!) });
      const memory = peakMiB(bigS!);
      if (memory) rows.push({ what: `same runs: peak resident memory`, figure: memory });
      rows.push({
        what: `${what}: ${(4 * CHANGED).toLocaleString('en')} ÷ ${CHANGED.toLocaleString('en')} changed lines (run by run)`,
        figure: r,
        reference: { what: `${CHANGED.toLocaleString('en')} lines`, figure: ms(smallS!) },
        target: { text: `≤ ${GROWTH_LIMIT.toFixed(2)}×`, verdict: atMost(r.value.median, GROWTH_LIMIT, (v) => formatValue(v, 'ratio'), (v) => v.toFixed(2)) },
      });
    }
    return {
      rows,
      notes: [`Configs of ${CHANGED.toLocaleString('en')} and ${(4 * CHANGED).toLocaleString('en')} lxc.id_map lines (one legacy-key fix each), rewritten before every run; the real runs keep their backups and journal in the run's temporary folder.`],
    };
  },
};
