#!/usr/bin/env node
/**
 * `npm run bench [-- --only ID[,ID]] [--runs N] [--quick]`
 *
 * Measures ctcr next to what people run instead, on this machine, and prints
 * the table. A full run (every measurement, at least 5 runs) also rewrites
 * the generated part of BENCHMARKS.md; any run writes bench/out/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './harness/machine.js';
import { openLab } from './harness/lab.js';
import { generatedSection, terminalTable, writeBenchmarksMd, type Outcome } from './harness/report.js';
import { GNU_TIME } from './harness/spawn.js';
import { Skip, type BenchContext, type Measurement } from './harness/types.js';
import { MEASUREMENTS } from './measurements/index.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const USAGE = `usage: npm run bench -- [--only ID[,ID...]] [--runs N] [--quick]
  --only   run only these measurements: ${MEASUREMENTS.map((m) => m.id).join(', ')}
  --runs   timed runs per command after the warm-up (default 7; BENCHMARKS.md wants at least 5)
  --quick  3 runs after 1 warm-up: a smoke run, never written to BENCHMARKS.md`;

export const DEFAULT_RUNS = 7;
export const MIN_RUNS_FOR_RESULT = 5;

export interface BenchArgs {
  only?: string[];
  runs: number;
  warmup: number;
  quick: boolean;
  help: boolean;
}

export function parseBenchArgs(argv: readonly string[], known: readonly string[]): BenchArgs {
  const args: BenchArgs = { runs: DEFAULT_RUNS, warmup: 1, quick: false, help: false };
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--only') {
      const ids = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = ids.filter((id) => !known.includes(id));
      if (unknown.length) throw new Error(`--only: no measurement named ${unknown.join(', ')} (there are ${known.join(', ')})`);
      args.only = [...(args.only ?? []), ...ids];
    } else if (flag === '--runs') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`--runs wants a whole number ≥ 1\n${USAGE}`);
      args.runs = n;
      runsGiven = true;
    } else if (flag === '--quick') args.quick = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (args.quick && !runsGiven) args.runs = 3;
  return args;
}

/** GNU time reads the kernel's peak-memory figure for a child; install it when we may (root with apt), as the lab installs its tools. */
function ensureGnuTime(log: (m: string) => void): void {
  if (existsSync(GNU_TIME) || process.geteuid?.() !== 0) return;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (apt.status !== 0) return;
  log('installing GNU time (apt-get install time) for peak-memory figures');
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'time'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) log(`could not install GNU time (${(r.stderr || '').trim().split('\n').at(-1)}): peak memory will be sampled from /proc`);
}

async function runOne(m: Measurement, ctx: BenchContext): Promise<Outcome> {
  const t0 = performance.now();
  ctx.log(`${m.title} (${m.id})`);
  try {
    const result = await m.run(ctx);
    return { measurement: m, result, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    const seconds = (performance.now() - t0) / 1000;
    if (e instanceof Skip) {
      ctx.log(`  skipped: ${e.message}`);
      return { measurement: m, skipped: e.message, seconds };
    }
    const message = (e as Error).message ?? String(e);
    ctx.log(`  FAILED: ${message}${process.env.CTCR_DEBUG ? `\n${(e as Error).stack}` : ''}`);
    return { measurement: m, failed: message.split('\n')[0]!, seconds };
  }
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), MEASUREMENTS.map((m) => m.id));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const started = new Date();
  const t0 = performance.now();
  const cleanups: Array<() => Promise<void> | void> = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ctcr-bench-'));
  const ctx: BenchContext = {
    runs: args.runs,
    warmup: args.warmup,
    quick: args.quick,
    repo: REPO,
    ctcr: [process.execPath, path.join(REPO, 'dist/src/cli.js')],
    tmp,
    log,
    onCleanup: (fn) => cleanups.push(fn),
    lab: () => openLab(log, (fn) => cleanups.push(fn)),
  };
  // Ctrl-C mid-run still removes the bench's containers and temp files.
  process.once('SIGINT', () => {
    log('interrupted: cleaning up');
    void (async () => {
      for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    })();
  });
  ensureGnuTime(log);
  const machine = describeMachine();
  const chosen = args.only ? MEASUREMENTS.filter((m) => args.only!.includes(m.id)) : MEASUREMENTS;
  const outcomes: Outcome[] = [];
  try {
    for (const m of chosen) outcomes.push(await runOne(m, ctx));
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        log(`cleanup: ${(e as Error).message}`);
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  }

  const full = !args.only && !args.quick && args.runs >= MIN_RUNS_FOR_RESULT;
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const info = { date: started, runs: args.runs, warmup: args.warmup, machine, command, seconds: (performance.now() - t0) / 1000, loadAtEnd: Math.round(os.loadavg()[0]! * 100) / 100 };
  console.log(`\nctcr benchmarks, ${args.runs} runs after ${args.warmup} warm-up\n`);
  console.log(terminalTable(outcomes));
  const section = generatedSection(info, outcomes);
  const outDir = path.join(REPO, 'bench/out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ ...info, outcomes: outcomes.map((o) => ({ ...o, measurement: o.measurement.id })) }, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'table.md'), section + '\n');
  if (full) {
    writeBenchmarksMd(path.join(REPO, 'BENCHMARKS.md'), section);
    console.log(`\nwritten: BENCHMARKS.md, bench/out/results.json`);
  } else {
    console.log(`\nwritten: bench/out/table.md, bench/out/results.json (BENCHMARKS.md is rewritten only by a full run: no --only, no --quick, --runs ≥ ${MIN_RUNS_FOR_RESULT})`);
  }
  return outcomes.some((o) => o.failed !== undefined) ? 1 : 0;
}

// Run only as the entry point, so the tests can import parseBenchArgs.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exit(2);
    },
  );
}
