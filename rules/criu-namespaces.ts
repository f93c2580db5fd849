/** CRIU failed dumping or restoring a namespace (an error from its namespace code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-namespaces',
  severity: 'error',
  summary: "CRIU failed dumping or restoring a namespace (an error from its namespace code).",
  scope: 'log',
  docs: {
    why: "CRIU's namespace code (namespaces.c, uts_ns.c, ipc_ns.c, timens.c, sysctl.c) dumps each namespace the container has and re-creates it on restore: SysV IPC objects, hostname, time offsets, namespace sysctls. It fails on namespaces nested inside the container and on namespaces it has to join that are gone.",
    fix: "ctcr doctor NAME checks the known cases (nested-namespace, new-pidns-required). A namespace shared with the host must be named: --external net[INO]:KEY or --join-ns on restore; nested namespaces (a container inside, a sandboxing browser) cannot be checkpointed by CRIU before 4.0 (--criu-version).",
  },
  logArea: {
    name: "namespace dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /namespace|\bsysctl\b|\bhostname\b|\bipc\b|\buts\b|\btimens\b/i,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/ipc_ns.c',
      'criu/namespaces.c',
      'criu/sysctl.c',
      'criu/timens.c',
      'criu/uts_ns.c',
      'ipc_ns.c',
      'namespaces.c',
      'sysctl.c',
      'uts_ns.c',
    ],
  },
});
