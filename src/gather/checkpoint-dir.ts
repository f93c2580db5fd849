/**
 * Facts about a checkpoint directory before a dump or a restore: LXC refuses
 * to dump into a directory that already holds `inventory.img`, and a
 * `tty.info` there means the container was dumped with a console.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointDirFacts } from '../types.js';
import { describeError } from './exec.js';

/** Never throws: what cannot be read is said in `error`. */
export async function gatherCheckpointDir(dir: string): Promise<CheckpointDirFacts> {
  const dirPath = path.resolve(dir);
  const facts: CheckpointDirFacts = { path: dirPath, exists: false, hasInventory: false, hasTtyInfo: false };
  try {
    const s = await stat(dirPath);
    facts.exists = true;
    facts.isDirectory = s.isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') facts.error = `${dirPath}: ${describeError(err)}`;
    return facts;
  }
  if (!facts.isDirectory) return facts;
  const [inventory, ttyInfo] = await Promise.all(['inventory.img', 'tty.info'].map(async (name) => {
    try {
      await stat(path.join(dirPath, name)); // LXC tests existence (stat), whatever the type
      return { present: true };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { present: false, error: code === 'ENOENT' ? undefined : `${path.join(dirPath, name)}: ${describeError(err)}` };
    }
  }));
  facts.hasInventory = inventory.present;
  facts.hasTtyInfo = ttyInfo.present;
  const errors = [inventory.error, ttyInfo.error].filter((e): e is string => e !== undefined);
  if (errors.length) facts.error = errors.join('; ');
  return facts;
}
