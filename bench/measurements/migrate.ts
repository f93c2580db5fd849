/**
 * 8. Migration downtime: `ctcr migrate` of a lab container holding 256 MiB of
 * memory (a dd blocked on a pipe keeps its 256 MiB buffer) that dirties a
 * little of it (a counter), between the lab's lxcpath and the target lxcpath
 * over the loopback sshd (lab/ssh-host.ts), back and forth. Downtime is
 * ctcr's own figure: from the freeze to RUNNING on the target. With
 * pre-dumps when CRIU can track dirty memory here (`--pre-dumps 5`), else
 * that row is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createContainer, destroyContainer, ensureSshHost, TARGET_LXCPATH, type LabContainer } from '../../lab/index.js';
import { checkpointableConfig } from '../harness/lab.js';
import { summarize } from '../harness/stats.js';
import { formatValue } from '../harness/report.js';
import { atMost } from '../harness/stats.js';
import { Skip, type BenchContext, type Measurement, type Row } from '../harness/types.js';

const HOLD_MIB = 256;
const MEMORY_HOLDER = `dd if=/dev/zero bs=${HOLD_MIB}M count=1 2>/dev/null | sleep 1000000 &`;
const COUNTER = "/bin/sh -c 'i=0; while :; do i=$((i+1)); echo $i > /counter; sleep 0.1; done' &";

interface MoveJson { result: { ok: boolean; downtimeMs?: number; frozenMs?: number; bytesSent: number; preDumpIterations: number; failure?: string } }

async function memoryContainer(ctx: BenchContext): Promise<LabContainer> {
  const name = `migrate-bench-${Date.now().toString(36)}`;
  const c = await createContainer({ name, start: false });
  ctx.onCleanup(async () => {
    await destroyContainer({ name, lxcpath: TARGET_LXCPATH }).catch(() => undefined);
    await destroyContainer(c).catch(() => undefined);
  });
  writeFileSync(c.configPath, checkpointableConfig(readFileSync(c.configPath, 'utf8')));
  const rcs = path.join(c.rootfs, 'etc/init.d/rcS');
  writeFileSync(rcs, readFileSync(rcs, 'utf8').replace('/bin/udhcpc', `${MEMORY_HOLDER}\n${COUNTER}\n/bin/udhcpc`));
  execFileSync('lxc-start', ['-n', name, '-P', c.lxcpath]);
  execFileSync('lxc-wait', ['-n', name, '-P', c.lxcpath, '-s', 'RUNNING', '-t', '30']);
  await new Promise((r) => setTimeout(r, 2000)); // dd fills its buffer
  return c;
}

export const migrate: Measurement = {
  id: 'migrate',
  title: 'Migration downtime (256 MiB container)',
  target: 'downtime with pre-dump well under half of the plain dump\'s',
  async run(ctx) {
    await ctx.lab();
    const ssh = await ensureSshHost({ log: (m) => ctx.log(`[ssh host] ${m}`) });
    const c = await memoryContainer(ctx);
    const sides = [c.lxcpath, TARGET_LXCPATH];
    let at = 0;
    const once = (preDumps: number): MoveJson['result'] => {
      const [from, to] = [sides[at % 2]!, sides[(at + 1) % 2]!];
      const out = execFileSync(ctx.ctcr[0]!, [...ctx.ctcr.slice(1), 'migrate', c.name, '-P', from, '--to', ssh.host, '--ssh-command', ssh.sshCommand,
        '--remote-ctcr', ctx.ctcr.join(' '), '--target-lxcpath', to, '--remove-source', '--pre-dumps', String(preDumps), '-f', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const r = (JSON.parse(out) as MoveJson).result;
      if (!r.ok) throw new Error(`migrate failed: ${r.failure}`);
      at++;
      return r;
    };
    const plain: MoveJson['result'][] = [];
    const pre: MoveJson['result'][] = [];
    let tracking: string | undefined;
    try {
      execFileSync('criu', ['check', '--feature', 'mem_dirty_track'], { stdio: 'ignore' });
    } catch {
      tracking = 'CRIU cannot track dirty memory on this kernel (criu check --feature mem_dirty_track fails: no soft-dirty bits), so pre-dumps cannot run here';
    }
    for (let i = 0; i < ctx.warmup + ctx.runs; i++) {
      const p = once(0);
      if (i >= ctx.warmup) plain.push(p);
      ctx.log(`  plain run ${i + 1}: downtime ${formatValue(p.downtimeMs ?? NaN, 'ms')}, frozen ${formatValue(p.frozenMs ?? NaN, 'ms')}`);
      if (!tracking) {
        const q = once(5);
        if (i >= ctx.warmup) pre.push(q);
        ctx.log(`  pre-dump run ${i + 1}: downtime ${formatValue(q.downtimeMs ?? NaN, 'ms')} after ${q.preDumpIterations} pre-dumps`);
      }
    }
    const figure = (xs: MoveJson['result'][], k: 'downtimeMs' | 'frozenMs') => ({ value: summarize(xs.map((x) => x[k] ?? NaN)), unit: 'ms' as const });
    const rows: Row[] = [
      { what: 'ctcr migrate, plain dump: downtime (freeze to running there)', figure: figure(plain, 'downtimeMs') },
      { what: 'ctcr migrate, plain dump: frozen time CRIU reports', figure: figure(plain, 'frozenMs') },
    ];
    if (!tracking) {
      const half = summarize(plain.map((x) => x.downtimeMs ?? NaN)).median / 2;
      const d = figure(pre, 'downtimeMs');
      rows.push({ what: 'ctcr migrate, with pre-dumps: downtime', figure: d, reference: { what: 'plain', figure: figure(plain, 'downtimeMs') }, target: { text: `< half the plain's (${formatValue(half, 'ms')})`, verdict: atMost(d.value.median, half, (v) => formatValue(v, 'ms')) } });
    }
    if (plain.length === 0) throw new Skip('no run');
    return {
      rows,
      notes: [
        `Container ${c.name}: busybox, checkpointable config, a dd holding a ${HOLD_MIB} MiB buffer and a counter writing a file every 0.1 s; moved between ${c.lxcpath} and ${TARGET_LXCPATH} over ssh to 127.0.0.1 (one machine: the copy costs no network), with --remove-source so it can move back.`,
        `Bytes sent per plain move (median): ${summarize(plain.map((x) => x.bytesSent)).median}.`,
        ...(tracking ? [`With pre-dumps: not measured. ${tracking}.`] : [`Pre-dump iterations (median): ${summarize(pre.map((x) => x.preDumpIterations)).median}.`]),
      ],
    };
  },
};
