/**
 * RuleTester, in the style of ESLint's: a case is a fixture of recorded facts
 * (config files, an fstab, a rootfs layout, live host and container facts)
 * plus the findings expected. `valid` cases must produce no finding;
 * `invalid` ones exactly the listed findings, in order, and, where given, the
 * text their fixes and suggestions produce.
 *
 * The files are written to a temporary folder and read by the real
 * gatherer, so a case exercises the same path as `ctcr lint`.
 *
 * As ESLint's RuleTester does with `meta`, every finding is held to what its
 * rule declares: a message id of `messages` (and each expected finding must
 * name it), a fix only when `fixable`, suggestions only when `hasSuggestions`,
 * a message on one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckpointDirFacts, ContainerFacts, Finding, Fix, HostFacts, Rule, Severity, Snapshot } from '../../src/types.js';
import { gatherStatic } from '../../src/gather/static.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { applyFixes } from '../../src/fix/apply-edits.js';
import { requireVersion } from '../../src/engine/assumptions.js';

/** A rootfs layout: path -> 'file' | 'dir' | { symlink: target }. */
export type RootfsLayout = Record<string, 'file' | 'dir' | { symlink: string }>;

export interface RuleCase {
  /** Shown in the test name. */
  name?: string;
  /** The main config's text (written to `config`). */
  config?: string;
  /** More files beside it, by relative path (an fstab, included files...). */
  files?: Record<string, string>;
  /** A rootfs directory to create and inspect (as `--rootfs`). */
  rootfs?: RootfsLayout;
  criuVersion?: string;
  lxcVersion?: string;
  /** Treat the target as a container directory (its rootfs is expected). */
  containerDir?: boolean;
  /** Recorded live facts. */
  host?: HostFacts;
  container?: ContainerFacts;
  checkpointDir?: CheckpointDirFacts;
  /** A migration's target facts (the `target` rules). */
  move?: import('../../src/migrate/facts-types.js').MoveFacts;
  purpose?: Snapshot['purpose'];
  /** Rules evaluated beside the one under test (their findings are not the case's): what a suppression of them needs to count as used or unused. */
  alsoRun?: Rule[];
}

/** One suggestion of a finding, applied alone. */
export interface ExpectedSuggestion {
  /** Its description (exact, or a pattern). */
  desc?: string | RegExp;
  /** Files after applying only this suggestion (by relative name). */
  output: Record<string, string>;
}

export interface ExpectedFinding {
  /** The message id (required when the rule declares `messages`). */
  messageId?: string;
  /** Relative file name ('config', 'fstab', ...) or, for live findings, the location's file as reported. */
  file?: string;
  line?: number;
  column?: number;
  message?: string | RegExp;
  severity?: Severity;
  /** The finding's suggestions, in order, each with the text it alone produces. */
  suggestions?: ExpectedSuggestion[];
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
  /** Files after applying every finding's `fix` (by relative name). `null`: the rule offers no fix. */
  output?: Record<string, string> | null;
  /** Files after applying every finding's suggestions. `null`: no suggestion. */
  suggestionOutput?: Record<string, string> | null;
  /** Rootfs operations the fixes and suggestions carry, as `op from -> to`. */
  rootfsOps?: string[];
}

async function writeCase(dir: string, c: RuleCase): Promise<void> {
  const files = { ...(c.config !== undefined ? { config: c.config } : {}), ...(c.files ?? {}) };
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  if (c.rootfs) {
    const root = path.join(dir, 'rootfs');
    await mkdir(root, { recursive: true });
    // Parents first, so links and files land in existing folders.
    for (const [p, kind] of Object.entries(c.rootfs).sort(([a], [b]) => a.length - b.length)) {
      const target = path.join(root, p);
      await mkdir(path.dirname(target), { recursive: true });
      if (kind === 'dir') await mkdir(target, { recursive: true });
      else if (kind === 'file') await writeFile(target, '');
      else await symlink(kind.symlink, target);
    }
  }
}

