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
    udevdLink: 'a udev daemon name in the rootfs is a link to a file elsewhere',
  },
  hasSuggestions: true,
  // The folders too: a link's own real location is its folder's real path and its name.
  rootfsPaths: [...UDEVD_PATHS, ...new Set(UDEVD_PATHS.map((p) => path.posix.dirname(p)))],
  docs: {
    why:
      'udevd listens on a NETLINK_KOBJECT_UEVENT socket. The host kernel broadcasts device events to it, so at dump time its receive ' +
      'queue is often not empty and criu dump fails with "netlink: The socket has data to read" (checkpoint-restore/criu#439, #485); a ' +
      'udevd in the container also reacts to the host\'s devices. The CRIU wiki\'s LXC page says udev should not run inside containers ' +
      '(mv /sbin/udevd{,.bcp}). systemd-udevd.service skips itself when /sys is read-only, as in most LXC containers, but init scripts ' +
      'of older distributions start udevd regardless. Static check: it reports the file, not a running daemon.',
    fix:
      'Rename the binary so that init cannot start it (the suggestion renames the real file, after following links inside the rootfs, to ' +
      '<name>.bcp; when the daemon\'s name is a link to a file that is not itself at a udevd path, as systemd-udevd -> udevadm, it renames ' +
      'the link and never its target), or disable its service (systemctl mask systemd-udevd; chkconfig udev-post off on SysV systems).',
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
      const file = rootfs.kind === 'dir' ? path.join(rootfs.location, real) : rootfs.location;
      const also = asked.filter((p) => p !== real);
      if ((UDEVD_PATHS as readonly string[]).includes(real)) {
        const reached = also.length ? ` (also reached as ${also.join(', ')})` : '';
        return {
          messageId: 'udevdInRootfs',
          message:
            `${real}${reached} is a udev daemon in the rootfs: a running udevd holds a uevent netlink socket, and criu dump fails when it ` +
            `has unread messages ("netlink: The socket has data to read"). Rename it to ${real}.bcp or disable its service`,
          location: { file, line: 1, column: 1 },
          suggestions: [
            {
              description: `rename ${real} to ${real}.bcp in the rootfs (udev will not start in the container)`,
              edits: [],
              rootfsOps: [{ op: 'rename', from: real, to: `${real}.bcp` }],
            },
          ],
        };
      }
      // The daemon's name is a link to a file elsewhere (systemd's systemd-udevd -> udevadm, or anything at all): the link is
      // what init starts, so the link is renamed; its target (udevadm, or /etc/passwd for a hostile link) is not ctcr's to move.
      const links = [...new Set(asked.map((p) => linkLocation(rootfs.paths, p)))];
      return {
        messageId: 'udevdLink',
        message:
          `${links.join(', ')} (a link to ${real}) is a udev daemon name in the rootfs: a running udevd holds a uevent netlink socket, and ` +
          `criu dump fails when it has unread messages ("netlink: The socket has data to read"). Rename the link${links.length > 1 ? 's' : ''} ` +
          `(not ${real}) or disable its service`,
        location: { file, line: 1, column: 1 },
        suggestions: [
          {
            description: `rename the link${links.length > 1 ? 's' : ''} ${links.join(', ')} to <name>.bcp in the rootfs (${real} itself stays)`,
            edits: [],
            rootfsOps: links.map((l) => ({ op: 'rename' as const, from: l, to: `${l}.bcp` })),
          },
        ],
      };
    });
  },
});

/** Where the link reached as `asked` really is: its folder's real path (merged /usr: /sbin/udevd is /usr/sbin/udevd) and its name. */
function linkLocation(paths: Readonly<Record<string, RootfsEntry | null | undefined>>, asked: string): string {
  const folder = paths[path.posix.dirname(asked)];
  return folder && !folder.broken && folder.type === 'dir' ? path.posix.join(folder.realPath, path.posix.basename(asked)) : asked;
}
