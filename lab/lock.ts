/**
 * A cross-process lock: test files run in parallel processes and must not run
 * apt, create the bridge or pick CRIU at the same time. The lock file holds the
 * owner's PID, so a lock left by a crashed process is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { LAB_LOCK } from './paths.js';
import { isProcessAlive } from '../src/util/process.js';

let depth = 0; // re-entrant within one process

export async function withLabLock<T>(fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  if (depth > 0) {
    depth++;
    try {
      return await fn();
    } finally {
      depth--;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LAB_LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(LAB_LOCK, 'utf8').trim());
      } catch {
        continue; // released meanwhile
      }
      if (Number.isInteger(owner) && owner > 0 && !isProcessAlive(owner)) {
        try {
          unlinkSync(LAB_LOCK);
        } catch {
          /* someone else took it over */
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lab lock ${LAB_LOCK} held by PID ${owner} for too long`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  depth = 1;
  try {
    return await fn();
  } finally {
    depth = 0;
    try {
      unlinkSync(LAB_LOCK);
    } catch {
      /* already gone */
    }
  }
}
