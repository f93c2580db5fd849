/**
 * The filesystem a host path is on, where every Linux host mounts the same one: what lint judges a bind
 * mount's source by when it cannot look (the doctor reads the host's real mount table instead).
 * Mount points as systemd, the kernel's documentation and distributions use them.
 */
import { textTable } from '../util/table.js';

const WELL_KNOWN_MOUNTS = textTable<string>({
  '/proc': 'proc',
  '/proc/fs/nfsd': 'nfsd',
  '/proc/sys/fs/binfmt_misc': 'binfmt_misc',
  '/sys': 'sysfs',
  '/sys/firmware/efi/efivars': 'efivarfs',
  '/sys/fs/pstore': 'pstore',
  '/sys/fs/bpf': 'bpf',
  '/sys/fs/fuse/connections': 'fusectl',
  '/sys/kernel/config': 'configfs',
  '/sys/kernel/debug': 'debugfs',
  '/sys/kernel/debug/tracing': 'tracefs',
  '/sys/kernel/tracing': 'tracefs',
  '/sys/kernel/security': 'securityfs',
  '/dev/hugepages': 'hugetlbfs',
  '/dev/mqueue': 'mqueue',
  '/dev/pts': 'devpts',
  '/dev/shm': 'tmpfs',
});

export interface PathFilesystem {
  fstype: string;
  /** The mount point the path is on. */
  mountPoint: string;
  /** The path is the root of that filesystem (what a bind of it shows as root `/` in mountinfo). */
  isRoot: boolean;
  /** Where the answer came from. */
  from: 'host mount table' | 'well-known mount point';
}

/** `/a/b/` -> `/a/b`; relative paths are not host paths. */
export function normalHostPath(p: string): string | undefined {
  if (!p.startsWith('/')) return undefined;
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  return '/' + parts.join('/');
}

const isUnder = (p: string, mountPoint: string) => mountPoint === '/' || p === mountPoint || p.startsWith(mountPoint + '/');

/** The well-known filesystem `hostPath` is on (the deepest well-known mount point containing it), or undefined. */
export function wellKnownFilesystem(hostPath: string): PathFilesystem | undefined {
  const p = normalHostPath(hostPath);
  if (!p) return undefined;
  let best: string | undefined;
  for (const mp of Object.keys(WELL_KNOWN_MOUNTS)) if (isUnder(p, mp) && (!best || mp.length > best.length)) best = mp;
  return best ? { fstype: WELL_KNOWN_MOUNTS[best], mountPoint: best, isRoot: p === best, from: 'well-known mount point' } : undefined;
}

/**
 * The filesystem `hostPath` is on in a mount table: the deepest mount point containing it, the last of equal
 * ones (a later mount covers an earlier one). Its root shows whether the path is a filesystem's root.
 */
export function filesystemInTable(hostPath: string, mounts: readonly { mountPoint: string; root: string; fstype: string }[]): PathFilesystem | undefined {
  const p = normalHostPath(hostPath);
  if (!p) return undefined;
  let best: (typeof mounts)[number] | undefined;
  for (const m of mounts) if (isUnder(p, m.mountPoint) && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  return best ? { fstype: best.fstype, mountPoint: best.mountPoint, isRoot: p === best.mountPoint && best.root === '/', from: 'host mount table' } : undefined;
}
