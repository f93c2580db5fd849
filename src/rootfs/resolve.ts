/**
 * Path resolution inside a container's root filesystem, shared by the
 * directory reader and the image reader: symlinks are followed the way the
 * kernel follows them under chroot (an absolute target starts again at the
 * rootfs root, `..` at the root stays at the root), so no answer ever
 * depends on, or reaches, the host's own files.
 */
import type { RootfsEntry } from '../types.js';

export type RootfsNodeType = RootfsEntry['type'];

/** What an lstat of one rootfs path tells: the node itself, links not followed. */
export interface RootfsNode {
  type: RootfsNodeType;
  /** st_mode style: type bits and permission bits. */
  mode: number;
  /** Bytes of content for files, of the target text for symlinks, 0 otherwise. */
  size: number;
  /** The symlink's target text, for type 'symlink'. */
  linkTarget?: string;
}

/** A read-only view of a rootfs: lstat of a rootfs-absolute path whose parent components are real directories. */
export interface RootfsView {
  lstat(rootfsPath: string): RootfsNode | null | Promise<RootfsNode | null>;
}

/** The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;

/** Path components of a rootfs path, without empty and `.` components (`..` kept: it is resolved on the real path). */
export function pathComponents(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Resolves `askedPath` inside the rootfs. Null when the path does not exist
 * (as lstat would say). When the path itself is a symlink that leads
 * nowhere (a dangling target or a loop), the answer is that link, with type
 * 'symlink' and `broken` saying why, so a rule can tell "absent" from
 * "present but broken".
 */
export async function resolveInRootfs(view: RootfsView, askedPath: string): Promise<RootfsEntry | null> {
  const queue = pathComponents(askedPath);
  const resolved: string[] = [];
  let linksFollowed = 0;
  // The asked path's own last component, when it is a symlink: the answer if following it fails.
  let finalLink: { path: string; node: RootfsNode } | undefined;

  const failure = (broken: 'missing' | 'loop'): RootfsEntry | null =>
    finalLink
      ? { path: askedPath, realPath: finalLink.path, type: 'symlink', mode: finalLink.node.mode, size: finalLink.node.size, broken }
      : null;

  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === '..') {
      // Like chroot: `..` of the root is the root.
      resolved.pop();
      continue;
    }
    const candidate = '/' + [...resolved, name].join('/');
    const node = await view.lstat(candidate);
    if (!node) return failure('missing');
    if (node.type === 'symlink') {
      if (queue.length === 0 && !finalLink) finalLink = { path: candidate, node };
      if (++linksFollowed > MAX_SYMLINKS) return failure('loop');
      const target = node.linkTarget ?? '';
      if (target === '') return failure('missing');
      if (target.startsWith('/')) resolved.length = 0;
      queue.unshift(...pathComponents(target));
      continue;
    }
    // Something follows, so this must be a directory (ENOTDIR otherwise).
    if (queue.length > 0 && node.type !== 'dir') return failure('missing');
    resolved.push(name);
    if (queue.length === 0) {
      return { path: askedPath, realPath: '/' + resolved.join('/'), type: node.type, mode: node.mode, size: node.type === 'dir' ? 0 : node.size };
    }
  }
  // Only `/`, `.` and `..` components: the answer is the directory reached.
  const realPath = '/' + resolved.join('/');
  const node = await view.lstat(realPath);
  if (!node) return failure('missing');
  return { path: askedPath, realPath, type: node.type, mode: node.mode, size: node.type === 'dir' ? 0 : node.size };
}

/** Answers every asked path (keys are the paths as asked). */
export async function answerPaths(view: RootfsView, paths: readonly string[]): Promise<Record<string, RootfsEntry | null>> {
  const answers: Record<string, RootfsEntry | null> = {};
  for (const p of paths) answers[p] = await resolveInRootfs(view, p);
  return answers;
}

/** The node type of an st_mode. */
export function typeFromMode(mode: number): RootfsNodeType {
  switch (mode & S_IFMT) {
    case S_IFREG: return 'file';
    case S_IFDIR: return 'dir';
    case S_IFLNK: return 'symlink';
    default: return 'other';
  }
}
