/** The source's CPU image fails `criu cpuinfo check` on the target: restored tasks could use instructions that CPU lacks. */
import { defineRule } from '../src/rule.js';
import { known } from '../src/live/facts.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-cpu-incompatible',
  severity: 'error',
  summary: "The source's CPU image fails `criu cpuinfo check` on the migration target.",
  scope: 'target',
  messages: {
    notChecked: 'the CPU compatibility of the target could not be checked',
    incompatible: "the target's CPU fails criu cpuinfo check of the source's CPU image",
  },
  docs: {
    why:
      'A restored process goes on with the code paths it chose at start for the CPU it ran on (AVX-512, an xsave layout). CRIU 4.2 writes ' +
      'cpuinfo.img and compares it on restore only with --cpu-cap (or over RPC; criu/config.c, cr-dump.c, cr-restore.c: CPU_CAP_IMAGE), ' +
      'which neither lxc-checkpoint nor ctcr passes: on such a target the restore goes ahead and a task that uses an instruction the CPU ' +
      'lacks dies later of SIGILL, after the source was stopped. ctcr runs `criu cpuinfo dump` here and `criu cpuinfo check` of that image ' +
      'on the target, the comparison CRIU would make with --cpu-cap, before anything is frozen. On aarch64 and riscv CRIU cannot compare ' +
      'CPUs (ENOTSUP): then it is a warning that nothing was checked.',
    fix: 'Migrate between hosts with the same CPU features (a common CPU model for VMs), or restart the container on the target instead of migrating it.',
    reference: 'criu-facts.md §5 (cpuinfo dump/check, --cpu-cap); criu/arch/x86/cpu.c',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t) return [];
    const { move } = t;
    const location = targetLocation(t.move);
    const source = move.source.cpuinfo;
    if (!source.ok) return [{ messageId: 'notChecked', message: onTarget(t.move, `CPU compatibility not checked: criu cpuinfo dump failed on the source (${source.reason})`), location, severity: 'warning' }];
    if (source.value === null || known(t.facts.host.criu) === null) return []; // no CRIU on a side: target-criu-version / criu-missing say so
    const check = t.facts.cpuinfoCheck;
    if (!check) return [{ messageId: 'notChecked', message: onTarget(t.move, 'CPU compatibility not checked: the source\'s CPU image was not sent'), location, severity: 'warning' }];
    if (!check.ok) return [{ messageId: 'notChecked', message: onTarget(t.move, `CPU compatibility not checked: ${check.reason}`), location, severity: 'warning' }];
    if (check.value.ok) return [];
    const said = check.value.output.split('\n').map((l) => l.trim()).filter(Boolean).slice(-2).join(' | ');
    return [{ messageId: 'incompatible', message: onTarget(t.move, `criu cpuinfo check of the source's CPU image fails (exit ${check.value.exitCode ?? '?'}${said ? `: ${said}` : ''}): the restored tasks may die of SIGILL there (CRIU restores without comparing CPUs unless --cpu-cap is given)`), location }];
  },
});
