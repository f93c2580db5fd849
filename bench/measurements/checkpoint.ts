/**
 * 5. Checkpoint: `ctcr checkpoint` + `ctcr restore` of a lab container, next
 * to a raw `lxc-checkpoint` dump + restore of the same container in the same
 * run, and the time CRIU reports the container frozen for each.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LAB_TMP, lxcTool, refreshInitPid, type LabContainer } from '../../lab/index.js';
import { parseStatsImage } from '../../src/criu/stats.js';
import { runCommand, type Command, type Sample } from '../harness/spawn.js';
import { atMost, summarize } from '../harness/stats.js';
import { interleave, type Trial } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import { Skip, type BenchContext, type Measurement } from '../harness/types.js';
import { difference, ms, optionIn, ratio, subcommandHelp } from './common.js';

const RATIO_LIMIT = 1.5;
/** "The same frozen time": ctcr's may exceed raw's by at most this share of it, or this many ms, whichever is larger (CRIU's own jitter). */
const FROZEN_TOLERANCE = { share: 0.1, ms: 5 };

interface CycleSample extends Sample {
  dumpMs: number;
  restoreMs: number;
  frozenMs: number;
  freezingMs: number;
}

/** The images directory's stats-dump, at its top or one folder down (a tool may keep images in a subfolder). */
function frozenOf(dir: string): { frozenMs: number; freezingMs: number } {
  const candidates = [dir, ...readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name))];
  for (const d of candidates) {
    try {
      const s = parseStatsImage(readFileSync(path.join(d, 'stats-dump'))).dump;
      if (!s) throw new Error(`${d}/stats-dump holds no dump statistics`);
      return { frozenMs: s.frozenTimeUs / 1000, freezingMs: s.freezingTimeUs / 1000 };
    } catch {
      /* not here */
    }
  }
  throw new Error(`no readable stats-dump in ${dir}`);
}

