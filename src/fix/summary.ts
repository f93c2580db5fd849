/**
 * What `ctcr fix` says about a run, for people (stderr): per file what
 * changed and its backup, the rootfs operations, the suggestions left and
 * the flag that applies each, running containers that need a restart, and
 * how to undo.
 */
import path from 'node:path';
import type { Finding } from '../types.js';
import type { FixOutcome } from './engine.js';
import { isChosenSuggestion, type AppliedFix, type FixSelection } from './plan.js';
import { backupPath, type UndoReport } from './write.js';
import { describeOp } from './rootfs-ops.js';

function show(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function appliedLine(a: AppliedFix, cwd: string, idWidth: number): string {
  return `  ${a.kind.padEnd(10)}  ${a.ruleId.padEnd(idWidth)}  ${show(a.location.file, cwd)}:${a.location.line}  ${a.description}`;
}

/** Suggestions in the final findings that the selection did not apply, with the flag that would. */
export function pendingSuggestions(findings: readonly Finding[], selection: FixSelection): { finding: Finding; description: string }[] {
  return findings
    .filter((f) => f.suggestions?.length && !isChosenSuggestion(f, selection))
    .map((f) => ({ finding: f, description: f.suggestions![0].description }));
}

export function formatFixSummary(outcome: FixOutcome, selection: FixSelection, cwd: string): string[] {
  const lines: string[] = [];
  const dry = outcome.dryRun;
  const runId = outcome.manifest?.runId;
  const applied = outcome.subjects.flatMap((s) => s.plan.applied);
  const idWidth = Math.max(0, ...applied.map((a) => a.ruleId.length));
  const rootfsOps = outcome.rootfsOps;
  for (const s of outcome.subjects) for (const w of s.plan.warnings) lines.push(`ctcr fix: warning: ${s.subject.label}: ${w}`);
  if (outcome.files.length === 0 && rootfsOps.length === 0) {
    lines.push('ctcr fix: nothing to fix');
  } else {
    const counts = [
      `${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'}`,
      ...(rootfsOps.length ? [`${rootfsOps.length} rootfs operation${rootfsOps.length === 1 ? '' : 's'}`] : []),
    ].join(', ');
    lines.push(dry ? `ctcr fix --dry-run: would change ${counts} (the diff is on stdout; nothing was written)` : `ctcr fix: run ${runId}: changed ${counts}`);
    for (const f of outcome.files) {
      const backup = outcome.manifest?.files.find((m) => m.file === f.file)?.backup;
      lines.push(`${show(f.file, cwd)}${dry ? '' : ` (backup: ${show(backup ?? backupPath(f.file, runId ?? ''), cwd)})`}`);
      for (const a of applied.filter((x) => x.files.includes(f.file))) lines.push(appliedLine(a, cwd, idWidth));
    }
    for (const root of [...new Set(rootfsOps.map((r) => r.rootDir))]) {
      lines.push(`rootfs ${show(root, cwd)}`);
      for (const { op } of rootfsOps.filter((r) => r.rootDir === root)) {
        const a = applied.find((x) => x.rootfsOps.some((o) => o.from === op.from && o.to === op.to));
        lines.push(`  ${(a?.kind ?? '').padEnd(10)}  ${(a?.ruleId ?? '').padEnd(idWidth)}  ${describeOp(op)}${a ? `  (${a.description})` : ''}`);
      }
    }
  }
  for (const s of outcome.subjects) {
    for (const r of s.rootfsRefused) lines.push(`ctcr fix: not done: ${s.subject.label}: ${describeOp(r.op)}: ${r.reason}`);
    for (const r of s.editsRefused) lines.push(`ctcr fix: not done: ${show(r.location.file, cwd)}:${r.location.line} ${r.ruleId} (${r.description}): ${r.reason}`);
  }
  const pending = outcome.subjects.flatMap((s) => pendingSuggestions(s.result.findings, selection));
  if (pending.length) {
    lines.push(`Suggestions not applied (they change the container's behaviour; --suggestions applies them all, --rule ID one rule's):`);
    for (const p of pending) {
      lines.push(`  ${show(p.finding.location.file, cwd)}:${p.finding.location.line}  ${p.finding.ruleId}  ${p.description}  [--rule ${p.finding.ruleId}]`);
    }
  }
  const changedSomething = outcome.files.length > 0 || rootfsOps.length > 0;
  for (const s of outcome.subjects) {
    const touched = s.plan.changedFiles.length > 0 || s.rootfsOps.length > 0;
    if (!s.subject.container || !s.subject.running || !touched) continue;
    const { name, lxcpath } = s.subject.container;
    lines.push(
      `${name} is running: LXC reads its config when the container starts, so ${dry ? 'these changes would' : 'these changes'} take effect at its next restart ` +
        `(lxc-stop -P ${lxcpath} -n ${name} && lxc-start -P ${lxcpath} -n ${name})`,
    );
  }
  if (!dry && changedSomething && runId) lines.push(`Undo: ctcr fix --undo ${runId}`);
  return lines;
}

export function formatUndo(report: UndoReport, cwd: string): string[] {
  const lines = [`ctcr fix --undo: run ${report.manifest.runId}`];
  for (const f of report.restored) lines.push(`  restored ${show(f, cwd)}`);
  for (const f of report.unchanged) lines.push(`  unchanged ${show(f, cwd)} (it holds its text from before the run)`);
  for (const r of report.reversedOps) lines.push(`  rootfs ${show(r.rootDir, cwd)}: undid ${describeOp(r.op)}`);
  for (const r of report.skippedOps) lines.push(`  rootfs ${show(r.rootDir, cwd)}: ${describeOp(r.op)} is not in place (not done, or changed since): left alone`);
  for (const s of report.skipped) {
    lines.push(`  NOT restored ${show(s.file, cwd)}: it changed after the run; its text from before the run is in ${show(s.backup, cwd)}`);
  }
  for (const b of report.removedBackups) lines.push(`  removed the backup ${show(b, cwd)}`);
  return lines;
}
