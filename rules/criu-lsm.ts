/** CRIU failed on the security module profile of a task (an error from its LSM code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-lsm',
  severity: 'error',
  summary: "CRIU failed on the security module profile of a task (an error from its LSM code).",
  scope: 'log',
  docs: {
    why: "CRIU records each task's AppArmor profile or SELinux context (lsm.c, apparmor.c) and sets it again on restore; it fails when the host's LSM differs from the one at dump time or when it may not read or set the profile.",
    fix: "ctcr doctor NAME checks the known cases (apparmor-unavailable, apparmor-profile-set, apparmor-blocks-parasite, selinux-unavailable, lsm-mismatch). Restore on a host with the same LSM; --lsm-profile apparmor:NAME or selinux:CONTEXT sets another profile on restore, and lxc.apparmor.profile = unconfined avoids loading one.",
  },
  logArea: {
    name: "security module (AppArmor/SELinux) handling",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\blsm\b|apparmor|selinux/i,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/apparmor.c',
      'criu/lsm.c',
      'lsm.c',
    ],
  },
});
