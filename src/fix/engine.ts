/**
 * `ctcr fix` without the CLI, for `ctcr fix`, `ctcr lint --fix` and
 * `ctcr doctor --fix`: plan every subject's fixes in memory, then either
 * show them (a unified diff and the rootfs operations) or write them as one
 * run. A subject is anything that can be linted again with an overlay: a
 * static target (staticSubject) or, for the doctor, a live one.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Rule, RootfsOperation, Snapshot } from '../types.js';
import type { TargetResult } from '../report/types.js';
import type { StaticTarget } from '../gather/static.js';
import { gatherStatic } from '../gather/static.js';
import { evaluate, type RuleLevels } from '../engine/evaluate.js';
import { notesFor, rootfsPathsOf } from '../engine/lint.js';
import { planFixes, simulateRootfsOps, type FixOverlay, type FixPlan, type FixScope, type FixSelection, type LintFunction, type LintPass, type RefusedFix } from './plan.js';
import { unifiedDiff } from './diff.js';
import { commitRun, newRunId, type PlannedRootfsOp, type RunManifest } from './write.js';
import { describeOp } from './rootfs-ops.js';

export interface FixSubject {
  /** What the user named. */
  label: string;
  lint: LintFunction;
  /** The container whose config this is, when it is one (`<lxcpath>/<name>/config`). */
  container?: { name: string; lxcpath: string };
  /**
   * Whether that container runs (its config is read again only at its next
   * start). Known for an inspected container; for a config named by path it
   * is asked only once a fix touched it (fixAndSummarize).
   */
  running?: boolean;
  /** What its fixes may edit (default: the files of its config's folder, scopeOfConfig). */
  scope?: FixScope;
}

export interface SubjectOutcome {
  subject: FixSubject;
  plan: FixPlan;
  result: TargetResult;
  /** Rootfs operations that will be (or would be) done. */
  rootfsOps: PlannedRootfsOp[];
  /** Rootfs operations that cannot be done here, and why (an image, no rootfs). */
  rootfsRefused: { op: RootfsOperation; reason: string }[];
  /** Chosen fixes not applied because they edit files that are not the subject's (a shared include), and why. */
  editsRefused: RefusedFix[];
}

export interface FixOptions {
  selection: FixSelection;
  dryRun: boolean;
  /** Paths in the diff are relative to this folder when under it (default: the process's). */
  cwd?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  runId?: string;
  /** Said while writing (a stale temp file removed). */
  note?: (line: string) => void;
}

export interface FileOutcome {
  file: string;
  before: string;
  after: string;
}

export interface FixOutcome {
  subjects: SubjectOutcome[];
  results: TargetResult[];
  /** Every file to change, with its text on disk and its text after all subjects' fixes. */
  files: FileOutcome[];
  /** Every rootfs operation to do (or, for a dry run, that would be done), once each. */
  rootfsOps: PlannedRootfsOp[];
  /** For a dry run: the diff of every file to change, then the rootfs operations as `# rootfs` lines and the fixes not done as `# not fixed` ones. '' for a real run (nothing shows it; issue 15.7). */
  diff: string;
  /** The run written; absent for a dry run or when nothing changes. */
  manifest?: RunManifest;
  dryRun: boolean;
}

/**
 * What belongs to the target whose config is `configPath` (issue 12): the
 * config itself and every file under its folder, i.e. for a container
 * `<lxcpath>/<name>/` (its config, its fstab, includes kept there), for a
 * config linted as a file the folder it is in. Judged on real paths, so that
 * a symlink under the folder to a shared file does not make that file the
 * container's. Anything else is read-only to the fixer.
 */
export function scopeOfConfig(configPath: string): FixScope {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const dir = path.dirname(path.resolve(configPath));
  const realDir = real(dir);
  const realConfig = real(configPath);
  const cache = new Map<string, boolean>();
  return {
    describe: `${path.resolve(configPath)} and the files under ${dir}`,
    owns(file) {
      let owned = cache.get(file);
      if (owned === undefined) {
        const r = real(file);
        owned = r === realConfig || r.startsWith(realDir.endsWith('/') ? realDir : realDir + '/');
        cache.set(file, owned);
      }
      return owned;
    },
  };
}

