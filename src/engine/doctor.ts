/**
 * The doctor's judgement, after inspect(): every rule (static and live) on
 * each snapshot, host findings once on the `host` target, and a verdict per
 * target: NOT READY when an error remains (for a container, its own or the
 * host's), READY otherwise.
 */
import type { Finding, Rule, Snapshot } from '../types.js';
import type { TargetResult } from '../report/types.js';
import { evaluate, type RuleLevels } from './evaluate.js';
import { notesFor } from './lint.js';
import { HOST_FILE, isHostLocation, isRunning, known } from '../live/facts.js';
import type { Inspection } from './inspect.js';

/** All rules on one snapshot. (apparmor-profile-set, static, stays silent where apparmor-unavailable answers for this host.) */
export function doctorFindings(rules: readonly Rule[], snapshot: Snapshot, levels: RuleLevels = {}): Finding[] {
  return evaluate(rules, snapshot, levels);
}

/** A container's own findings: those about the host are reported once, on the host target. */
export function containerFindings(rules: readonly Rule[], snapshot: Snapshot, levels: RuleLevels = {}): Finding[] {
  return doctorFindings(rules, snapshot, levels).filter((f) => !isHostLocation(f.location));
}

const errors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error').length;

/** One line about the host: what was found, so that a READY says what it was judged on. */
export function hostNotes(snapshot: Snapshot): string[] {
  const host = snapshot.host;
  if (!host) return [];
  const kernel = known(host.kernel);
  const criu = known(host.criu);
  const lxc = known(host.lxc);
  const cgroups = known(host.cgroups);
  const apparmor = known(host.apparmor);
  const parts = [
    kernel ? `kernel ${kernel.release} ${kernel.arch}` : 'kernel unknown',
    host.criu.ok ? (criu ? `CRIU ${criu.version.text} (${criu.path}; criu check: ${criu.checkOk ? 'Looks good.' : 'fails'})` : 'no CRIU') : 'CRIU unknown',
    host.lxc.ok ? (lxc ? `LXC ${lxc.version?.text ?? '(version unknown)'}` : 'no LXC') : 'LXC unknown',
    cgroups ? `cgroups ${cgroups.layout}` : 'cgroups unknown',
    apparmor ? `AppArmor ${apparmor.enabled ? 'on' : 'not in the kernel'}` : 'AppArmor unknown',
  ];
  const slowest = Object.entries(host.timings ?? {}).sort((a, b) => b[1] - a[1])[0];
  return [`${parts.join(', ')}${slowest ? `; slowest probe: ${slowest[0]} ${Math.round(slowest[1])} ms` : ''}`];
}

export function containerNotes(snapshot: Snapshot): string[] {
  const c = snapshot.container;
  const notes = notesFor(snapshot);
  if (c) {
    const count = <T>(g: { ok: true; value: T[] } | { ok: false; reason: string }, word: string, plural = word + 's') => (g.ok ? `${g.value.length} ${g.value.length === 1 ? word : plural}` : `${plural} unknown`);
    notes.unshift(
      isRunning(c)
        ? `${c.state}, init PID ${c.initPid}: ${count(c.processes, 'process', 'processes')}, ${count(c.sockets, 'socket')}, ${count(c.mountinfo, 'mount')}`
        : `${c.state}${c.stateNote ? ` (${c.stateNote})` : ''}`,
    );
  }
  const dir = snapshot.checkpointDir;
  if (dir) notes.push(`checkpoint directory ${dir.path}: ${!dir.exists ? 'does not exist yet' : dir.hasInventory ? `holds a checkpoint${dir.hasTtyInfo ? ' made with a console' : ''}` : 'holds no checkpoint'}`);
  return notes;
}

/** The verdict of each target, host first; a container is NOT READY when the host is. */
export function verdicts(host: TargetResult, containers: readonly TargetResult[]): TargetResult[] {
  const hostErrors = errors(host.findings);
  const judged = { ...host, verdict: hostErrors ? ('NOT READY' as const) : ('READY' as const) };
  return [
    judged,
    ...containers.map((r) => {
      const notes = hostErrors ? [...(r.notes ?? []), `the host is NOT READY (${hostErrors} error${hostErrors === 1 ? '' : 's'} under ${HOST_FILE})`] : r.notes;
      return { ...r, notes, verdict: errors(r.findings) || hostErrors ? ('NOT READY' as const) : ('READY' as const) };
    }),
  ];
}

/** The host target: the host's findings (reported once, here) and what it was judged on. */
export function hostResult(host: Snapshot, rules: readonly Rule[], levels: RuleLevels = {}): TargetResult {
  return { target: HOST_FILE, findings: doctorFindings(rules, host, levels), notes: hostNotes(host) };
}

export function judge(inspection: Inspection, rules: readonly Rule[], levels: RuleLevels = {}): TargetResult[] {
  const host = hostResult(inspection.host, rules, levels);
  const containers = inspection.containers.map((s) => ({ target: s.target, findings: containerFindings(rules, s, levels), notes: containerNotes(s) }));
  return verdicts(host, containers);
}
