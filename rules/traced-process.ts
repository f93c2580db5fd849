/** A task of the container is traced (strace, gdb, a debugger): CRIU cannot seize it. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { containerLocation, describeProcess, known, processByPid } from '../src/live/facts.js';
import { dumpedContainer } from '../src/live/refusals.js';

export default defineRule({
  id: 'traced-process',
  severity: 'error',
  summary: 'A task of the container is traced by another process (strace, gdb ...), which CRIU cannot seize.',
  scope: 'live',
  messages: {
    traced: 'a task is traced (ptrace)',
  },
  docs: {
    why:
      'CRIU stops every task of the container with ptrace(PTRACE_SEIZE), and a task has only one tracer: while strace, gdb or another ' +
      'debugger is attached, the seize fails with EPERM ("Unable to interrupt task: N (Operation not permitted)", compel/src/lib/infect.c). ' +
      'With the frozen cgroup lxc-checkpoint asks for (--freeze-cgroup), CRIU then takes the task for a dying one, prints ' +
      '"zombie N (comm ) found while seizing" (criu/seize.c) and retries until its --timeout (10 s by default) runs out: the container ' +
      'stays frozen that long and the dump fails. This holds for every task in the container\'s cgroup, lxc-attach\'ed ones too. ' +
      '/proc/PID/status shows the tracer (TracerPid) beforehand.',
    fix: 'Detach the tracer first: quit strace or the debugger (gdb: `detach`), or kill it; then checkpoint.',
    reference: 'criu/seize.c seize_cgroup_tree; compel/src/lib/infect.c compel_interrupt_task; seen in the lab: strace -p on a container task, lxc-checkpoint failed after 10.1 s',
  },
  check(snapshot) {
    const c = dumpedContainer(snapshot);
    if (!c) return [];
    const byPid = processByPid(c);
    const reports: Report[] = [];
    for (const p of known(c.processes) ?? []) {
      const tracer = p.tracerPid ?? 0;
      if (tracer <= 0) continue;
      const t = byPid.get(tracer);
      const by = t ? `${describeProcess(t)}, inside the container` : `PID ${tracer} on the host`;
      reports.push({
        messageId: 'traced',
        message:
          `${describeProcess(p)} is traced by ${by}: CRIU cannot seize a traced task, the dump keeps the container frozen until its timeout and ` +
          `fails ("zombie ${p.pid} (comm ...) found while seizing", after "Unable to interrupt task: ${p.pid} (Operation not permitted)"). Detach the tracer (quit strace/gdb, or kill PID ${tracer}) first`,
        location: containerLocation(c),
      });
    }
    return reports;
  },
});
