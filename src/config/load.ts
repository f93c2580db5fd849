/**
 * Reads a container config and everything it includes (a gatherer: it
 * touches the file system, nothing after it does).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigEntry, IncludeRef, Location, LxcConfig, LxcDocument } from '../types.js';
import { InputError } from '../errors.js';
import { parseLxcDocument } from './lxc-document.js';

/**
 * Configs, includes and fstabs are a few KiB: read synchronously. An async
 * read is four thread-pool round trips (open, fstat, read, close), which cost
 * more than the read itself; over a fleet of 1,000 configs that was a third
 * of `ctcr lint`'s time (BENCHMARKS.md).
 *
 * Only regular files are read, and at most TEXT_FILE_CAP bytes of them
 * (issue 15.6: a FIFO as a config or include hung the run; an include of
 * /dev/zero grew until the process aborted). O_NONBLOCK makes the open of a
 * FIFO return at once, so fstat can say what it is before any read.
 */
export async function readTextFile(file: string, from?: { file: string; line: number; column: number }): Promise<string> {
  return readRegularFile(file, TEXT_FILE_CAP, from ?? { file }).toString('utf8');
}

/** The largest config, include or fstab read: 16 MiB, a thousand times a large real one. */
export const TEXT_FILE_CAP = 16 * 1024 * 1024;

/** Opens `file` without blocking, only when it is a regular file (or, with `allowDirectory`, a directory). The caller closes the fd. */
export function openRegular(file: string, where: Partial<Location>, allowDirectory = false): { fd: number; size: number; isDirectory: boolean } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${describeFsError(err)}`, where);
  }
  const info = fstatSync(fd);
  if (info.isFile() || (allowDirectory && info.isDirectory())) return { fd, size: info.size, isDirectory: info.isDirectory() };
  closeSync(fd);
  throw new InputError(`cannot read ${file}: ${describeFileType(info)}, not a regular file`, where);
}

/** What a non-regular file is, in words. */
export function describeFileType(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}

/** A regular file's bytes, refused past `cap` (read until EOF, up to cap + 1: a size of 0, as in /proc, is no promise). */
export function readRegularFile(file: string, cap: number, where: Partial<Location>, kind = 'a config, include or fstab'): Buffer {
  const { fd, size } = openRegular(file, where);
  const tooBig = (what: string) => new InputError(`cannot read ${file}: ${what} than the ${formatCap(cap)} ctcr reads of ${kind}`, where);
  try {
    if (size > cap) throw tooBig(`${size} bytes, more`);
    let buf = Buffer.alloc(Math.min(cap + 1, Math.max(size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > cap) throw tooBig('more');
        const bigger = Buffer.alloc(Math.min(cap + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, buf, length, buf.length - length, null);
      } catch (err) {
        throw new InputError(`cannot read ${file}: ${describeFsError(err)}`, where);
      }
      if (n === 0) return buf.subarray(0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
}

const formatCap = (cap: number) => (cap % (1024 * 1024) === 0 ? `${cap / (1024 * 1024)} MiB` : `${cap} bytes`);

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a path component is not a directory';
    default: return (err as Error)?.message ?? String(err);
  }
}

/** Resolves an include's path: absolute as written, relative to the including file's folder. */
export function includeTarget(entry: ConfigEntry): string {
  return path.resolve(path.dirname(entry.file), entry.value);
}

export interface LoadOptions {
  /** Texts to read instead of the files' contents (absolute path -> text): the fixer re-lints its result in memory. */
  overlay?: ReadonlyMap<string, string>;
}

export async function loadLxcConfig(configPath: string, options: LoadOptions = {}): Promise<LxcConfig> {
  const main = path.resolve(configPath);
  const documents: LxcDocument[] = [];
  const includes: IncludeRef[] = [];
  const entries: ConfigEntry[] = [];

  async function read(file: string, stack: string[], from?: ConfigEntry): Promise<void> {
    if (stack.includes(file)) {
      const chain = [...stack.slice(stack.indexOf(file)), file].map((f) => path.basename(f)).join(' -> ');
      throw new InputError(`lxc.include cycle: ${chain}`, from);
    }
    const doc = parseLxcDocument(file, options.overlay?.get(file) ?? (await readTextFile(file, from)));
    documents.push(doc);
    for (const entry of doc.entries) {
      entries.push(entry);
      if (entry.key !== 'lxc.include' || entry.value === '') continue;
      const ref = await resolveInclude(entry);
      includes.push(ref);
      for (const f of ref.files) await read(f, [...stack, file], entry);
    }
  }

  await read(main, []);
  return { path: main, documents, entries, includes };
}

async function resolveInclude(entry: ConfigEntry): Promise<IncludeRef> {
  const target = includeTarget(entry);
  let info;
  try {
    info = statSync(target);
  } catch {
    return { entry, target, kind: 'missing', files: [] };
  }
  if (!info.isDirectory() && !entry.value.endsWith('/')) return { entry, target, kind: 'file', files: [target] };
  // LXC includes every `*.conf` (name at least 6 characters) in readdir order,
  // which the file system decides; sorting makes the result reproducible.
  let all: string[];
  try {
    all = await readdir(target);
  } catch (err) {
    // LXC fails the load too: a value ending in '/' names a directory it must open.
    throw new InputError(`cannot read included directory ${target}: ${describeFsError(err)}`, entry);
  }
  const names = all.filter((n) => n.length >= 6 && n.endsWith('.conf')).sort();
  return { entry, target, kind: 'dir', files: names.map((n) => path.join(target, n)) };
}
