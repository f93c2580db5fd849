/**
 * Reads facts from a rootfs that is a directory on the host. Every lookup
 * is an lstat of one component under the rootfs directory, links read with
 * readlink and resolved by resolve.ts; the host's realpath is never used,
 * since it would follow an absolute link onto the host's own files.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RootfsFacts } from '../types.js';
import { InputError } from '../errors.js';
import { describeFsError } from '../config/load.js';
import { answerPaths, typeFromMode, type RootfsNode, type RootfsView } from './resolve.js';

/** A view of `rootDir`; lookups are cached, since asked paths share their leading directories. */
export function dirView(rootDir: string): RootfsView {
  const cache = new Map<string, Promise<RootfsNode | null>>();
  const lookUp = async (rootfsPath: string): Promise<RootfsNode | null> => {
    // rootfsPath has no `..` and its parents are real directories (resolve.ts), so this stays under rootDir.
    const hostPath = path.join(rootDir, rootfsPath);
    let info;
    try {
      info = await lstat(hostPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new InputError(`cannot examine ${rootfsPath} in the rootfs: ${describeFsError(err)}`, { file: rootDir });
    }
    const type = typeFromMode(info.mode);
    const node: RootfsNode = { type, mode: info.mode, size: type === 'file' || type === 'symlink' ? info.size : 0 };
    if (type === 'symlink') {
      try {
        node.linkTarget = await readlink(hostPath);
      } catch (err) {
        throw new InputError(`cannot read link ${rootfsPath} in the rootfs: ${describeFsError(err)}`, { file: rootDir });
      }
    }
    return node;
  };
  return {
    lstat(rootfsPath) {
      let answer = cache.get(rootfsPath);
      if (!answer) {
        answer = lookUp(rootfsPath);
        cache.set(rootfsPath, answer);
      }
      return answer;
    },
  };
}

/** Answers, for each rootfs-absolute path, whether it exists in the rootfs directory `dir` and what it is. */
export async function readRootfsDir(dir: string, paths: readonly string[]): Promise<RootfsFacts> {
  const rootDir = path.resolve(dir);
  let info;
  try {
    // The rootfs directory itself may be reached through a host symlink (e.g. /var/lib/lxc -> /srv/lxc).
    info = await stat(rootDir);
  } catch (err) {
    throw new InputError(`rootfs directory cannot be read: ${describeFsError(err)}`, { file: rootDir });
  }
  if (!info.isDirectory()) throw new InputError('rootfs is not a directory', { file: rootDir });
  return { kind: 'dir', location: rootDir, paths: await answerPaths(dirView(rootDir), paths) };
}
