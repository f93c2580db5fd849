/**
 * Every rule has a page, docs/rules/<id>.md (tools/docs/rule-page.ts): its
 * generated parts are what `npm run docs` writes from the rule module, its
 * hand-written Problem, Corrected and Exceptions sections are not empty, and
 * its examples do what the page says. A static rule's example is a config
 * (```lxc fires / ```lxc passes) or a case as JSON; a live rule's is the facts
 * that show it, as JSON laid over the recorded host and busybox container
 * (test/helpers/live-facts.ts), both through the RuleTester's runCase; a
 * log-only rule's is the CRIU log line (```criu-log fires), which explain
 * must put on the rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { loadRules } from '../../src/engine/load-rules.js';
import type { Rule, Snapshot } from '../../src/types.js';
import { InputError } from '../../src/errors.js';
import { explainCriuLog } from '../../src/criu/log.js';
import { composePage, examplesOf, handPartOf, handSections, HAND_SECTIONS, type PageExample } from '../../tools/docs/rule-page.js';
import { runCase, type RuleCase } from '../helpers/rule-tester.js';
import { asLog } from '../helpers/log-rule-tester.js';
import { SIGNATURES } from '../helpers/signatures.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, sourceNeeds } from '../helpers/move-facts.js';
import type { MachineFacts, SourceNeeds } from '../../src/migrate/facts-types.js';
import { REPO } from '../helpers/cli.js';

const rules = await loadRules();
const PAGES = path.join(REPO, 'docs', 'rules');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * `patch` over `base`: objects merge, arrays and scalars replace, a key `name+` appends its array to base's `name`;
 * a gathered fact written whole (`{ "ok": ... }`) replaces the recorded one.
 */
export function overlay(base: unknown, patch: Json): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || base === null || typeof base !== 'object' || Array.isArray(base)) return patch;
  if ('ok' in patch) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (k.endsWith('+') && Array.isArray(v)) {
      const key = k.slice(0, -1);
      out[key] = [...((out[key] as unknown[] | undefined) ?? []), ...v];
    } else out[k] = overlay(out[k], v);
  }
  return out;
}

/** The RuleCase an example stands for. */
function caseOf(rule: Rule, ex: PageExample): RuleCase {
  if (rule.scope === 'target') return targetCaseOf(ex);
  // A suppression is unused only when the rule it names ran (issue 14.4): its examples run beside every rule, as lint does.
  if (rule.id === 'unused-suppression' && ex.lang === 'lxc') return { config: ex.text, alsoRun: rules };
  if (ex.lang === 'lxc') return rule.scope === 'live' ? { config: ex.text, host: host(), container: busybox(), purpose: 'doctor' } : { config: ex.text };
  assert.equal(ex.lang, 'json', `example language ${ex.lang}: use lxc, json or criu-log`);
  const j = JSON.parse(ex.text) as { [k: string]: Json };
  if (rule.scope !== 'live') return j as unknown as RuleCase;
  // Live facts: laid over the recorded ones, so an example states only what shows the problem.
  return {
    ...(j as unknown as RuleCase),
    config: typeof j.config === 'string' ? j.config : BUSYBOX_CONFIG,
    host: overlay(host(), (j.host ?? {}) as Json) as RuleCase['host'],
    container: overlay(busybox(), (j.container ?? {}) as Json) as RuleCase['container'],
    purpose: (j.purpose as Snapshot['purpose'] | undefined) ?? 'doctor',
  };
}

/**
 * A target rule's example: the facts that differ from a ready move of the recorded busybox container to the recorded target
 * (test/helpers/move-facts.ts): `target` lays over the target's facts, `source` over what the source brings,
 * `targetFactsUnavailable` makes the target's facts unreadable; `host`, `container` and `config` as for live rules.
 */
