/**
 * The fix loop, as ESLint's verifyAndFix: lint, take the chosen fixes, apply
 * them to the texts in memory, lint the new texts, and again, until nothing
 * changes (at most MAX_FIX_PASSES passes, stopping on a cycle); the last lint
 * is of the final texts, so what is reported is what would be written.
 * Pure: it never writes, and it reads only through the lint function it is given.
 */
import type { Finding, Fix, FixKind, Location, RootfsFacts, RootfsOperation, TextEdit } from '../types.js';
import { RuleCrashError } from '../engine/evaluate.js';
import { InputError } from '../errors.js';
import { applyFixes } from './apply-edits.js';

export const MAX_FIX_PASSES = 10;

/** What the fixer has done so far, in memory: the new texts of files, and rootfs operations planned. */
export interface FixOverlay {
  texts: ReadonlyMap<string, string>;
  rootfsOps: readonly RootfsOperation[];
}

/** One lint of the files as the overlay has them. */
export interface LintPass {
  findings: Finding[];
  /** The text of every file read (config documents, fstabs), by absolute path. */
  texts: ReadonlyMap<string, string>;
  rootfs?: Pick<RootfsFacts, 'kind' | 'location'>;
  notes?: string[];
}

export type LintFunction = (overlay: FixOverlay) => Promise<LintPass>;

/**
 * The files a fix may edit: those that belong to the container (issue 12):
 * its config and what lies under its own directory (fstab, includes kept
 * there). Any other file (LXC's shared common.conf, an include elsewhere) is
 * read by the lint but read-only to the fixer, in every pass.
 */
export interface FixScope {
  owns(file: string): boolean;
  /** What belongs, in words, for the reason a fix is refused ("files under /var/lib/lxc/web1"). */
  describe: string;
}

/** Fixes (behaviour kept) are always applied; suggestions only for all (`--suggestions`) or named rules (`--rule ID`). */
export interface FixSelection {
  suggestions: boolean;
  rules: readonly string[];
}

export interface AppliedFix {
  ruleId: string;
  kind: FixKind;
  description: string;
  /** Where the finding was, in the text of the pass that applied it. */
  location: Location;
  files: string[];
  rootfsOps: RootfsOperation[];
  /** The rootfs directory the pass that planned its rootfs operations saw: they are bound to it (issue 14.1). */
  rootDir?: string;
  /** 1-based pass number. */
  pass: number;
}

/** A chosen fix that cannot be applied here: its rootfs operations have no rootfs directory to act on, or it edits a file that is not the container's. */
export interface RefusedFix {
  ruleId: string;
  kind: FixKind;
  description: string;
  /** Where its finding is. */
  location: Location;
  rootfsOps: RootfsOperation[];
  /** The files it would have edited that do not belong to the container (empty for a rootfs refusal). */
  files: string[];
  reason: string;
}

export interface FixPlan {
  /** Every file's text as first read. */
  original: Map<string, string>;
  /** Every file's text after the last pass. */
  texts: Map<string, string>;
  /** Files whose final text differs from the original, in the order first read. */
  changedFiles: string[];
  rootfsOps: RootfsOperation[];
  applied: AppliedFix[];
  /** Findings of the final text. */
  final: LintPass;
  passes: number;
  /** Why the loop stopped early (a cycle, the pass cap). */
  warnings: string[];
  /** Chosen fixes left unapplied because their rootfs operations cannot be done (an image, no rootfs) or they edit files outside the scope; their findings remain. */
  refused: RefusedFix[];
}

interface Candidate {
  finding: Finding;
  fix: Fix;
  kind: FixKind;
}

/**
 * The fixes to try in one pass, in finding order: each finding's fix, and
 * its first suggestion when chosen (suggestions are alternatives, as in
 * ESLint). Within `scope`, the first suggestion that edits only files in it
 * (a rule may offer an override in the container's own config after a fix
 * of the shared file); when none does, the first, to be refused.
 */
export function chooseFixes(findings: readonly Finding[], selection: FixSelection, scope?: FixScope): Candidate[] {
  const chosen: Candidate[] = [];
  for (const finding of findings) {
    if (finding.fix) chosen.push({ finding, fix: finding.fix, kind: 'fix' });
    const suggestions = finding.suggestions ?? [];
    const pick = suggestions.find((s) => outsideScope(s, scope).length === 0) ?? suggestions[0];
    if (pick && (selection.suggestions || selection.rules.includes(finding.ruleId))) chosen.push({ finding, fix: pick, kind: 'suggestion' });
  }
  return chosen;
}

/** The files `fix` edits that `scope` does not own. */
function outsideScope(fix: Fix, scope: FixScope | undefined): string[] {
  if (!scope) return [];
  return [...new Set(fix.edits.map((e) => e.file))].filter((f) => !scope.owns(f));
}

