/**
 * Turns what the user typed into lint targets: a config file, a container
 * directory (config + rootfs), a folder of containers (an lxcpath), a folder
 * of *.conf files, or a glob of any of those; minus what --ignore-pattern
 * (or a .ctcrrc's ignore-patterns) names.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { StaticTarget } from '../gather/static.js';
import { globToRegExp, matchesAny } from '../util/glob-match.js';

/**
 * fast-glob costs ~25 ms to load, a sixth of a one-config lint's start-up
 * (BENCHMARKS.md): it is loaded only when a glob or a folder of containers
 * needs it.
 */
const loadFastGlob = () => import('fast-glob').then((m) => m.default);

/** Every pattern fast-glob calls dynamic contains one of these; a plain path is answered without loading it. */
const GLOB_CHARS = /[\\*?![({]/;

async function isGlob(p: string): Promise<boolean> {
  return GLOB_CHARS.test(p) && (await loadFastGlob()).isDynamicPattern(p);
}

async function kind(p: string): Promise<'file' | 'dir' | 'missing'> {
  return stat(p).then((s) => (s.isDirectory() ? 'dir' : 'file'), () => 'missing' as const);
}

async function fromPath(p: string, rootfsDir: string | undefined, image: string | undefined): Promise<StaticTarget[]> {
  const abs = path.resolve(p);
  const k = await kind(abs);
  if (k === 'missing') throw new InputError(`no such file or directory`, { file: p });
  if (k === 'file') return [{ label: p, configPath: abs, rootfsDir, image, expectRootfs: rootfsDir !== undefined || image !== undefined }];
  if ((await kind(path.join(abs, 'config'))) === 'file') {
    return [{ label: p, configPath: path.join(abs, 'config'), rootfsDir, image, expectRootfs: true }];
  }
  // A folder of containers, like /var/lib/lxc, and of config files (*.conf).
  const found = (await (await loadFastGlob())(['*/config', '*.conf'], { cwd: abs, onlyFiles: true })).sort();
  if (found.length === 0) throw new InputError(`no LXC config here: none of DIR/config, DIR/*/config, DIR/*.conf exists`, { file: p });
  return found.map((c) =>
    c.endsWith('/config')
      ? { label: path.join(p, path.dirname(c)), configPath: path.join(abs, c), expectRootfs: true }
      : { label: path.join(p, c), configPath: path.join(abs, c), expectRootfs: false },
  );
}

/** The path a target is known by on disk, for settings and ignore patterns. */
export function targetPath(t: StaticTarget): string {
  return t.configPath ?? t.image ?? t.rootfsDir ?? path.resolve(t.label);
}

/** Drops the targets an ignore glob (absolute) matches. */
export function withoutIgnored(targets: readonly StaticTarget[], globs: readonly string[]): StaticTarget[] {
  const res = globs.map(globToRegExp);
  return targets.filter((t) => !matchesAny(targetPath(t), res));
}

export async function resolveTargets(paths: readonly string[], opts: { rootfs?: string; image?: string; ignore?: readonly string[] }): Promise<StaticTarget[]> {
  const rootfsDir = opts.rootfs ? path.resolve(opts.rootfs) : undefined;
  const image = opts.image ? path.resolve(opts.image) : undefined;
  if (paths.length === 0) {
    if (!rootfsDir && !image) return [];
    return [{ label: opts.image ?? opts.rootfs!, rootfsDir, image, expectRootfs: true }];
  }
  const expanded: string[] = [];
  for (const p of paths) {
    if (!(await isGlob(p))) {
      expanded.push(p);
      continue;
    }
    const matches = (await (await loadFastGlob())(p, { onlyFiles: false, dot: true })).sort();
    if (matches.length === 0) throw new InputError(`the pattern '${p}' matches nothing`);
    expanded.push(...matches);
  }
  const lists = await Promise.all(expanded.map((p) => fromPath(p, rootfsDir, image)));
  return withoutIgnored(lists.flat(), opts.ignore ?? []);
}