function targetCaseOf(ex: PageExample): RuleCase {
  const j = (ex.lang === 'json' ? JSON.parse(ex.text) : {}) as { [k: string]: Json };
  const facts = typeof j.targetFactsUnavailable === 'string'
    ? { ok: false as const, reason: j.targetFactsUnavailable }
    : (overlay(readyTarget() as unknown as Json, (j.target ?? {}) as Json) as unknown as MachineFacts);
  return {
    config: ex.lang === 'lxc' ? ex.text : typeof j.config === 'string' ? j.config : BUSYBOX_CONFIG,
    host: overlay(host() as unknown as Json, (j.host ?? {}) as Json) as RuleCase['host'],
    container: overlay(busybox() as unknown as Json, (j.container ?? {}) as Json) as RuleCase['container'],
    move: move(facts, overlay(sourceNeeds() as unknown as Json, (j.source ?? {}) as Json) as unknown as SourceNeeds),
    purpose: 'doctor',
  };
}

async function findingsOf(rule: Rule, ex: PageExample): Promise<{ count: number; said: string }> {
  if (ex.lang === 'criu-log') {
    const d = explainCriuLog(asLog(ex.text.trim()), SIGNATURES).diagnoses[0];
    return { count: d?.ruleId === rule.id ? 1 : 0, said: JSON.stringify(d) };
  }
  try {
    const { findings, dir } = await runCase(rule, caseOf(rule, ex));
    await rm(dir, { recursive: true, force: true });
    return { count: findings.length, said: findings.map((f) => f.message).join('\n') };
  } catch (err) {
    // A file that cannot be read is parse-error's finding (the engine makes it; the rule module only names it).
    if (err instanceof InputError && rule.id === 'parse-error') return { count: 1, said: err.message };
    throw err;
  }
}

const pageFiles = new Set((await readdir(PAGES).catch(() => [] as string[])).filter((f) => f.endsWith('.md') && f !== 'README.md'));

test('every page in docs/rules is the page of a rule', () => {
  const ids = new Set(rules.map((r) => `${r.id}.md`));
  assert.deepEqual([...pageFiles].filter((f) => !ids.has(f)), [], 'pages without a rule');
});

for (const rule of rules) {
  test(`${rule.id}: docs/rules/${rule.id}.md is current, complete, and its examples do what it says`, async () => {
    assert.ok(pageFiles.has(`${rule.id}.md`), `no page docs/rules/${rule.id}.md: run npm run docs and write its Problem, Corrected and Exceptions`);
    const page = await readFile(path.join(PAGES, `${rule.id}.md`), 'utf8');
    const hand = handPartOf(page);
    assert.ok(hand !== undefined, 'the page has no hand-written part (markers missing)');
    assert.equal(page, composePage(rule, hand), 'the generated parts are stale: run npm run docs');
    const sections = handSections(hand);
    assert.deepEqual(sections.map((s) => s.title), [...HAND_SECTIONS], 'hand-written sections, in this order');
    for (const s of sections) {
      const words = s.body.replace(/^```[\s\S]*?^```$/gm, '').trim();
      assert.ok(s.body.trim().length > 20 && (s.title !== 'Exceptions' || words.length > 20), `section ${s.title} is empty`);
    }
    const examples = examplesOf(hand);
    const kind = rule.scope === 'log' ? 'criu-log' : undefined;
    const problem = examples.filter((e) => e.section === 'Problem' && e.expect === 'fires' && (kind ? e.lang === kind : e.lang !== 'criu-log'));
    assert.ok(problem.length > 0, rule.scope === 'log' ? 'Problem has no ```criu-log fires block' : rule.scope === 'live' || rule.scope === 'target' ? 'Problem has no ```json fires block of facts' : 'Problem has no ```lxc fires block');
    if (rule.scope !== 'log') {
      assert.ok(examples.some((e) => e.section === 'Corrected' && e.expect === 'passes' && e.lang !== 'criu-log'), 'Corrected has no ```lxc passes (or ```json passes) block');
    }
    for (const ex of examples) {
      const { count, said } = await findingsOf(rule, ex);
      if (ex.expect === 'fires') assert.ok(count > 0, `a ${ex.section} example says it fires, and ${rule.id} does not:\n${ex.text}`);
      else assert.equal(count, 0, `a ${ex.section} example says it passes, and ${rule.id} fires:\n${ex.text}\n${said}`);
    }
  });
}
