/** CRIU failed dumping or restoring cgroups (an error from its cgroup code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-cgroups',
  severity: 'error',
  summary: "CRIU failed dumping or restoring cgroups (an error from its cgroup code).",
  scope: 'log',
  docs: {
    why: "CRIU's cgroup code (cgroup.c, cgroup-props.c) dumps the cgroups of the tasks and their properties and re-creates them on restore; it fails when the cgroup layout differs on restore (v1 against v2, a missing controller) or when it may not write a property.",
    fix: "ctcr doctor NAME checks the known cases (cgroup-restore, freeze-cgroup, cgroup-not-mounted). Options: --manage-cgroups=soft|full|strict|ignore, --cgroup-root to restore under another path, --cgroup-yard; restore on a host with the same cgroup version and controllers.",
  },
  logArea: {
    name: "cgroup dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /cgroup|\bcg\b|freezer/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'cgroup.c',
      'criu/cgroup-props.c',
      'criu/cgroup.c',
    ],
  },
});
