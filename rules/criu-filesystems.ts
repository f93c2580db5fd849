/** CRIU failed on a file system it has to dump or restore (an error from its file system code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-filesystems',
  severity: 'error',
  summary: "CRIU failed on a file system it has to dump or restore (an error from its file system code).",
  scope: 'log',
  docs: {
    why: "CRIU dumps the contents of some virtual file systems (tmpfs, devtmpfs, binfmt_misc, autofs) and refuses the ones it does not know; its file system code (filesystems.c, autofs.c, sysfs_parse.c) fails on one of those mounts.",
    fix: "Find the mount type in the lines above; ctcr doctor NAME names unsupported file systems (unsupported-filesystem). Unmount it in the container, or make it external (--external mnt[PATH]:KEY); tmpfs contents need the tar helper CRIU runs (criu-helper-missing).",
  },
  logArea: {
    name: "file system support",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\btmpfs\b|\bbinfmt_misc\b|\bautofs\b|\bfilesystem/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/autofs.c',
      'criu/filesystems.c',
      'criu/sysfs_parse.c',
      'sysfs_parse.c',
    ],
  },
});
