/**
 * Reads a container config and everything it includes (a gatherer: it
 * touches the file system, nothing after it does).
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigEntry, IncludeRef, LxcConfig, LxcDocument } from '../types.js';
import { InputError } from '../errors.js';
import { parseLxcDocument } from './lxc-document.js';

/**
 * Configs, includes and fstabs are a few KiB: read synchronously. An async
 * read is four thread-pool round trips (open, fstat, read, close), which cost
 * more than the read itself; over a fleet of 1,000 configs that was a third
 * of `ctcr lint`'s time (BENCHMARKS.md).
 */
export async function readTextFile(file: string, from?: { file: string; line: number; column: number }): Promise<string> {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${describeFsError(err)}`, from ?? { file });
  }
}

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
