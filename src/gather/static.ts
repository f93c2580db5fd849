/**
 * Gathers the static facts of one target: its config with includes, its
 * fstab, its mounts and its root filesystem. Everything here reads files;
 * nothing after it does.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Assumptions, FstabFacts, LxcConfig, Snapshot } from '../types.js';
import { loadLxcConfig, readTextFile } from '../config/load.js';
import { configMounts } from '../config/mounts.js';
import { lastEntry, rootfsLocation } from '../config/query.js';
import { readRootfsDir, readRootfsImage } from '../rootfs/index.js';

export interface StaticTarget {
  /** What the user named (for messages). */
  label: string;
  configPath?: string;
  /** Root filesystem directory given explicitly (`--rootfs`) or found beside the config. */
  rootfsDir?: string;
  /** Root filesystem image (`--image`). */
  image?: string;
  /** True when the target is a container directory: its rootfs is expected to be there. */
  expectRootfs: boolean;
}

export interface GatherOptions {
  rootfsPaths: readonly string[];
  assumptions: Assumptions;
  purpose: Snapshot['purpose'];
  /** Texts to read instead of the files' contents (absolute path -> text): the fixer re-lints its result in memory. */
  overlay?: ReadonlyMap<string, string>;
}

/**
 * A synchronous stat: cheaper than a thread-pool round trip, and a missing
 * path (the usual answer for a rootfs a CI checkout lacks) costs no Error
 * object and no rejected promise (BENCHMARKS.md).
 */
function statOrNull(p: string) {
  try {
    return statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}
async function isDir(p: string): Promise<boolean> {
  return statOrNull(p)?.isDirectory() ?? false;
}
async function isFile(p: string): Promise<boolean> {
  return statOrNull(p)?.isFile() ?? false;
}

/**
 * The fstab a config names, read. An absolute path that is not there (a
 * config copied off its host) falls back to a file of the same name beside
 * the config, which is how container directories are usually shipped.
 */
async function readFstabs(config: LxcConfig, overlay?: ReadonlyMap<string, string>): Promise<FstabFacts[]> {
  const entry = lastEntry(config, 'lxc.mount.fstab');
  if (!entry || entry.value === '') return [];
  const declared = path.resolve(path.dirname(entry.file), entry.value);
  const beside = path.join(path.dirname(config.path), path.basename(declared));
  for (const candidate of declared === beside ? [declared] : [declared, beside]) {
    if (await isFile(candidate)) return [{ path: candidate, text: overlay?.get(candidate) ?? (await readTextFile(candidate, entry)), missing: false, entry }];
  }
  return [{ path: declared, missing: true, entry }];
}

async function gatherRootfs(target: StaticTarget, config: LxcConfig | undefined, paths: readonly string[]): Promise<Pick<Snapshot, 'rootfs' | 'rootfsProblem'>> {
  if (target.image) return { rootfs: await readRootfsImage(target.image, paths) };
  if (target.rootfsDir) {
    if (!(await isDir(target.rootfsDir))) return { rootfsProblem: { path: target.rootfsDir, reason: 'not a directory' } };
    return { rootfs: await readRootfsDir(target.rootfsDir, paths) };
  }
  if (!config) return {};
  // `dir:/x`, `btrfs:/x` and plain directories are readable; other backends are not, statically.
  const { dir, backend, entry } = rootfsLocation(config);
  if (backend) {
    return { rootfsProblem: { path: entry!.value, reason: `storage backend '${backend}' is not read by a static run (lint the mounted rootfs with --rootfs DIR)`, entry } };
  }
  const besideConfig = path.join(path.dirname(config.path), 'rootfs');
  const candidates = dir ? [dir, besideConfig] : [besideConfig];
  for (const candidate of candidates) {
    if (await isDir(candidate)) return { rootfs: await readRootfsDir(candidate, paths) };
  }
  if (!dir) return {};
  return { rootfsProblem: { path: dir, reason: 'no such directory', entry } };
}

export async function gatherStatic(target: StaticTarget, options: GatherOptions): Promise<Snapshot> {
  const config = target.configPath ? await loadLxcConfig(target.configPath, { overlay: options.overlay }) : undefined;
  const [fstabs, rootfs] = await Promise.all([
    config ? readFstabs(config, options.overlay) : Promise.resolve([]),
    gatherRootfs(target, config, options.rootfsPaths),
  ]);
  const snapshot: Snapshot = {
    target: target.label,
    config,
    fstabs,
    mounts: config ? configMounts(config, fstabs) : [],
    ...rootfs,
    assumptions: options.assumptions,
    purpose: options.purpose,
  };
  if (snapshot.rootfsProblem) snapshot.rootfsProblem.expected = target.expectRootfs;
  return snapshot;
}
