/** A pidfd in the container refers to a process CRIU does not dump, or is a thread pidfd. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { containerLocation, criuVersionOf, describeProcess, known } from '../src/live/facts.js';
import { atLeast } from '../src/criu/version.js';
import { dumpedContainer } from '../src/live/refusals.js';

/** PIDFD_THREAD is O_EXCL (include/uapi/linux/pidfd.h), shown in the fdinfo flags. */
const PIDFD_THREAD = 0o200;

/** The `Pid:` line of a pidfd's fdinfo: the host PID it refers to, -1 once that process is gone. */
function pidfdTarget(info: Record<string, string> | undefined): number | undefined {
  const v = info?.['Pid'] ?? info?.['Pid:'];
  if (v === undefined) return undefined;
  const n = Number.parseInt(v.trim(), 10);
  return Number.isFinite(n) ? n : undefined;
}

export default defineRule({
  id: 'pidfd-outside-tree',
  severity: 'error',
  summary: 'A pidfd in the container refers to a process outside the dumped tree, or is a thread pidfd: CRIU 4.2 refuses both.',
  scope: 'live',
  messages: {
    threadPidfd: 'a task holds a thread pidfd (PIDFD_THREAD)',
    pidfdOutside: 'a task holds a pidfd of a process outside the dumped tree',
  },
  docs: {
    why:
      'CRIU dumps a pidfd (criu/pidfd.c) by the process it refers to, so that restore can open it again: that process must be part of the ' +
      'dumped tree, otherwise "pidfd pid N is not a part of process tree.." fails the dump. A pidfd of a process that has exited (fdinfo ' +
      '`Pid: -1`) is fine: CRIU recreates it with a short-lived helper. A pidfd opened with PIDFD_THREAD (a thread pidfd, Linux 6.9+) is ' +
      'refused outright: "PIDFD_THREAD flag is currently not supported". CRIU before 4.1 cannot dump pidfds at all (unsupported-file reports that). ' +
      "The fd's fdinfo (Pid:, flags:) shows both beforehand.",
    fix: 'Close the pidfd before the checkpoint (stop or restart the process that holds it), or keep the process it watches inside the container.',
    reference: 'criu/pidfd.c dump_one_pidfd',
  },
  logSignatures: [
    {
      pattern: /pidfd pid (\d+) is not a part of process tree|PIDFD_THREAD flag is currently not supported/,
      explain: (m) => ({
        message: m[1] ? `a task of the container holds a pidfd of PID ${m[1]}, which is not in the dumped tree` : 'a task of the container holds a thread pidfd (PIDFD_THREAD), which CRIU does not support',
        fix: 'Close the pidfd before the checkpoint (stop or restart the process that holds it), or keep the process it refers to inside the container.',
      }),
      samples: [
        { line: 'Error (criu/pidfd.c:97): pidfd pid 1 is not a part of process tree..', source: 'synthesized by ctcr from criu/pidfd.c:97 at v4.2' },
        { line: 'Error (criu/pidfd.c:88): PIDFD_THREAD flag is currently not supported', source: 'synthesized by ctcr from criu/pidfd.c:88 at v4.2' },
      ],
    },
  ],
  check(snapshot) {
    const c = dumpedContainer(snapshot);
    // Before CRIU 4.1 every pidfd is refused as an unknown file: unsupported-file's finding.
    if (!c || !atLeast(criuVersionOf(snapshot), '4.1')) return [];
    const procs = known(c.processes) ?? [];
    const tree = new Set(procs.filter((p) => p.inTree !== false).map((p) => p.pid));
    const reports: Report[] = [];
    for (const p of procs) {
      if (p.inTree === false) continue;
      for (const fd of known(p.fds) ?? []) {
        if (fd.kind !== 'pidfd') continue;
        if (fd.flags !== undefined && (fd.flags & PIDFD_THREAD) !== 0) {
          reports.push({
            messageId: 'threadPidfd',
            message: `${describeProcess(p)} holds a thread pidfd (PIDFD_THREAD) on fd ${fd.fd}: CRIU refuses it ("PIDFD_THREAD flag is currently not supported"). Close it before the checkpoint`,
            location: containerLocation(c),
          });
          continue;
        }
        const target = pidfdTarget(fd.info);
        if (target === undefined || target === -1 || tree.has(target)) continue;
        const other = procs.find((q) => q.pid === target);
        const what = other ? `${describeProcess(other)}, which is not in the tree CRIU dumps` : `host PID ${target}, outside the container`;
        reports.push({
          messageId: 'pidfdOutside',
          message:
            `${describeProcess(p)} holds a pidfd on fd ${fd.fd} for ${what}: the dump fails ("pidfd pid ${target} is not a part of process tree.."). ` +
            'Close it before the checkpoint, or keep the process it refers to inside the container',
          location: containerLocation(c),
        });
      }
    }
    return reports;
  },
});
