/** A task's session leader is outside the container's pid namespace: CRIU cannot dump it. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { containerLocation, describeProcess, known } from '../src/live/facts.js';
import { dumpedContainer } from '../src/live/refusals.js';

export default defineRule({
  id: 'session-outside',
  severity: 'error',
  summary: "A task of the container belongs to a session whose leader is outside the container's pid namespace.",
  scope: 'live',
  messages: {
    sessionOutside: "a task's session leader is outside the container's pid namespace",
  },
  docs: {
    why:
      "CRIU records each task's session and process group as ids inside the dumped pid namespace, so that restore can recreate them. A task " +
      'whose session was started outside the container has no such id (0 in the last field of `NSsid:` in /proc/PID/status), and the dump ' +
      'fails: "A session leader of N(M) is outside of its pid namespace" (criu/cr-dump.c; for a zombie "A session leader of zombie process ..."). ' +
      "The usual way in: a daemon started with lxc-attach without a terminal (`lxc-attach -n c -- sh -c 'daemon &'`); it is reparented to the " +
      "container's init but keeps the session of the host shell that ran lxc-attach. lxc-attach with a pty calls setsid() inside and is fine.",
    fix:
      'Restart the process from inside the container so that it gets a session of its own: through the container\'s init or service ' +
      'manager, or with `setsid` (`lxc-attach -n NAME -- setsid daemon ...`).',
    reference: 'criu/cr-dump.c dump_one_task, dump_zombies',
  },
  logSignatures: [
    {
      pattern: /A session leader of (zombie process )?(\d+)\((\d+)\) is outside of its pid namespace/,
      explain: (m) => ({
        message: `${m[1] ? 'zombie ' : ''}task ${m[2]} (PID ${m[3]} in the container) belongs to a session whose leader is outside the container's pid namespace (started by lxc-attach without a terminal?)`,
        fix: 'Restart that process from inside the container with a session of its own (setsid, or its service manager), then checkpoint.',
      }),
      samples: [
        { line: 'Error (criu/cr-dump.c:1528): A session leader of 21065(10) is outside of its pid namespace', source: 'lab: criu 4.2.1, kernel 6.18 (lxc-attach -- sh -c \'sleep 1000 &\' without a pty)' },
      ],
    },
  ],
  check(snapshot) {
    const c = dumpedContainer(snapshot);
    if (!c) return [];
    const reports: Report[] = [];
    for (const p of known(c.processes) ?? []) {
      // CRIU dumps init's tree (-t init); a task outside it (lxc-attach'ed, not reparented) is not dumped.
      if (p.nsSid !== 0 || p.inTree === false) continue;
      const zombie = p.state === 'Z' ? 'zombie process ' : '';
      reports.push({
        messageId: 'sessionOutside',
        message:
          `${describeProcess(p)} belongs to a session whose leader is outside the container's pid namespace (NSsid 0), as a process started ` +
          `by lxc-attach without a terminal does: the dump fails ("A session leader of ${zombie}${p.pid}(${p.nspid ?? '?'}) is outside of its pid namespace"). ` +
          'Restart it from inside the container with a session of its own (setsid, or its service manager)',
        location: containerLocation(c),
      });
    }
    return reports;
  },
});
