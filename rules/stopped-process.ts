/** A task of the container is stopped (SIGSTOP, SIGTSTP, Ctrl-Z): with the frozen cgroup lxc-checkpoint asks for, the dump hangs. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { containerLocation, describeProcess, known } from '../src/live/facts.js';
import { dumpedContainer } from '../src/live/refusals.js';

export default defineRule({
  id: 'stopped-process',
  severity: 'error',
  summary: 'A task of the container is stopped (SIGSTOP/SIGTSTP): CRIU, seizing it in the frozen cgroup, waits forever.',
  scope: 'live',
  messages: {
    stopped: 'a task is stopped (state T)',
  },
  docs: {
    why:
      'lxc-checkpoint has CRIU freeze the container\'s cgroup (--freeze-cgroup) and then seize every task in it with ptrace. Seizing a task ' +
      'that is in a group stop (state T: SIGSTOP, SIGTSTP, a job stopped with Ctrl-Z) makes the kernel wait until that task has run through ' +
      'its stop again, and a frozen task never runs: CRIU blocks in ptrace_attach, its own --timeout does not fire there, and the container ' +
      'stays FROZEN until CRIU is killed and the cgroup thawed by hand. Seen in the lab (kernel 6.18, CRIU 4.2.1, LXC 5.0.2, v1 freezer of a ' +
      'hybrid cgroup layout): `kill -STOP` on one sleep in a busybox container, and lxc-checkpoint never returned (killed after 20, 30 and 40 s); ' +
      'the same container without the stopped task dumped in 0.5 s. CRIU itself supports stopped tasks when it seizes them unfrozen; the ' +
      'hang comes from the freezer (`ctcr checkpoint --engine criu` passes no --freeze-cgroup). Not tried on a pure cgroup v2 host ' +
      '(cgroup.freeze), where the finding is a warning.',
    fix: 'Continue the task before the checkpoint (`kill -CONT PID`, or `fg`/`bg` in its shell), or stop it for good (kill it).',
    reference: 'criu/seize.c freeze_processes and seize_cgroup_tree; lxc src/lxc/criu.c (--freeze-cgroup); lab run: /work/coord/refusals-hang-stopped.md',
  },
  check(snapshot) {
    const c = dumpedContainer(snapshot);
    if (!c) return [];
    const layout = known(snapshot.host?.cgroups)?.layout;
    const pureV2 = layout === 'v2';
    const reports: Report[] = [];
    // Every task of the container's cgroup is seized, lxc-attach'ed ones too; a traced stop (t) is traced-process's.
    for (const p of known(c.processes) ?? []) {
      if (p.state !== 'T' || (p.tracerPid ?? 0) > 0) continue;
      reports.push({
        ...(pureV2 ? { severity: 'warning' as const } : {}),
        messageId: 'stopped',
        message:
          `${describeProcess(p)} is stopped (state T): ` +
          (pureV2
            ? 'with the v1 freezer the dump hangs on a stopped task (CRIU waits in ptrace_attach, the container stays FROZEN); not tried with cgroup v2. '
            : 'the dump would hang, CRIU waiting in the kernel for a task the frozen cgroup never lets run, and the container would stay FROZEN. ') +
          `Continue it first (kill -CONT ${p.pid}) or kill it`,
        location: containerLocation(c),
      });
    }
    return reports;
  },
});