/** Nothing is the subject's: a target without a config (a rootfs alone) has no file to edit. */
const NO_FILES: FixScope = { describe: 'no files (the target has no config)', owns: () => false };

/** The subject of a static target: gathered from its files, with the fixer's texts and rootfs operations laid over them. */
export function staticSubject(
  target: StaticTarget,
  rules: readonly Rule[],
  opts: { levels: RuleLevels; assumptions: Snapshot['assumptions']; purpose?: Snapshot['purpose'] },
): FixSubject {
  const rootfsPaths = rootfsPathsOf(rules);
  return {
    label: target.label,
    scope: target.configPath ? scopeOfConfig(target.configPath) : NO_FILES,
    lint: async (overlay) => {
      const snapshot = await gatherStatic(target, { rootfsPaths, assumptions: opts.assumptions, purpose: opts.purpose ?? 'lint', overlay: overlay.texts });
      if (snapshot.rootfs) snapshot.rootfs = simulateRootfsOps(snapshot.rootfs, overlay.rootfsOps);
      return lintPassOf(snapshot, evaluate(rules, snapshot, opts.levels));
    },
  };
}

/** A lint pass from a snapshot and its findings: what the fix loop needs to know (for a doctor's subject too). */
export function lintPassOf(snapshot: Snapshot, findings: LintPass['findings']): LintPass {
  const texts = new Map<string, string>();
  for (const d of snapshot.config?.documents ?? []) texts.set(d.path, d.text);
  for (const f of snapshot.fstabs) if (f.text !== undefined) texts.set(f.path, f.text);
  return {
    findings,
    texts,
    rootfs: snapshot.rootfs ? { kind: snapshot.rootfs.kind, location: snapshot.rootfs.location } : undefined,
    notes: notesFor(snapshot),
  };
}

function withBase(lint: LintFunction, base: ReadonlyMap<string, string>): LintFunction {
  return (overlay: FixOverlay) => lint({ texts: new Map([...base, ...overlay.texts]), rootfsOps: overlay.rootfsOps });
}

function scopeOf(subject: FixSubject): FixScope | undefined {
  if (subject.scope) return subject.scope;
  return subject.container ? scopeOfConfig(path.join(subject.container.lxcpath, subject.container.name, 'config')) : undefined;
}

function rootfsOf(plan: FixPlan): Pick<SubjectOutcome, 'rootfsOps' | 'rootfsRefused'> {
  // Each operation is bound to the rootfs directory of the pass that planned it, and done only if the last
  // pass still sees that same directory: a later pass with another rootfs or none (a legacy block-device or
  // dataset rootfs read differently once a key was renamed) must not make it act on another root, or on ''.
  const rootOf = (op: FixPlan['rootfsOps'][number]) =>
    plan.applied.find((a) => a.rootDir !== undefined && a.rootfsOps.some((o) => o.op === op.op && o.from === op.from && o.to === op.to))?.rootDir;
  const final = plan.final.rootfs?.kind === 'dir' ? plan.final.rootfs.location : undefined;
  const rootfsOps: SubjectOutcome['rootfsOps'] = [];
  const rootfsRefused: SubjectOutcome['rootfsRefused'] = plan.refused.filter((r) => r.files.length === 0).flatMap((r) => r.rootfsOps.map((op) => ({ op, reason: r.reason })));
  for (const op of plan.rootfsOps) {
    const rootDir = rootOf(op);
    if (rootDir && path.isAbsolute(rootDir) && rootDir === final) rootfsOps.push({ rootDir, op });
    else rootfsRefused.push({ op, reason: `the rootfs it was planned on (${rootDir ?? 'none'}) is not the container's rootfs after the fixes${final ? ` (${final})` : ' (none is readable)'}: not done` });
  }
  return { rootfsOps, rootfsRefused };
}

