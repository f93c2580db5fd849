/** CRIU failed dumping or restoring the mount tree (an error from its mount code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-mounts',
  severity: 'error',
  summary: "CRIU failed dumping or restoring the mount tree (an error from its mount code).",
  scope: 'log',
  docs: {
    why: "CRIU's mount code (mount.c, mount-v2.c) dumps every mount of the container's mount namespace and rebuilds the tree on restore; it fails on mounts it cannot see the source of, on shared/slave groups it cannot rebuild, and on bind mounts whose source is gone.",
    fix: "Find the mount (mnt_id, mountpoint) in the -v4 lines above; ctcr doctor NAME checks the known cases (external-bind-mount, bind-mount-restore, restore-root-missing, unsupported-filesystem, rootfs-missing). Options: --external mnt[PATH]:KEY on dump and --external mnt[KEY]:PATH on restore (lxc.mount.entry bind mounts), --enable-external-masters/--enable-external-sharing, and --mntns-compat-mode to use the older mount engine.",
  },
  logArea: {
    name: "mount dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bmnt\b|\bmount/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/mount-v2.c',
      'criu/mount.c',
      'mount.c',
    ],
  },
});
