/**
 * 4b. Doctor on a busy container: `ctcr doctor NAME` on a lab container with
 * 100 extra processes (lxc-attach'ed sleeps holding a few descriptors each:
 * what the process gatherer reads of every task), next to `criu check`,
 * interleaved. With CTCR_BENCH_BASELINE=/path/to/other/dist/src/cli.js the
 * same container is also doctored by that build (before/after a change).
 */
import { atMost } from '../harness/stats.js';
import { commandTrial, interleave } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import { Skip, type Measurement } from '../harness/types.js';
import { difference, ms, optionIn, subcommandHelp } from './common.js';

const MARGIN_MS = 250;
export const BUSY_PROCESSES = 100;

export const doctorBusy: Measurement = {
  id: 'doctor-busy',
  title: `Doctor, ${BUSY_PROCESSES} processes`,
  target: `≤ \`criu check\` + ${MARGIN_MS / 1000} s`,
  async run(ctx) {
    const help = subcommandHelp(ctx, 'doctor');
    if (!help.ok) throw new Skip(help.why);
    const lxcpathOption = optionIn(help.text, ['--lxcpath', '-P']);
    if (!lxcpathOption) throw new Skip('`ctcr doctor --help` lists no --lxcpath/-P option');
    const lab = await ctx.lab();
    const c = await lab.busyContainer(BUSY_PROCESSES);
    const args = ['doctor', c.name, lxcpathOption, c.lxcpath];
    const trials = [
      commandTrial({ label: `ctcr doctor ${c.name}`, argv: [...ctx.ctcr, ...args], cwd: ctx.tmp, okCodes: [0, 1] }),
      commandTrial({ label: 'criu check', argv: ['criu', 'check'], cwd: ctx.tmp }),
    ];
    const baseline = process.env.CTCR_BENCH_BASELINE;
    if (baseline) trials.push(commandTrial({ label: `baseline ctcr doctor ${c.name}`, argv: [process.execPath, baseline, ...args], cwd: ctx.tmp, okCodes: [0, 1] }));
    const [doctorS, criuS, baseS] = await interleave(trials, {
      runs: ctx.runs,
      warmup: ctx.warmup,
      progress: (l, i, s) => ctx.log(`  ${l} run ${i + 1}: ${formatValue(s.ms, 'ms')}`),
    });
    const extra = difference(doctorS!.map((s) => s.ms), criuS!.map((s) => s.ms));
    const rows = [
      { what: `ctcr doctor NAME (${BUSY_PROCESSES} more processes): wall`, figure: ms(doctorS!) },
      {
        what: `ctcr doctor − criu check (${BUSY_PROCESSES} more processes, run by run)`,
        figure: extra,
        reference: { what: 'criu check', figure: ms(criuS!) },
        target: { text: `≤ + ${formatValue(MARGIN_MS, 'ms')}`, verdict: atMost(extra.value.median, MARGIN_MS, (v) => formatValue(v, 'ms')) },
      },
    ];
    if (baseS) rows.push({ what: `ctcr doctor − baseline build (${baseline})`, figure: difference(doctorS!.map((s) => s.ms), baseS.map((s) => s.ms)) } as (typeof rows)[number]);
    return {
      rows,
      notes: [`Doctor of lab container ${c.name} (stock busybox config) with ${BUSY_PROCESSES} sleeps started by lxc-attach, each holding /etc/passwd, a deleted file and /dev/zero; criu ${lab.info.criu.version}.`],
    };
  },
};
