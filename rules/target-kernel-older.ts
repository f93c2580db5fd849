/** The target runs an older kernel than the source: restored tasks may rely on kernel features it lacks. */
import { defineRule } from '../src/rule.js';
import { known } from '../src/live/facts.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-kernel-older',
  severity: 'warning',
  summary: 'The migration target runs an older kernel than the source.',
  scope: 'target',
  messages: {
    olderKernel: "the target's kernel is older than the source's",
  },
  docs: {
    why:
      'Processes keep the kernel interfaces they probed at start: rseq registered by glibc 2.35+, io_uring features, new syscalls. CRIU ' +
      'restores that state only where the kernel has it (rseq needs kernel 5.13 for get_rseq_conf, timer ids need PR_TIMER_CREATE_RESTORE_IDS), ' +
      'and a task that restores may still fail later on a syscall the older kernel lacks. A newer target is the safe direction.',
    fix: 'Migrate to a host with the same or a newer kernel, or check the container\'s workload against the older one first.',
    reference: 'criu-facts.md §6 (kernel / version compatibility)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    const source = known(snapshot.host?.kernel);
    const target = t && known(t.facts.host.kernel);
    if (!t || !source || !target) return [];
    const a = target.version;
    const b = source.version;
    if ((a.major - b.major || a.minor - b.minor || a.patch - b.patch) >= 0) return [];
    return [{ messageId: 'olderKernel', message: onTarget(t.move, `kernel ${target.release} is older than the source's ${source.release}: features the container's tasks use there may be missing`), location: targetLocation(t.move) }];
  },
});