/** True when `selection` would apply this suggestion of `finding` (for listing those it would not). */
export function isChosenSuggestion(finding: Finding, selection: FixSelection): boolean {
  return selection.suggestions || selection.rules.includes(finding.ruleId);
}

function ruleBug(c: Candidate, target: string, what: string): RuleCrashError {
  return new RuleCrashError(c.finding.ruleId, target, new Error(`its ${c.kind} '${c.fix.description}' ${what}`));
}

function validate(c: Candidate, texts: ReadonlyMap<string, string>, target: string): void {
  for (const e of c.fix.edits) {
    const text = texts.get(e.file);
    if (text === undefined) throw ruleBug(c, target, `edits ${e.file}, which was not read`);
    if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && 0 <= e.start && e.start <= e.end && e.end <= text.length)) {
      throw ruleBug(c, target, `has an edit [${e.start}, ${e.end}) outside ${e.file} (length ${text.length})`);
    }
  }
  for (const op of c.fix.rootfsOps ?? []) {
    if (!op.from.startsWith('/') || !op.to.startsWith('/') || op.from === op.to) {
      throw ruleBug(c, target, `has a rootfs operation '${op.op} ${op.from} -> ${op.to}' that is not between two rootfs-absolute paths`);
    }
  }
}

const sameOp = (a: RootfsOperation, b: RootfsOperation) => a.op === b.op && a.from === b.from && a.to === b.to;
const touches = (a: RootfsOperation, b: RootfsOperation) => [a.from, a.to].some((p) => p === b.from || p === b.to);

/**
 * One pass: the candidates that fit together. A fix is whole or not at all,
 * across files too: one deferred in any file is dropped from all, and the
 * rest computed again (the set only shrinks, so this ends).
 */
function applyPass(
  texts: ReadonlyMap<string, string>,
  ops: readonly RootfsOperation[],
  candidates: Candidate[],
): { texts: Map<string, string>; ops: RootfsOperation[]; taken: Candidate[] } {
  let live = candidates.filter((c) => c.fix.edits.length > 0 || (c.fix.rootfsOps ?? []).length > 0);
  // Rootfs operations: an identical one already planned is done; one touching a planned path waits.
  const planned = [...ops];
  const newOps = new Map<Candidate, RootfsOperation[]>();
  live = live.filter((c) => {
    const mine = (c.fix.rootfsOps ?? []).filter((op) => !planned.some((p) => sameOp(p, op)));
    if (mine.some((op) => planned.some((p) => touches(p, op)))) return false;
    planned.push(...mine);
    newOps.set(c, mine);
    return true;
  });
  for (;;) {
    const byFile = new Map<string, { fix: Candidate; edits: TextEdit[] }[]>();
    for (const c of live) {
      for (const e of c.fix.edits) {
        const groups = byFile.get(e.file) ?? [];
        let group = groups.find((g) => g.fix === c);
        if (!group) groups.push((group = { fix: c, edits: [] }));
        group.edits.push(e);
        byFile.set(e.file, groups);
      }
    }
    const next = new Map(texts);
    const deferred = new Set<Candidate>();
    for (const [file, groups] of byFile) {
      const result = applyFixes(texts.get(file)!, groups);
      next.set(file, result.text);
      for (const d of result.deferred) deferred.add(d);
    }
    if (deferred.size === 0) {
      return { texts: next, ops: [...ops, ...live.flatMap((c) => newOps.get(c) ?? [])], taken: live };
    }
    live = live.filter((c) => !deferred.has(c));
  }
}

function stateKey(texts: ReadonlyMap<string, string>, ops: readonly RootfsOperation[]): string {
  return JSON.stringify([[...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), ops]);
}

