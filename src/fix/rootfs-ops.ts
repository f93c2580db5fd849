/**
 * Rootfs operations, done inside a rootfs directory and never outside it.
 * Paths are resolved as the container sees them (src/rootfs/resolve.ts:
 * symlinks followed chroot-style, so an absolute link or a `..` starts again
 * at, or stops at, the rootfs root); `..` in an operation's own paths is
 * refused. The folder found is then opened, from an open descriptor of the
 * rootfs, one component at a time with O_NOFOLLOW|O_DIRECTORY, and the
 * rename is done through that descriptor (`/proc/self/fd/N/name`): the
 * magic link pins the folder, so only the last component is looked up, and
 * rename() never follows a last component (renaming a link renames the
 * link). A container that swaps a folder for a link between the check and
 * the rename makes the open fail (refused), never the rename go elsewhere.
 * Node has no renameat(); the /proc path is its equivalent on Linux.
 */
import { closeSync, constants, lstatSync, openSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { RootfsOperation } from '../types.js';
import { dirView } from '../rootfs/dir.js';
import { pathComponents, resolveInRootfs } from '../rootfs/resolve.js';
import { describeFsError } from '../config/load.js';
import { faultPoint } from './fault.js';

export class RootfsOpError extends Error {
  constructor(readonly rootDir: string, readonly op: RootfsOperation, reason: string) {
    super(`rootfs ${rootDir}: cannot ${describeOp(op)}: ${reason}`);
    this.name = 'RootfsOpError';
  }
}

export function describeOp(op: RootfsOperation): string {
  return `${op.op} ${op.from} -> ${op.to}`;
}

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const fdPath = (fd: number, name: string) => `/proc/self/fd/${fd}/${name}`;

/** The rootfs-relative folder holding `rootfsPath`'s last component (links resolved inside the rootfs), and that component's name. */
async function locate(rootDir: string, rootfsPath: string, op: RootfsOperation): Promise<{ folder: string[]; name: string }> {
  const parts = rootfsPath.split('/');
  if (!rootfsPath.startsWith('/') || parts.includes('..')) throw new RootfsOpError(rootDir, op, `'${rootfsPath}' is not an absolute path without '..'`);
  const components = pathComponents(rootfsPath);
  const name = components.pop();
  if (!name) throw new RootfsOpError(rootDir, op, 'the rootfs root itself cannot be renamed');
  // A folder swapped while being read (lstat said link, readlink says not one) is a refusal too.
  const parent = await resolveInRootfs(dirView(rootDir), '/' + components.join('/')).catch((err: unknown) => {
    throw new RootfsOpError(rootDir, op, `its folder changed while being resolved (${err instanceof Error ? err.message : String(err)}); nothing renamed`);
  });
  if (!parent || parent.type !== 'dir' || parent.broken) throw new RootfsOpError(rootDir, op, `its folder ${'/' + components.join('/')} is not a directory in the rootfs`);
  return { folder: pathComponents(parent.realPath), name };
}

/**
 * Opens the rootfs and then each component of `folder` below it, none of
 * them followed if it is a link: the descriptor of the folder, which stays
 * that folder whatever is renamed or swapped afterwards.
 */
function openFolder(rootDir: string, folder: string[], op: RootfsOperation): number {
  let fd: number;
  try {
    fd = openSync(rootDir, DIR_FLAGS);
  } catch (err) {
    throw new RootfsOpError(rootDir, op, `the rootfs is not a directory (any more): ${describeFsError(err)}`);
  }
  let at = rootDir;
  for (const c of folder) {
    at = path.join(at, c);
    let next: number;
    try {
      next = openSync(fdPath(fd, c), DIR_FLAGS);
    } catch (err) {
      closeSync(fd);
      const code = (err as NodeJS.ErrnoException).code;
      // O_NOFOLLOW|O_DIRECTORY on a link fails with ENOTDIR on Linux (ELOOP without O_DIRECTORY).
      const why = code === 'ELOOP' || code === 'ENOTDIR' ? 'now a symbolic link or not a directory' : describeFsError(err);
      throw new RootfsOpError(rootDir, op, `${at} changed while being resolved (${why}); nothing renamed`);
    }
    closeSync(fd);
    fd = next;
  }
  return fd;
}

function existsAt(dirFd: number, name: string): boolean {
  try {
    lstatSync(fdPath(dirFd, name));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Checks what an operation names and finds its folder; the caller opens it. */
async function prepare(rootDir: string, op: RootfsOperation): Promise<{ folder: string[]; from: string; to: string }> {
  if (op.op !== 'rename') throw new RootfsOpError(rootDir, op, `unknown operation '${String(op.op)}'`);
  // Never against an empty or relative root (that would be the working directory) or a root that is gone or a link.
  if (!path.isAbsolute(rootDir) || path.resolve(rootDir) === '/') throw new RootfsOpError(rootDir, op, 'the rootfs is not an absolute path below /');
  let root;
  try {
    root = lstatSync(rootDir);
  } catch {
    root = null;
  }
  if (!root?.isDirectory()) throw new RootfsOpError(rootDir, op, 'the rootfs is not a directory (any more)');
  const from = await locate(rootDir, op.from, op);
  const to = await locate(rootDir, op.to, op);
  if (from.folder.join('/') !== to.folder.join('/')) throw new RootfsOpError(rootDir, op, 'a rename stays in one folder; these are in two');
  return { folder: from.folder, from: from.name, to: to.name };
}

/** Does `op` in `rootDir`. Refuses when the source is missing or the destination exists (nothing is overwritten). */
export async function applyRootfsOp(rootDir: string, op: RootfsOperation): Promise<void> {
  const { folder, from, to } = await prepare(rootDir, op);
  const dirFd = openFolder(rootDir, folder, op);
  try {
    if (!existsAt(dirFd, from)) throw new RootfsOpError(rootDir, op, `${op.from} does not exist`);
    if (existsAt(dirFd, to)) throw new RootfsOpError(rootDir, op, `${op.to} already exists (not overwritten)`);
    faultPoint('rootfs-rename');
    renameSync(fdPath(dirFd, from), fdPath(dirFd, to));
  } catch (err) {
    if (err instanceof RootfsOpError) throw err;
    throw new RootfsOpError(rootDir, op, describeFsError(err));
  } finally {
    closeSync(dirFd);
  }
}

/** The operation that undoes `op`. */
export function reverseOp(op: RootfsOperation): RootfsOperation {
  return { op: 'rename', from: op.to, to: op.from };
}

/** Whether `op` looks done in `rootDir` (destination there, source gone): what undo checks before reversing it. */
export async function opIsDone(rootDir: string, op: RootfsOperation): Promise<boolean> {
  const { folder, from, to } = await prepare(rootDir, op);
  const dirFd = openFolder(rootDir, folder, op);
  try {
    return existsAt(dirFd, to) && !existsAt(dirFd, from);
  } finally {
    closeSync(dirFd);
  }
}
