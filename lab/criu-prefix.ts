/**
 * A CRIU unpacked with its own suite's libc into a private prefix, run through
 * that prefix's dynamic loader. Why: newer CRIU needs a newer glibc than the
 * machine has, and upgrading the system libc is not ours to do. The loader's
 * --library-path (not LD_LIBRARY_PATH) applies to criu alone, so the tools criu
 * runs (ip, iptables-restore) still use the system's libraries.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { elfInterpreter } from './elf.js';
import { runOk } from './exec.js';
import { WRAPPER_MARKER } from './paths.js';

export interface CriuPrefix {
  prefix: string;
  binary: string;
  loader: string;
  libraryPath: string[];
  /** The wrapper script inside the prefix: exactly what gets installed as `criu`. */
  wrapper: string;
}

export async function unpack(debs: string[], prefix: string): Promise<void> {
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  for (const deb of debs) await runOk('dpkg', ['-x', deb, prefix], { timeoutMs: 120_000 });
}

/** Resolves `rel` inside the prefix, following relative symlinks only (an absolute one would leave it). */
function fileInPrefix(prefix: string, rel: string): string | undefined {
  let p = join(prefix, rel);
  for (let i = 0; i < 10; i++) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return undefined;
    }
    if (st.isFile()) return p;
    if (!st.isSymbolicLink()) return undefined;
    const target = readlinkSync(p);
    if (posix.isAbsolute(target)) p = join(prefix, target);
    else p = join(dirname(p), target);
  }
  return undefined;
}

/** Library folders: wherever the suite put libc (lib/<triplet> or usr/lib/<triplet>), plus its usr/ twin. */
function libraryDirs(prefix: string): string[] {
  const dirs: string[] = [];
  for (const base of ['lib', 'usr/lib']) {
    const b = join(prefix, base);
    if (!existsSync(b)) continue;
    for (const sub of readdirSync(b)) {
      if (fileInPrefix(prefix, join(base, sub, 'libc.so.6'))) {
        for (const d of [join(prefix, 'lib', sub), join(prefix, 'usr/lib', sub)]) {
          if (existsSync(d) && !lstatSync(d).isSymbolicLink() && !dirs.includes(d)) dirs.push(d);
        }
      }
    }
  }
  return dirs;
}

export function locate(prefix: string): CriuPrefix {
  const binary = fileInPrefix(prefix, 'usr/sbin/criu') ?? fileInPrefix(prefix, 'sbin/criu');
  if (!binary) throw new Error(`no criu binary in ${prefix}`);
  const interp = elfInterpreter(binary);
  if (!interp) throw new Error(`${binary} has no ELF interpreter`);
  const libraryPath = libraryDirs(prefix);
  if (!libraryPath.length) throw new Error(`no libc.so.6 in ${prefix}`);
  const loader =
    fileInPrefix(prefix, interp) ??
    libraryPath.map((d) => join(d, posix.basename(interp))).find((p) => existsSync(p) && lstatSync(p).isFile());
  if (!loader) throw new Error(`loader ${interp} not found in ${prefix}`);
  return { prefix, binary, loader, libraryPath, wrapper: join(prefix, 'criu') };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function wrapperText(p: CriuPrefix, note: string): string {
  return [
    '#!/bin/sh',
    WRAPPER_MARKER,
    `# ${note}`,
    '# Runs criu with its own libc through the prefix\'s loader; `npm run lab -- down` removes it.',
    `exec ${q(p.loader)} --library-path ${q(p.libraryPath.join(':'))} ${q(p.binary)} "$@"`,
    '',
  ].join('\n');
}

export function writeWrapper(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}
