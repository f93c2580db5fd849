/**
 * The config names a root filesystem that cannot be read: for a container
 * that is an error; for a config linted alone, the rootfs rules are skipped.
 */
import { defineRule, at } from '../src/rule.js';
import type { Location } from '../src/types.js';

export default defineRule({
  id: 'rootfs-missing',
  severity: 'error',
  summary: "The container's root filesystem (lxc.rootfs.path, or the rootfs given) cannot be read.",
  scope: 'static',
  messages: {
    rootfsMissing: 'the rootfs is not there, and the container needs it',
    rootfsUnread: 'the rootfs could not be read, so the rootfs rules were skipped',
  },
  docs: {
    why:
      'A container directory or a live container must have its root filesystem: LXC cannot start it without one, and lxc-checkpoint ' +
      'restores by bind-mounting lxc.rootfs.path onto lxc.rootfs.mount (--root). Rules that look inside the rootfs (udevd-present) are skipped ' +
      'when it cannot be read. A config linted on its own (a file, without --rootfs) often names a rootfs of another host: then this is ' +
      'only a note that the rootfs rules were skipped. Storage backends other than dir and btrfs (lvm, zfs, loop, overlay, rbd, nbd) ' +
      'are not read statically.',
    fix:
      'Check lxc.rootfs.path, or point ctcr at the rootfs: --rootfs DIR (a directory, e.g. a mounted lvm volume) or --image FILE (a tar ' +
      'image); a folder named rootfs beside the config is found on its own.',
    reference: 'lxc src/lxc/criu.c do_restore',
  },
  check(snapshot) {
    const problem = snapshot.rootfsProblem;
    if (!problem) return [];
    const location: Location = problem.entry
      ? at(problem.entry)
      : snapshot.config
        ? { file: snapshot.config.path, line: 1, column: 1 }
        : { file: problem.path, line: 1, column: 1 };
    const what = problem.entry ? `${problem.entry.key} = ${problem.entry.value}` : `rootfs ${problem.path}`;
    const unreadable = /^storage backend/.test(problem.reason);
    if (problem.expected && !unreadable) {
      return [{ messageId: 'rootfsMissing', message: `${what}: ${problem.reason} (${problem.path}); the container cannot start or be restored without its rootfs`, location }];
    }
    return [
      {
        severity: 'info',
        messageId: 'rootfsUnread',
        message: `${what}: ${problem.reason}${unreadable ? '' : ` (${problem.path})`}; rootfs rules were skipped (give the rootfs with --rootfs DIR or --image FILE)`,
        location,
      },
    ];
  },
});