export async function runCase(rule: Rule, c: RuleCase): Promise<{ findings: Finding[]; dir: string; snapshot: Snapshot }> {
  const dir = await mkdtemp(path.join(tmpdir(), `ctcr-${rule.id}-`));
  await writeCase(dir, c);
  const snapshot = await gatherStatic(
    {
      label: dir,
      configPath: c.config !== undefined ? path.join(dir, 'config') : undefined,
      rootfsDir: c.rootfs ? path.join(dir, 'rootfs') : undefined,
      expectRootfs: c.containerDir ?? false,
    },
    {
      rootfsPaths: rule.rootfsPaths ?? [],
      assumptions: { criuVersion: requireVersion(c.criuVersion ?? '4.2', 'criu'), lxcVersion: requireVersion(c.lxcVersion ?? '6.0', 'lxc'), ...(c.lxcVersion === undefined ? { lxcVersionDefaulted: true } : {}) },
      purpose: c.purpose ?? (c.host || c.container || c.move ? 'doctor' : 'lint'),
    },
  );
  if (c.host) snapshot.host = c.host;
  if (c.container) snapshot.container = c.container;
  if (c.checkpointDir) snapshot.checkpointDir = c.checkpointDir;
  if (c.move) snapshot.move = c.move;
  const findings = evaluate([rule, ...(c.alsoRun ?? []).filter((r) => r.id !== rule.id)], snapshot).filter((f) => f.ruleId === rule.id);
  return { findings, dir, snapshot };
}

function relative(dir: string, file: string): string {
  return file.startsWith(dir + path.sep) ? path.relative(dir, file) : file;
}

function describeFindings(dir: string, findings: Finding[]): string {
  return findings.map((f) => `${relative(dir, f.location.file)}:${f.location.line}:${f.location.column} ${f.severity} ${f.message}`).join('\n');
}

async function outputOf(dir: string, snapshot: Snapshot, fixes: Fix[]): Promise<Record<string, string>> {
  const texts = new Map<string, string>();
  for (const d of snapshot.config?.documents ?? []) texts.set(d.path, d.text);
  for (const f of snapshot.fstabs) if (f.text !== undefined) texts.set(f.path, f.text);
  const out: Record<string, string> = {};
  for (const [file, text] of texts) {
    const groups = fixes.map((fix) => ({ fix, edits: fix.edits.filter((e) => e.file === file) }));
    const result = applyFixes(text, groups);
    if (result.text !== text) out[relative(dir, file)] = result.text;
  }
  return out;
}

/** What any finding of `rule` must satisfy, whatever the case: the contract of its declared meta. */
export function assertDeclaredMeta(rule: Rule, f: Finding, label = 'finding'): void {
  assert.ok(!/[\r\n]/.test(f.message), `${label}: the message must be one line (the why belongs in the rule's docs): ${JSON.stringify(f.message)}`);
  if (rule.messages) {
    assert.ok(f.messageId !== undefined, `${label}: no messageId, and ${rule.id} declares messages (${Object.keys(rule.messages).join(', ')})`);
    assert.ok(Object.hasOwn(rule.messages, f.messageId), `${label}: messageId '${f.messageId}' is not one of ${rule.id}'s messages (${Object.keys(rule.messages).join(', ')})`);
  }
  if (f.fix) assert.ok(rule.fixable, `${label}: a fix, but ${rule.id} does not declare fixable`);
  if (f.suggestions?.length) assert.ok(rule.hasSuggestions, `${label}: suggestions, but ${rule.id} does not declare hasSuggestions`);
}

/** One expected finding against the one found in its place (`n`: its 1-based position). */
export function assertExpected(rule: Rule, dir: string, want: ExpectedFinding, got: Finding, n: number): void {
  if (rule.messages) assert.ok(want.messageId !== undefined, `expected finding ${n}: give its messageId (${rule.id} declares messages: ${Object.keys(rule.messages).join(', ')})`);
  if (want.messageId !== undefined) assert.equal(got.messageId, want.messageId, `finding ${n}: messageId`);
  if (want.file !== undefined) assert.equal(relative(dir, got.location.file), want.file, `finding ${n}: file`);
  if (want.line !== undefined) assert.equal(got.location.line, want.line, `finding ${n}: line`);
  if (want.column !== undefined) assert.equal(got.location.column, want.column, `finding ${n}: column`);
  if (want.severity !== undefined) assert.equal(got.severity, want.severity, `finding ${n}: severity`);
  if (typeof want.message === 'string') assert.equal(got.message, want.message, `finding ${n}: message`);
  else if (want.message) assert.match(got.message, want.message, `finding ${n}: message`);
}