/** Runs the fix loop for one target; `label` names it in rule-bug messages; `scope` is what its fixes may edit (default: anything read). */
export async function planFixes(lint: LintFunction, selection: FixSelection, label = '', scope?: FixScope): Promise<FixPlan> {
  const original = new Map<string, string>();
  let texts = new Map<string, string>();
  let ops: RootfsOperation[] = [];
  const applied: AppliedFix[] = [];
  const warnings: string[] = [];
  const history: string[] = [];
  let passes = 0;
  let pass = await lint({ texts, rootfsOps: ops });
  for (;;) {
    for (const [file, text] of pass.texts) {
      if (!original.has(file)) original.set(file, text);
      if (!texts.has(file)) texts.set(file, text);
    }
    history.push(stateKey(texts, ops));
    const candidates = chooseFixes(pass.findings, selection, scope).filter((c) => !rootfsUnavailable(c, pass) && outsideScope(c.fix, scope).length === 0);
    if (candidates.length === 0) break;
    for (const c of candidates) validate(c, texts, label);
    const result = applyPass(texts, ops, candidates);
    const key = stateKey(result.texts, result.ops);
    // Fixes that change nothing (an edit writing the same text) end the loop; the last lint stands.
    if (key === history[history.length - 1]) break;
    passes++;
    for (const c of result.taken) {
      applied.push({
        ruleId: c.finding.ruleId,
        kind: c.kind,
        description: c.fix.description,
        location: c.finding.location,
        files: [...new Set(c.fix.edits.map((e) => e.file))],
        rootfsOps: c.fix.rootfsOps ?? [],
        ...(c.fix.rootfsOps?.length && pass.rootfs?.kind === 'dir' ? { rootDir: pass.rootfs.location } : {}),
        pass: passes,
      });
    }
    let next: LintPass;
    try {
      next = await lint({ texts: result.texts, rootfsOps: result.ops });
    } catch (err) {
      // Like ESLint on a fatal parse error: the pass that broke the file is dropped, the loop ends.
      if (!(err instanceof InputError)) throw err;
      const dropped = applied.splice(applied.findIndex((a) => a.pass === passes));
      passes--;
      warnings.push(`fixes of pass ${passes + 1} (${dropped.map((a) => a.ruleId).join(', ')}) would make the config unreadable (${err.format()}); not applied`);
      break;
    }
    texts = result.texts;
    ops = result.ops;
    pass = next;
    if (history.length >= 2 && key === history[history.length - 2]) {
      warnings.push(`fixes undo each other (the text after pass ${passes} equals the text two passes before); stopped: ${describeCycle(applied, passes)}`);
      break;
    }
    if (passes >= MAX_FIX_PASSES) {
      if (chooseFixes(pass.findings, selection, scope).some((c) => outsideScope(c.fix, scope).length === 0)) warnings.push(`stopped after ${MAX_FIX_PASSES} passes with fixes still to apply`);
      break;
    }
  }
  for (const [file, text] of pass.texts) if (!original.has(file)) original.set(file, text);
  const final = pass;
  const refused = chooseFixes(final.findings, selection, scope).flatMap((c): RefusedFix[] => {
    const refusal = { ruleId: c.finding.ruleId, kind: c.kind, description: c.fix.description, location: c.finding.location };
    const outside = outsideScope(c.fix, scope);
    if (outside.length) {
      const reason =
        `it would edit ${outside.join(', ')}, which is not this target's (ctcr fix edits only ${scope!.describe}: ` +
        `a shared include would change for every container that includes it), and the rule offers no fix in the target's own config: ` +
        `change the shared file yourself if every container that includes it should change, or include a copy kept in the target's folder`;
      return [{ ...refusal, rootfsOps: [], files: outside, reason }];
    }
    const reason = rootfsUnavailable(c, final);
    return reason ? [{ ...refusal, rootfsOps: c.fix.rootfsOps ?? [], files: [], reason }] : [];
  });
  const changedFiles = [...original.keys()].filter((f) => texts.has(f) && texts.get(f) !== original.get(f));
  return { original, texts, changedFiles, rootfsOps: ops, applied, final, passes, warnings, refused };
}

/** Why `c`'s rootfs operations cannot be done on this pass's rootfs, or undefined when they can (or it has none). */
function rootfsUnavailable(c: Candidate, pass: LintPass): string | undefined {
  if (!c.fix.rootfsOps?.length || pass.rootfs?.kind === 'dir') return undefined;
  if (pass.rootfs?.kind === 'image') return `the rootfs is an image (${pass.rootfs.location}), which ctcr does not modify: do it where the image is built`;
  return 'no rootfs directory is known for this target (--rootfs DIR names one)';
}

function describeCycle(applied: readonly AppliedFix[], lastPass: number): string {
  const recent = applied.filter((a) => a.pass >= lastPass - 1);
  return [...new Set(recent.map((a) => `${a.ruleId} (${a.description})`))].join(', ');
}

/**
 * What the rootfs looks like once `ops` are done, for the re-lint: a renamed
 * path is absent, its new name answers as the old one did. Paths that reach
 * the old name through a symlink are taken as absent too (the rule asked
 * about what the container would run, and that is gone).
 */
export function simulateRootfsOps<T extends { paths: RootfsFacts['paths'] }>(rootfs: T, ops: readonly RootfsOperation[]): T {
  if (ops.length === 0) return rootfs;
  const paths = { ...rootfs.paths };
  for (const op of ops) {
    const before = paths[op.from] ?? null;
    const real = before?.realPath ?? op.from;
    for (const [asked, entry] of Object.entries(paths)) {
      if (asked === op.from || (entry && (entry.realPath === real || entry.realPath.startsWith(real + '/')))) paths[asked] = null;
    }
    if (op.to in paths) paths[op.to] = before ? { ...before, path: op.to, realPath: op.to } : null;
  }
  return { ...rootfs, paths };
}
