/** What the measurements share: running ctcr, turning samples into rows. */
import { spawnSync } from 'node:child_process';
import type { Sample } from '../harness/spawn.js';
import { pairedDifferences, pairedRatios, summarize, type Summary } from '../harness/stats.js';
import type { BenchContext, Figure } from '../harness/types.js';

export const KiB_PER_MiB = 1024;

export function ms(samples: readonly Sample[]): Figure {
  return { value: summarize(samples.map((s) => s.ms)), unit: 'ms' };
}

export function ratio(measured: readonly Sample[], reference: readonly Sample[]): Figure {
  return { value: summarize(pairedRatios(measured.map((s) => s.ms), reference.map((s) => s.ms))), unit: 'ratio' };
}

export function difference(measured: readonly number[], reference: readonly number[]): Figure {
  return { value: summarize(pairedDifferences(measured, reference)), unit: 'ms' };
}

/** Peak resident memory in MiB, or undefined when it was not measured. */
export function peakMiB(samples: readonly Sample[]): Figure | undefined {
  const v = samples.map((s) => s.peakRssKiB);
  if (v.some((x) => x === undefined)) return undefined;
  return { value: summarize(v.map((x) => x! / KiB_PER_MiB)), unit: 'MiB' };
}

export function peakHow(samples: readonly Sample[]): string {
  return samples.some((s) => s.peakHow === 'sampled') ? 'sampled from VmHWM every 5 ms (a lower bound)' : "the kernel's ru_maxrss, via GNU time";
}

/** `count / seconds` for each run. */
export function rate(samples: readonly Sample[], count: number, of: string): Figure {
  return { value: summarize(samples.map((s) => count / (s.ms / 1000))), unit: 'per-second', of };
}

export function scale(s: Summary, k: number): Summary {
  return { median: s.median * k, min: s.min * k, max: s.max * k, n: s.n };
}

/**
 * The help text of a ctcr subcommand, or why there is none. yargs answers
 * `ctcr NOSUCH --help` with the general help and exit 0, so the test is the
 * usage line: a command's own help starts with `ctcr COMMAND`.
 */
export function subcommandHelp(ctx: BenchContext, sub: string): { ok: true; text: string } | { ok: false; why: string } {
  const r = spawnSync(ctx.ctcr[0]!, [...ctx.ctcr.slice(1), sub, '--help'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  const usage = (r.stdout ?? '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  if (r.status === 0 && usage.startsWith(`ctcr ${sub}`)) return { ok: true, text: r.stdout };
  return { ok: false, why: `\`ctcr ${sub}\` is not a command yet (its --help shows ${usage ? `"${usage}"` : `nothing, exit ${r.status}`})` };
}

/** The first of `candidates` (e.g. '--lxcpath', '-P') that a help text lists as an option. */
export function optionIn(help: string, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => new RegExp(`(^|[\\s,\\[])${c.replace(/[-]/g, '\\-')}(?=[\\s,=\\]]|$)`, 'm').test(help));
}
