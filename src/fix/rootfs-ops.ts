/**
 * Rootfs operations, done inside a rootfs directory and never outside it.
 * Paths are resolved as the container sees them (src/rootfs/resolve.ts:
 * symlinks followed chroot-style, so an absolute link or a `..` starts again
 * at, or stops at, the rootfs root); `..` in an operation's own paths is
 * refused; the directory found is checked again, component by component
 * without following links, just before the rename; the last component is
 * never followed (renaming a link renames the link).
 */
import { lstat, rename } from 'node:fs/promises';
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

/** The host directory holding `rootfsPath`'s last component, and that component's name. */
async function locate(rootDir: string, rootfsPath: string, op: RootfsOperation): Promise<{ hostDir: string; name: string }> {
  const parts = rootfsPath.split('/');
  if (!rootfsPath.startsWith('/') || parts.includes('..')) throw new RootfsOpError(rootDir, op, `'${rootfsPath}' is not an absolute path without '..'`);
  const components = pathComponents(rootfsPath);
  const name = components.pop();
  if (!name) throw new RootfsOpError(rootDir, op, 'the rootfs root itself cannot be renamed');
  const parent = await resolveInRootfs(dirView(rootDir), '/' + components.join('/'));
  if (!parent || parent.type !== 'dir' || parent.broken) throw new RootfsOpError(rootDir, op, `its folder ${'/' + components.join('/')} is not a directory in the rootfs`);
  // Checked again without following anything: each component of the resolved folder must be a real directory now.
  let hostDir = rootDir;
  for (const c of pathComponents(parent.realPath)) {
    hostDir = path.join(hostDir, c);
    const info = await lstat(hostDir).catch(() => null);
    if (!info || !info.isDirectory()) throw new RootfsOpError(rootDir, op, `${hostDir} changed while being resolved (no longer a directory)`);
  }
  return { hostDir, name };
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

/** Host paths of an operation's source and destination (both in the same folder). */
export async function resolveOp(rootDir: string, op: RootfsOperation): Promise<{ from: string; to: string }> {
  if (op.op !== 'rename') throw new RootfsOpError(rootDir, op, `unknown operation '${String(op.op)}'`);
  // Never against an empty or relative root (that would be the working directory) or a root that is gone or a link.
  if (!path.isAbsolute(rootDir) || path.resolve(rootDir) === '/') throw new RootfsOpError(rootDir, op, 'the rootfs is not an absolute path below /');
  const root = await lstat(rootDir).catch(() => null);
  if (!root?.isDirectory()) throw new RootfsOpError(rootDir, op, 'the rootfs is not a directory (any more)');
  const from = await locate(rootDir, op.from, op);
  const to = await locate(rootDir, op.to, op);
  if (from.hostDir !== to.hostDir) throw new RootfsOpError(rootDir, op, 'a rename stays in one folder; these are in two');
  return { from: path.join(from.hostDir, from.name), to: path.join(to.hostDir, to.name) };
}

/** Does `op` in `rootDir`. Refuses when the source is missing or the destination exists (nothing is overwritten). */
export async function applyRootfsOp(rootDir: string, op: RootfsOperation): Promise<void> {
  const { from, to } = await resolveOp(rootDir, op);
  try {
    if (!(await exists(from))) throw new RootfsOpError(rootDir, op, `${op.from} does not exist`);
    if (await exists(to)) throw new RootfsOpError(rootDir, op, `${op.to} already exists (not overwritten)`);
    faultPoint('rootfs-rename');
    await rename(from, to);
  } catch (err) {
    if (err instanceof RootfsOpError) throw err;
    throw new RootfsOpError(rootDir, op, describeFsError(err));
  }
}

/** The operation that undoes `op`. */
export function reverseOp(op: RootfsOperation): RootfsOperation {
  return { op: 'rename', from: op.to, to: op.from };
}

/** Whether `op` looks done in `rootDir` (destination there, source gone): what undo checks before reversing it. */
export async function opIsDone(rootDir: string, op: RootfsOperation): Promise<boolean> {
  const { from, to } = await resolveOp(rootDir, op);
  return (await exists(to)) && !(await exists(from));
}
