/**
 * A udev daemon in the container: it holds a kernel uevent netlink socket
 * that fills up with messages CRIU cannot dump.
 */
import path from 'node:path';
import { defineRule } from '../src/rule.js';
import type { Report, RootfsEntry } from '../src/types.js';

/** Where distributions install udevd: classic udev and eudev, and systemd-udevd (split and merged /usr). */
const UDEVD_PATHS = [
  '/sbin/udevd',
  '/usr/sbin/udevd',
  '/lib/udev/udevd',
  '/usr/lib/udev/udevd',
  '/lib/systemd/systemd-udevd',
  '/usr/lib/systemd/systemd-udevd',
] as const;

export default defineRule({
  id: 'udevd-present',
  severity: 'warning',
  summary: 'A udev daemon is installed in the rootfs; udev should not run in a container that is checkpointed.',
  scope: 'static',
  messages: {
    udevdInRootfs: 'a udev daemon is in the rootfs',
  },
  hasSuggestions: true,
  rootfsPaths: UDEVD_PATHS,
  docs: {
    why:
      'udevd listens on a NETLINK_KOBJECT_UEVENT socket. The host kernel broadcasts device events to it, so at dump time its receive ' +
      'queue is often not empty and criu dump fails with "netlink: The socket has data to read" (checkpoint-restore/criu#439, #485); a ' +
      'udevd in the container also reacts to the host\'s devices. The CRIU wiki\'s LXC page says udev should not run inside containers ' +
      '(mv /sbin/udevd{,.bcp}). systemd-udevd.service skips itself when /sys is read-only, as in most LXC containers, but init scripts ' +
      'of older distributions start udevd regardless. Static check: it reports the file, not a running daemon.',
    fix:
      'Rename the binary so that init cannot start it (the suggestion renames the real file, after following links inside the rootfs, to ' +
      '<name>.bcp), or disable its service (systemctl mask systemd-udevd; chkconfig udev-post off on SysV systems).',
    reference: 'https://criu.org/LXC ("udev should not run inside containers")',
  },
  check(snapshot) {
    const rootfs = snapshot.rootfs;
    if (!rootfs) return [];
    // One finding per real file: in a merged-/usr rootfs /sbin/udevd and /usr/sbin/udevd are the same file.
    const byReal = new Map<string, { entry: RootfsEntry; asked: string[] }>();
    for (const asked of UDEVD_PATHS) {
      const entry = rootfs.paths[asked];
      if (!entry || entry.broken || entry.type !== 'file') continue;
      const seen = byReal.get(entry.realPath);
      if (seen) seen.asked.push(asked);
      else byReal.set(entry.realPath, { entry, asked: [asked] });
    }
    return [...byReal.values()].map(({ entry, asked }): Report => {
      const real = entry.realPath;
      const also = asked.filter((p) => p !== real);
      const reached = also.length ? ` (also reached as ${also.join(', ')})` : '';
      return {
        messageId: 'udevdInRootfs',
        message:
          `${real}${reached} is a udev daemon in the rootfs: a running udevd holds a uevent netlink socket, and criu dump fails when it ` +
          `has unread messages ("netlink: The socket has data to read"). Rename it to ${real}.bcp or disable its service`,
        location: {
          file: rootfs.kind === 'dir' ? path.join(rootfs.location, real) : rootfs.location,
          line: 1,
          column: 1,
        },
        suggestions: [
          {
            description: `rename ${real} to ${real}.bcp in the rootfs (udev will not start in the container)`,
            edits: [],
            rootfsOps: [{ op: 'rename', from: real, to: `${real}.bcp` }],
          },
        ],
      };
    });
  },
});