/** Set CTCR_RECORD_FINDINGS=FILE to append, per invalid case, the ids and fix kinds its findings carry (JSON lines): for tooling, never for assertions. */
let runCalls = 0;
async function record(rule: Rule, run: number, index: number, findings: Finding[]): Promise<void> {
  const file = process.env.CTCR_RECORD_FINDINGS;
  if (!file) return;
  const { appendFile } = await import('node:fs/promises');
  const line = { file: process.argv.find((a) => a.endsWith('.test.js')), run, rule: rule.id, case: index, findings: findings.map((f) => ({ messageId: f.messageId ?? null, fix: !!f.fix, suggestions: f.suggestions?.length ?? 0 })) };
  await appendFile(file, JSON.stringify(line) + '\n');
}

export class RuleTester {
  run(rule: Rule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
    const runIndex = runCalls++;
    // Every rule must show both sides: cases that fire and cases that must not.
    test(`${rule.id} has valid and invalid cases`, () => {
      assert.ok(cases.valid.length > 0, 'no valid case');
      assert.ok(cases.invalid.length > 0, 'no invalid case');
    });
    const names = new Set<string>();
    const label = (kind: string, c: RuleCase, i: number) => {
      const name = `${rule.id} ${kind} #${i + 1}${c.name ? `: ${c.name}` : ''}`;
      assert.ok(!names.has(name), `duplicate case name ${name}`);
      names.add(name);
      return name;
    };
    cases.valid.forEach((c, i) => {
      test(label('valid', c, i), async () => {
        const { findings, dir } = await runCase(rule, c);
        try {
          assert.equal(findings.length, 0, `expected no finding, got:\n${describeFindings(dir, findings)}`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    });
    cases.invalid.forEach((c, i) => {
      test(label('invalid', c, i), async () => {
        assert.ok(c.errors.length > 0, 'an invalid case must expect at least one finding');
        const { findings, dir, snapshot } = await runCase(rule, c);
        try {
          await record(rule, runIndex, i, findings);
          findings.forEach((f, j) => assertDeclaredMeta(rule, f, `finding ${j + 1}`));
          assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${describeFindings(dir, findings)}`);
          c.errors.forEach((want, j) => assertExpected(rule, dir, want, findings[j], j + 1));
          for (const [j, want] of c.errors.entries()) {
            if (!want.suggestions) continue;
            const got = findings[j].suggestions ?? [];
            assert.equal(got.length, want.suggestions.length, `finding ${j + 1}: number of suggestions`);
            for (const [k, s] of want.suggestions.entries()) {
              if (typeof s.desc === 'string') assert.equal(got[k].description, s.desc, `finding ${j + 1}, suggestion ${k + 1}: description`);
              else if (s.desc) assert.match(got[k].description, s.desc, `finding ${j + 1}, suggestion ${k + 1}: description`);
              assert.deepEqual(await outputOf(dir, snapshot, [got[k]]), s.output, `finding ${j + 1}, suggestion ${k + 1}: text after it alone`);
            }
          }
          const fixes = findings.flatMap((f) => (f.fix ? [f.fix] : []));
          if (c.output === null) assert.equal(fixes.length, 0, 'expected no fix');
          else if (c.output !== undefined) assert.deepEqual(await outputOf(dir, snapshot, fixes), c.output, 'text after fixes');
          const suggestions = findings.flatMap((f) => f.suggestions ?? []);
          if (c.suggestionOutput === null) assert.equal(suggestions.length, 0, 'expected no suggestion');
          else if (c.suggestionOutput !== undefined) assert.deepEqual(await outputOf(dir, snapshot, suggestions), c.suggestionOutput, 'text after suggestions');
          // As ESLint 9's RuleTester: suggestions a case produces must be tested (their text, or their rootfs operations).
          const textSuggestions = suggestions.filter((x) => x.edits.length > 0);
          if (textSuggestions.length > 0) {
            assert.ok(c.suggestionOutput !== undefined || c.errors.some((e) => e.suggestions), 'the findings carry suggestions: give suggestionOutput or errors[].suggestions');
          }
          if (c.rootfsOps !== undefined) {
            const ops = [...fixes, ...suggestions].flatMap((f) => f.rootfsOps ?? []).map((o) => `${o.op} ${o.from} -> ${o.to}`);
            assert.deepEqual(ops, c.rootfsOps, 'rootfs operations');
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    });
  }
}
