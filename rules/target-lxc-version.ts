/** The target has no LXC, or another major LXC release than the source's. */
import { defineRule } from '../src/rule.js';
import { known } from '../src/live/facts.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-lxc-version',
  severity: 'error',
  summary: "The migration target has no LXC, or another major LXC release than the source's.",
  scope: 'target',
  messages: {
    noLxc: 'the target has no LXC',
    otherMajor: "the target's LXC is another major release than the source's",
  },
  docs: {
    why:
      'The restore on the target is `lxc-checkpoint -r`: LXC reads the copied config, builds the container\'s cgroups and network, then runs ' +
      'CRIU. Without LXC there is nothing to restore with. Another major release reads the same config differently (LXC 7.0 rejects the ' +
      'lxc.cgroup.* keys of cgroup v1 and supports only the unified hierarchy; 3.0 removed the legacy keys), so a warning says to lint the ' +
      'config for the target\'s LXC (`ctcr lint --lxc-version`).',
    fix: 'Install LXC on the target, preferably the source\'s release; otherwise run `ctcr lint --lxc-version X.Y` with the target\'s version and fix what it finds.',
    reference: 'lxc-facts.md (version landmarks); lxc src/lxc/tools/lxc_checkpoint.c',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t || !t.facts.host.lxc.ok) return [];
    const target = t.facts.host.lxc.value;
    const location = targetLocation(t.move);
    if (!target) return [{ messageId: 'noLxc', message: onTarget(t.move, 'no LXC (lxc-start, lxc-info) on PATH: lxc-checkpoint -r cannot restore the container there. Install LXC'), location }];
    const source = known(snapshot.host?.lxc)?.version;
    if (!source || !target.version || source.major === target.version.major) return [];
    return [{
      messageId: 'otherMajor', message: onTarget(t.move, `LXC ${target.version.text}, the source has LXC ${source.text}: the config is read by another major release. Lint it with --lxc-version ${target.version.major}.${target.version.minor}`),
      location,
      severity: 'warning',
    }];
  },
});
