/**
 * The live half of unsupported-filesystem: mounts in the running
 * container's mount table that its config does not declare (made by its own
 * init, a hook, an admin) and whose filesystem CRIU cannot dump. Mounts the
 * config declares are judged by the rule's static half, from their config
 * line, so nothing is reported twice.
 */
import type { Report, Snapshot } from '../types.js';
import { LXC_ENABLED_FS, fsSupport, mountCookie } from '../criu/filesystems.js';
import { formatVersion } from '../criu/version.js';
import { rootfsLocation } from '../config/query.js';
import { containerLocation, criuVersionOf, dumpSide, isRunning, known } from './facts.js';
import { filesystemInTable, wellKnownFilesystem, type PathFilesystem } from '../config/host-filesystems.js';

/** A declared mount's target as the container sees it: fstab targets may be host paths under the rootfs, or relative to it. */
export function declaredMountpoint(snapshot: Snapshot, target: string): string {
  const rootDir = snapshot.config && rootfsLocation(snapshot.config).dir?.replace(/\/+$/, '');
  if (rootDir && target.startsWith(rootDir + '/')) return target.slice(rootDir.length);
  return '/' + target.replace(/^\/+/, '').replace(/\/+$/, '');
}

export function liveUnsupportedMounts(snapshot: Snapshot): Report[] {
  const c = snapshot.container;
  if (!c || !isRunning(c) || !dumpSide(snapshot)) return [];
  const mounts = known(c.mountinfo);
  if (!mounts) return [];
  const version = criuVersionOf(snapshot);
  const declared = new Set(snapshot.mounts.filter((m) => m.target !== '').map((m) => declaredMountpoint(snapshot, m.target)));
  const reports: Report[] = [];
  for (const m of mounts) {
    // The root is restored from --root, whatever its type. A mount whose root is not its filesystem's root is a bind:
    // lxc-checkpoint passes --ext-mount-map auto, so CRIU treats those from outside as external (the busybox template's ext4 binds of /usr/lib).
    if (m.mountPoint === '/' || m.root !== '/' || declared.has(m.mountPoint)) continue;
    const support = fsSupport(m.fstype, version, { enableFs: LXC_ENABLED_FS });
    // must-be-empty (mqueue, pstore) cannot be told from the mount table; the dump says "isn't empty" if they are not.
    if (support.support !== 'unsupported' && support.support !== 'always-fails') continue;
    const failure = support.support === 'always-fails' ? `"failed to dump fs ... (${m.fstype}): always fail"` : `"FS mnt .${m.mountPoint} dev ... unsupported"`;
    reports.push({
      messageId: 'undeclaredMount',
      message:
        `${m.fstype} (${m.source}) is mounted at ${m.mountPoint} in the running container, not by its config: CRIU ${formatVersion(version)} cannot dump it ` +
        `(${support.note}); the dump fails with ${failure}. Unmount it before the dump, or pass --skip-mnt ${m.mountPoint} or --external mnt[${m.mountPoint}]:${mountCookie(m.mountPoint)}`,
      location: containerLocation(c),
      criuOptions: ['--skip-mnt', m.mountPoint],
    });
  }
  return reports;
}

/**
 * The container's mqueue and pstore mounts that are not empty (the doctor's probe read them): CRIU dumps those
 * filesystems only empty and fails with "mqueue isn't empty" (criu/filesystems.c). One report per mount.
 */
export function liveNonEmptyMounts(snapshot: Snapshot): Report[] {
  const c = snapshot.container;
  if (!c || !isRunning(c) || !dumpSide(snapshot)) return [];
  const reports: Report[] = [];
  for (const m of known(c.mustBeEmpty) ?? []) {
    if (!m.entries.length) continue;
    const shown = m.entries.slice(0, 3).join(', ') + (m.entries.length > 3 ? ', ...' : '');
    const what = m.fstype === 'mqueue' ? `${m.entries.length} POSIX message queue${m.entries.length === 1 ? '' : 's'}` : `${m.entries.length} record${m.entries.length === 1 ? '' : 's'}`;
    reports.push({
      messageId: 'notEmpty',
      message:
        `${m.fstype} at ${m.mountPoint} holds ${what} (${shown}): CRIU dumps ${m.fstype} only when it is empty, the dump fails ("${m.fstype} isn't empty"). ` +
        (m.fstype === 'mqueue' ? `Remove the queues (rm ${m.mountPoint}/NAME, or mq_unlink) or stop what creates them before the checkpoint` : `Empty ${m.mountPoint} before the checkpoint`),
      location: containerLocation(c),
    });
  }
  return reports;
}

/** Whether the live probe found the mount at `mountPoint` empty (true), not empty (false), or does not know (undefined). */
export function liveMountEmpty(snapshot: Snapshot, mountPoint: string): boolean | undefined {
  const m = (known(snapshot.container?.mustBeEmpty) ?? []).find((x) => x.mountPoint === mountPoint);
  return m ? m.entries.length === 0 : undefined;
}

/**
 * The filesystem a bind mount's host source is on: from the host's mount table when the doctor read it,
 * else from the well-known mount points (lint never looks at the machine it runs on).
 */
export function bindSourceFilesystem(snapshot: Snapshot, source: string): PathFilesystem | undefined {
  const table = known(snapshot.host?.mounts);
  return table ? filesystemInTable(source, table) : wellKnownFilesystem(source);
}
