/**
 * 4. Doctor: `ctcr doctor NAME` on one running lab container, next to
 * `criu check` alone (the one check no doctor can skip), interleaved.
 */
import { atMost } from '../harness/stats.js';
import { commandTrial, interleave } from '../harness/trials.js';
import { formatValue } from '../harness/report.js';
import { Skip, type Measurement } from '../harness/types.js';
import { difference, ms, optionIn, subcommandHelp } from './common.js';

const MARGIN_MS = 250;

export const doctor: Measurement = {
  id: 'doctor',
  title: 'Doctor',
  target: `≤ \`criu check\` + ${MARGIN_MS / 1000} s`,
  async run(ctx) {
    const help = subcommandHelp(ctx, 'doctor');
    if (!help.ok) throw new Skip(help.why);
    const lxcpathOption = optionIn(help.text, ['--lxcpath', '-P']);
    if (!lxcpathOption) throw new Skip('`ctcr doctor --help` lists no --lxcpath/-P option: the lab\'s containers live outside /var/lib/lxc');
    const lab = await ctx.lab();
    const c = await lab.stockContainer();
    const doctorCmd = { label: `ctcr doctor ${c.name}`, argv: [...ctx.ctcr, 'doctor', c.name, lxcpathOption, c.lxcpath], cwd: ctx.tmp, okCodes: [0, 1] };
    const criuCheck = { label: 'criu check', argv: ['criu', 'check'], cwd: ctx.tmp };
    const [doctorS, criuS] = await interleave([commandTrial(doctorCmd), commandTrial(criuCheck)], {
      runs: ctx.runs,
      warmup: ctx.warmup,
      progress: (l, i, s) => ctx.log(`  ${l} run ${i + 1}: ${formatValue(s.ms, 'ms')}`),
    });
    const extra = difference(doctorS!.map((s) => s.ms), criuS!.map((s) => s.ms));
    return {
      rows: [
        { what: 'ctcr doctor NAME: wall', figure: ms(doctorS!) },
        {
          what: 'ctcr doctor − criu check (run by run)',
          figure: extra,
          reference: { what: 'criu check', figure: ms(criuS!) },
          target: { text: `≤ + ${formatValue(MARGIN_MS, 'ms')}`, verdict: atMost(extra.value.median, MARGIN_MS, (v) => formatValue(v, 'ms')) },
        },
      ],
      notes: [`Doctor of lab container ${c.name} (LXC's stock busybox config, running), criu ${lab.info.criu.version} at ${lab.info.criuOnPath}.`],
    };
  },
};
