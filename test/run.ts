/**
 * `npm test`: every *.test.js file under dist/test (or under the folders named as arguments, relative to it) with Node's test runner, one
 * file at a time (the lab-backed files share one lab). A lab that the tests
 * brought up is torn down afterwards, so a run leaves nothing behind; one
 * that was up before is left as it was. Ends with a plain count line.
 */
import { spawn } from 'node:child_process';
import fg from 'fast-glob';
import { fileURLToPath } from 'node:url';
import { readState } from '../lab/state.js';
import { labDown } from '../lab/index.js';

const testDir = fileURLToPath(new URL('./', import.meta.url));
const started = Date.now();
const labWasUp = readState() !== undefined;
// Only *.test.js: Node would otherwise run every .js under a folder named test, helpers and this file included.
const patterns = process.argv.slice(2).length ? process.argv.slice(2).map((p) => (p.endsWith('.js') ? p : `${p.replace(/\/$/, '')}/**/*.test.js`)) : ['**/*.test.js'];
const files = (await fg(patterns, { cwd: testDir, absolute: true })).sort();
const args = ['--test', '--test-concurrency=1', ...files];

const counts = { pass: 0, fail: 0, skipped: 0 };
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let pending = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^# (pass|fail|skipped) (\d+)$/.exec(line);
    if (m) counts[m[1] as keyof typeof counts] = Number(m[2]);
  }
});
const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));

const state = readState();
if (!labWasUp && state) {
  const t = Date.now();
  await labDown();
  const up = state.upMs !== undefined ? `, up took ${(state.upMs / 1000).toFixed(1)} s` : '';
  console.log(`lab: brought up by this run${up}; torn down in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
console.log(`tests: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
console.log(`${counts.pass} passed, ${counts.fail} failed, ${counts.skipped} skipped`);
process.exitCode = code;
