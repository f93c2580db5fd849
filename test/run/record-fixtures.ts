/**
 * Records the facts fixtures of the command-builder tests from a real lab
 * container (not a test: run it by hand, as root, on the lab machine):
 *
 *   node dist/test/run/record-fixtures.js NAME LXCPATH OUT.json [dump|restore] [note]
 *
 * It runs the same pre-checkpoint doctor `ctcr checkpoint` runs and writes
 * its snapshot and findings, with the machine it came from.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { loadRules } from '../../src/engine/load-rules.js';
import { resolveAssumptions } from '../../src/engine/assumptions.js';
import { preflight } from '../../src/run/preflight.js';

const [name, lxcpath, out, action = 'dump', note = ''] = process.argv.slice(2);
if (!name || !lxcpath || !out) {
  process.stderr.write('usage: node dist/test/run/record-fixtures.js NAME LXCPATH OUT.json [dump|restore] [note]\n');
  process.exit(2);
}
const rules = await loadRules();
const checked = await preflight({
  name,
  lxcpath,
  dir: `/tmp/ctcr-record-${process.pid}`,
  action: action === 'restore' ? 'restore' : 'dump',
  env: process.env,
  timeoutMs: 5000,
  setup: { rules, levels: {}, assumptions: resolveAssumptions(undefined, undefined) },
});
const fixture = {
  source: `recorded by test/run/record-fixtures.ts on ${os.release()} (${new Date().toISOString().slice(0, 10)}): ${note}`,
  snapshot: checked.snapshot,
  findings: checked.findings,
};
writeFileSync(out, JSON.stringify(fixture, null, 1) + '\n');
process.stderr.write(`wrote ${out}: ${checked.findings.length} findings, container ${checked.snapshot.container?.state}\n`);