/** Plans every subject in order; a file shared by several (an included common config) carries each one's changes to the next. */
export async function planSubjects(subjects: readonly FixSubject[], selection: FixSelection): Promise<{ outcomes: SubjectOutcome[]; disk: Map<string, string>; current: Map<string, string> }> {
  const disk = new Map<string, string>();
  const current = new Map<string, string>();
  const outcomes: SubjectOutcome[] = [];
  for (const subject of subjects) {
    const lint = withBase(subject.lint, new Map(current));
    const plan = await planFixes(lint, selection, subject.label, scopeOf(subject));
    // The first subject to read a file read it from disk; later ones read the earlier ones' result.
    for (const [file, text] of plan.original) if (!disk.has(file) && !current.has(file)) disk.set(file, text);
    for (const [file, text] of plan.texts) current.set(file, text);
    outcomes.push({ subject, plan, result: resultOf(subject, plan.final), ...rootfsOf(plan), editsRefused: plan.refused.filter((r) => r.files.length > 0) });
  }
  // A later subject that changed a shared file changed what an earlier one reads: lint that one again.
  for (const o of outcomes) {
    const stale = [...o.plan.final.texts].some(([file, text]) => current.get(file) !== text);
    if (stale) o.result = resultOf(o.subject, await withBase(o.subject.lint, current)({ texts: new Map(), rootfsOps: o.plan.rootfsOps }));
  }
  return { outcomes, disk, current };
}

function resultOf(subject: FixSubject, pass: LintPass): TargetResult {
  return { target: subject.label, findings: pass.findings, notes: pass.notes };
}

function label(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Plans, then shows or writes. A write failure throws FixWriteError (one line, exit 2) after rolling the run back. */
export async function fixSubjects(subjects: readonly FixSubject[], opts: FixOptions): Promise<FixOutcome> {
  const cwd = opts.cwd ?? process.cwd();
  const { outcomes, disk, current } = await planSubjects(subjects, opts.selection);
  const files: FileOutcome[] = [...disk]
    .filter(([file, before]) => current.get(file) !== before)
    .map(([file, before]) => ({ file, before, after: current.get(file)! }));
  // Two targets naming the same container plan the same operation: it is done once.
  const rootfsOps = outcomes
    .flatMap((o) => o.rootfsOps)
    .filter((r, i, all) => all.findIndex((x) => x.rootDir === r.rootDir && x.op.from === r.op.from && x.op.to === r.op.to) === i);
  // Only a dry run shows the diff: a real run does not spend time and memory on one.
  const diff = !opts.dryRun
    ? ''
    : files.map((f) => unifiedDiff(label(f.file, cwd), f.before, f.after)).join('') +
    rootfsOps.map((r) => `# rootfs ${label(r.rootDir, cwd)}: ${describeOp(r.op)}\n`).join('') +
    outcomes.flatMap((o) => o.editsRefused.map((r) => `# not fixed ${label(r.location.file, cwd)}:${r.location.line} ${r.ruleId} (${r.description}): ${r.reason}\n`)).join('');
  const outcome: FixOutcome = { subjects: outcomes, results: outcomes.map((o) => o.result), files, rootfsOps, diff, dryRun: opts.dryRun };
  if (opts.dryRun || (files.length === 0 && rootfsOps.length === 0)) return outcome;
  outcome.manifest = await commitRun(
    files.map((f) => ({ file: f.file, before: f.before, after: f.after })),
    rootfsOps,
    {
      runId: opts.runId ?? newRunId(),
      argv: opts.argv,
      env: opts.env,
      note: opts.note,
      targets: outcomes
        .filter((o) => o.plan.changedFiles.length > 0 || o.rootfsOps.length > 0)
        .map((o) => ({ label: o.subject.label, ...(o.subject.container ? { container: path.join(o.subject.container.lxcpath, o.subject.container.name) } : {}) })),
    },
  );
  return outcome;
}
