/** The target's cgroup layout differs from the source's, or it lacks controllers the source has. */
import { defineRule } from '../src/rule.js';
import { known } from '../src/live/facts.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';
import type { Report } from '../src/types.js';

export default defineRule({
  id: 'target-cgroup-mismatch',
  severity: 'error',
  summary: "The migration target's cgroup layout (v1, hybrid, v2) or controllers differ from the source's.",
  scope: 'target',
  messages: {
    layoutDiffers: "the target's cgroup layout differs from the source's",
    controllersMissing: 'cgroup controllers of the source are missing on the target',
  },
  docs: {
    why:
      'lxc-checkpoint dumps with --manage-cgroups=full: the images hold the container\'s cgroups per hierarchy (v1 controllers, or the unified ' +
      'tree) and --cgroup-root names one path per hierarchy. CRIU restores them into the same kind of hierarchies; a dump from a v1 or hybrid ' +
      'host does not restore on a pure v2 host or the other way round. A controller the source has and the target lacks cannot hold the ' +
      'limits the images carry (a warning: LXC may not use it for this container).',
    fix: 'Boot both hosts with the same cgroup layout (systemd.unified_cgroup_hierarchy=0 or 1 on the kernel command line) and the same controllers enabled.',
    reference: 'lxc-facts.md §1c (cgroups); criu/cgroup.c (restore of cgroup images)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t) return [];
    const { move } = t;
    const location = targetLocation(t.move);
    const reports: Report[] = [];
    const source = known(snapshot.host?.cgroups);
    const target = known(t.facts.host.cgroups);
    if (source && target && source.layout !== target.layout) {
      reports.push({ messageId: 'layoutDiffers', message: onTarget(t.move, `cgroup layout ${target.layout}, the source's is ${source.layout}: CRIU restores the cgroup images only into the same layout`), location });
    }
    const have = known(move.source.cgroupControllers);
    const there = known(t.facts.cgroupControllers);
    const missing = have && there ? have.filter((c) => !there.includes(c)) : [];
    if (missing.length) {
      reports.push({ messageId: 'controllersMissing', message: onTarget(t.move, `cgroup controller${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the source missing there: the limits the images carry for ${missing.length > 1 ? 'them' : 'it'} cannot be restored`), location, severity: 'warning' });
    }
    return reports;
  },
});