/** One dump + restore, timed as a whole; the container is RUNNING again afterwards (waited for outside the timing). */
function cycle(label: string, c: LabContainer, dump: (dir: string) => Command, restore: (dir: string) => Command): Trial<CycleSample> {
  return {
    label,
    async run() {
      mkdirSync(LAB_TMP, { recursive: true });
      const dir = mkdtempSync(path.join(LAB_TMP, 'bench-'));
      try {
        const d = await runCommand(dump(dir));
        const r = await runCommand(restore(dir));
        const frozen = frozenOf(dir);
        const w = await lxcTool(c, 'lxc-wait', ['-s', 'RUNNING', '-t', '30'], 40_000);
        if (!w.ok) throw new Error(`${label}: ${c.name} not RUNNING after restore`);
        await refreshInitPid(c);
        return { ms: d.ms + r.ms, code: 0, dumpMs: d.ms, restoreMs: r.ms, ...frozen };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** How to call ctcr checkpoint/restore, read from their help: lxcpath, images folder, stop after dump. */
function ctcrArgs(ctx: BenchContext): { dump: (c: LabContainer, dir: string) => string[]; restore: (c: LabContainer, dir: string) => string[] } {
  const ck = subcommandHelp(ctx, 'checkpoint');
  if (!ck.ok) throw new Skip(ck.why);
  const rs = subcommandHelp(ctx, 'restore');
  if (!rs.ok) throw new Skip(rs.why);
  const dirOpts = ['--dir', '-D', '--images-dir', '--checkpoint-dir', '--directory'];
  const pathOpts = ['--lxcpath', '-P'];
  const ckDir = optionIn(ck.text, dirOpts);
  const ckPath = optionIn(ck.text, pathOpts);
  const rsDir = optionIn(rs.text, dirOpts);
  const rsPath = optionIn(rs.text, pathOpts);
  if (!ckDir || !ckPath || !rsDir || !rsPath) {
    throw new Skip(`\`ctcr checkpoint/restore --help\` lack an images-folder option (${dirOpts.join(', ')}) or an lxcpath option (${pathOpts.join(', ')})`);
  }
  const stop = optionIn(ck.text, ['--stop', '-s']);
  return {
    dump: (c, dir) => [...ctx.ctcr, 'checkpoint', c.name, ckPath, c.lxcpath, ckDir, dir, ...(stop ? [stop] : [])],
    restore: (c, dir) => [...ctx.ctcr, 'restore', c.name, rsPath, c.lxcpath, rsDir, dir],
  };
}

export const checkpoint: Measurement = {
  id: 'checkpoint',
  title: 'Checkpoint + restore',
  target: `total ≤ ${RATIO_LIMIT}× raw lxc-checkpoint; frozen time the same`,
  async run(ctx) {
    const args = ctcrArgs(ctx);
    const lab = await ctx.lab();
    const c = await lab.checkpointableContainer();
    const lxc = (extra: string[]): string[] => ['lxc-checkpoint', '-P', c.lxcpath, '-n', c.name, ...extra];
    const raw = cycle('lxc-checkpoint dump + restore', c, (dir) => ({ label: 'lxc-checkpoint -s', argv: lxc(['-s', '-D', dir]) }), (dir) => ({ label: 'lxc-checkpoint -r', argv: lxc(['-r', '-D', dir]) }));
    const ours = cycle(
      'ctcr checkpoint + restore',
      c,
      (dir) => ({ label: 'ctcr checkpoint', argv: args.dump(c, dir) }),
      (dir) => ({ label: 'ctcr restore', argv: args.restore(c, dir) }),
    );
    const [oursS, rawS] = await interleave([ours, raw], {
      runs: ctx.runs,
      warmup: ctx.warmup,
      progress: (l, i, s) => ctx.log(`  ${l} run ${i + 1}: ${formatValue(s.ms, 'ms')}`),
    });
    const r = ratio(oursS!, rawS!);
    const frozenOurs = oursS!.map((s) => s.frozenMs);
    const frozenRaw = rawS!.map((s) => s.frozenMs);
    const extraFrozen = difference(frozenOurs, frozenRaw);
    const rawFrozenMedian = summarize(frozenRaw).median;
    const tolerance = Math.max(FROZEN_TOLERANCE.ms, rawFrozenMedian * FROZEN_TOLERANCE.share);
    const phase = (xs: CycleSample[], k: 'dumpMs' | 'restoreMs') => formatValue(summarize(xs.map((x) => x[k])).median, 'ms');
    return {
      rows: [
        { what: 'ctcr checkpoint + restore: wall', figure: ms(oursS!) },
        {
          what: 'ctcr ÷ raw lxc-checkpoint, dump + restore (run by run)',
          figure: r,
          reference: { what: 'lxc-checkpoint -s, then -r', figure: ms(rawS!) },
          target: { text: `≤ ${RATIO_LIMIT.toFixed(2)}×`, verdict: atMost(r.value.median, RATIO_LIMIT, (v) => formatValue(v, 'ratio'), (v) => v.toFixed(2)) },
        },
        { what: 'frozen time CRIU reports, ctcr', figure: { value: summarize(frozenOurs), unit: 'ms' }, reference: { what: 'raw', figure: { value: summarize(frozenRaw), unit: 'ms' } } },
        {
          what: 'frozen time, ctcr − raw (run by run)',
          figure: extraFrozen,
          target: { text: `the same: ≤ + ${formatValue(tolerance, 'ms')}`, verdict: atMost(extraFrozen.value.median, tolerance, (v) => formatValue(v, 'ms')) },
        },
      ],
      notes: [
        `Container ${c.name}: LXC's busybox template, its config changed as the field notes found a raw dump and restore need (no ttys or console, no AppArmor keys, bind mounts from /lib made to name /usr/lib); both tools run on this same container, alternately.`,
        `Phases (medians): ctcr checkpoint ${phase(oursS!, 'dumpMs')}, ctcr restore ${phase(oursS!, 'restoreMs')}; lxc-checkpoint -s ${phase(rawS!, 'dumpMs')}, -r ${phase(rawS!, 'restoreMs')}.`,
        `Frozen time is CRIU's own \`frozen_time\` from the images folder's stats-dump; "the same" allows ${FROZEN_TOLERANCE.share * 100}% of raw's or ${FROZEN_TOLERANCE.ms} ms, whichever is larger.`,
      ],
    };
  },
};
