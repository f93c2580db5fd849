/** The target's facts could not be read (ssh, an old ctcr there), or a fact a target rule needs could not be gathered there. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { onTarget, targetLocation } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-facts-unavailable',
  severity: 'error',
  summary: "The migration target's facts could not be read: the move cannot be judged.",
  scope: 'target',
  messages: {
    noFacts: "the target's facts cannot be read",
    factUnknown: 'a fact of the target is unknown, so the rules that need it could not judge the move',
  },
  docs: {
    why:
      "ctcr reads the target's facts with `ssh HOST ctcr facts --format json`. When ssh fails (no key, host unknown, BatchMode refuses a " +
      'password prompt), ctcr is missing there, or it speaks another facts version, nothing about the target is known, and a READY would ' +
      'be a guess. A single fact that could not be gathered there (criu check timed out, the lxcpath unreadable) leaves the rules that need ' +
      'it silent, so it is reported too.',
    fix:
      'Make `ssh HOST ctcr facts --format json` work as this user (key in the agent or ~/.ssh/config, host key known; --ssh-command for ' +
      'another port or key), install the same ctcr on the target, or fix what the named probe says.',
    reference: 'ctcr facts (src/commands/facts.ts); OpenSSH ssh(1) BatchMode',
  },
  check(snapshot) {
    const move = snapshot.move;
    if (!move) return [];
    if (!move.facts.ok) return [{ messageId: 'noFacts', message: onTarget(move, `cannot read its facts: ${move.facts.reason}`), location: targetLocation(move) }];
    const f = move.facts.value;
    const probes: [string, { ok: boolean; reason?: string }][] = [
      ['kernel', f.host.kernel], ['criu', f.host.criu], ['ip', f.host.ip], ['LXC', f.host.lxc], ['bridges', f.host.bridges], ['cgroups', f.host.cgroups],
      ['AppArmor', f.host.apparmor], ['helper programs', f.host.tools], ['cgroup controllers', f.cgroupControllers],
      [`entries of ${f.lxcpath.path}`, f.lxcpath.names], [`free disk of ${f.lxcpath.path}`, f.lxcpath.free],
      ...(f.host.criuConfig ? [['CRIU configuration files', f.host.criuConfig] as [string, { ok: boolean; reason?: string }]] : []),
      ...(f.imagesDir ? [[`free disk of ${f.imagesDir.path}`, f.imagesDir.free] as [string, { ok: boolean; reason?: string }]] : []),
    ];
    const reports: Report[] = [];
    for (const [what, g] of probes) {
      if (!g.ok) reports.push({ messageId: 'factUnknown', message: onTarget(move, `${what} unknown (${g.reason}): the rules that need it could not judge the move`), location: targetLocation(move), severity: 'warning' });
    }
    return reports;
  },
});
