/**
 * node:test helpers for tests that need the real LXC + CRIU lab.
 *
 *   labTest('name', async (t, lab) => {
 *     await withContainer(t, async (c) => { ... c.name, c.configPath, c.initPid ... });
 *   });
 *
 * When the lab cannot run here (not root, no namespaces, ...) the test is
 * skipped with the reason, printed to stderr as well so CI logs show it. With
 * CI=true as root the lab must run: then "cannot run" is a failure, not a skip.
 */
import { test, type TestContext } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createContainer, destroyContainer, ensureLab, labCanRun, LAB_TMP,
  type CreateOptions, type LabContainer, type LabInfo,
} from '../../lab/index.js';

const inCI = () => process.env.CI === 'true' || process.env.CI === '1';

/** Why lab tests cannot run here, or undefined when they can. Throws when they must run (CI=true as root). */
export function labSkipReason(): string | undefined {
  const can = labCanRun();
  if (can.ok) return undefined;
  if (inCI() && process.geteuid?.() === 0) throw new Error(`CI=true as root, but the lab cannot run: ${can.reason}`);
  return can.reason;
}

export function labTest(
  name: string,
  fn: (t: TestContext, lab: LabInfo) => Promise<void>,
  opts: { timeout?: number; todo?: string } = {},
): Promise<void> {
  return test(name, { timeout: opts.timeout ?? 10 * 60_000, ...(opts.todo ? { todo: opts.todo } : {}) }, async (t) => {
    const reason = labSkipReason();
    if (reason) {
      process.stderr.write(`# SKIP lab test "${name}": ${reason}\n`);
      t.skip(`lab cannot run: ${reason}`);
      return;
    }
    const t0 = performance.now();
    const lab = await ensureLab();
    t.diagnostic(`lab ready in ${ms(performance.now() - t0)} (criu ${lab.criu.version} at ${lab.criuOnPath})`);
    await fn(t, lab);
  });
}

/** A fresh running container with the stock config, destroyed after the test even when it fails. */
export async function withContainer<T>(t: TestContext, fn: (c: LabContainer) => Promise<T>, opts?: CreateOptions): Promise<T> {
  const t0 = performance.now();
  const c = await createContainer(opts);
  t.after(() => destroyContainer(c));
  t.diagnostic(`container ${c.name} created and running in ${ms(performance.now() - t0)} (init PID ${c.initPid})`);
  return fn(c);
}

/** A fresh empty folder under the lab's scratch space, removed after the test. */
export function scratchDir(t: TestContext, prefix = 'ckpt-'): string {
  mkdirSync(LAB_TMP, { recursive: true });
  const dir = mkdtempSync(join(LAB_TMP, prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;
