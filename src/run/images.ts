/**
 * What the runner reads and writes in a checkpoint directory: the file
 * names (the restore's builder looks for TCP streams), the images' total
 * size, CRIU's stats files, and ctcr's record of a dump.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DUMP_RECORD_FILE, RESTORE_PIDFILE, type DumpRecord } from '../criu/command.js';
import { parseStatsImage, type CriuStats } from '../criu/stats.js';

/** File names in `dir`, sorted; none when it does not exist or cannot be read. */
export async function listImages(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Files in a checkpoint directory that are not images: logs, ctcr's record, the pid file. */
function isImage(name: string): boolean {
  return !name.endsWith('.log') && name !== DUMP_RECORD_FILE && name !== RESTORE_PIDFILE && !name.endsWith('.conf');
}

/** Bytes of the images in `dir` (regular files, not the logs). */
export async function imageBytes(dir: string): Promise<number> {
  const names = (await listImages(dir)).filter(isImage);
  const sizes = await Promise.all(
    names.map((n) =>
      stat(path.join(dir, n)).then(
        (s) => (s.isFile() ? s.size : 0),
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** CRIU's stats of `action` in `dir`, or why there are none: stats are a report, never a reason to fail. */
export async function readStatsFile(dir: string, action: 'dump' | 'restore'): Promise<{ stats?: CriuStats; problem?: string }> {
  const file = path.join(dir, `stats-${action}`);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    return { problem: `${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not written' : (err as Error).message}` };
  }
  try {
    return { stats: parseStatsImage(buf) };
  } catch (err) {
    return { problem: `${file}: ${(err as Error).message}` };
  }
}

export async function writeDumpRecord(dir: string, record: DumpRecord): Promise<void> {
  await writeFile(path.join(dir, DUMP_RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
}

/** ctcr's record of the dump in `dir`; undefined when the dump was not ctcr's (or the file is not one). */
export async function readDumpRecord(dir: string): Promise<DumpRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, DUMP_RECORD_FILE), 'utf8')) as DumpRecord;
    if (!parsed || !Array.isArray(parsed.options)) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

/** The PID criu wrote with --pidfile, or undefined. */
export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
