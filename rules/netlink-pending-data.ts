/** A netlink socket in the container has unread data: CRIU refuses to dump it. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { containerLocation, describeProcess, dumpSide, isRunning, known, processByPid } from '../src/live/facts.js';

export default defineRule({
  id: 'netlink-pending-data',
  severity: 'error',
  summary: 'A netlink socket in the container has unread data, which CRIU cannot dump.',
  scope: 'live',
  messages: {
    pendingData: 'a netlink socket has unread data',
  },
  docs: {
    why:
      'CRIU cannot save the receive queue of a netlink socket and refuses the dump when one is not empty: "netlink: The socket has data to ' +
      'read" (criu/sk-netlink.c). Daemons that subscribe to kernel events (udevd, network managers, `ip monitor`) or tools stopped in the ' +
      'middle of a netlink exchange leave such data. The CRIU wiki\'s advice is to try again later.',
    fix: 'Try again in a moment: the owner usually reads its queue soon. If it stays, stop or restart the process that holds the socket (the finding names it).',
    reference: 'https://criu.org/LXC ("Netlink sockets with pending messages are not supported"); checkpoint-restore/criu#439',
  },
  logSignatures: [
    {
      pattern: /The socket has data to read/,
      explain: () => ({
        message: 'a netlink socket in the container has unread data (Recv-Q > 0), which CRIU cannot dump',
        fix: "Retry the dump; if it persists, find the owner with 'ss -f netlink -a -e' inside the container and stop or restart it (udev, systemd, an idle 'ss').",
      }),
      samples: [
        { line: '(00.094811) Error (/usr/src/debug/criu/4.1.1+git/criu/sk-netlink.c:77): netlink: The socket has data to read', source: 'synthesized by ctcr (not a verbatim log): a distro build printing absolute source paths, as in https://github.com/checkpoint-restore/criu/issues/3001' },
        { line: '(00.094811) Error (criu/sk-netlink.c:73): The socket has data to read', source: '(CRLF copy) https://github.com/canonical/lxd/issues/4002 (excerpt of the error lines as pasted)' },
      ],
    },
  ],
  check(snapshot) {
    const c = snapshot.container;
    if (!c || !dumpSide(snapshot) || !isRunning(c)) return [];
    const sockets = known(c.sockets) ?? [];
    const procs = processByPid(c);
    const reports: Report[] = [];
    for (const s of sockets) {
      if (s.family !== 'netlink' || !(s.recvQueue && s.recvQueue > 0)) continue;
      const p = procs.get(s.pid);
      reports.push({
        messageId: 'pendingData',
        message:
          `${p ? describeProcess(p) : `PID ${s.pid}`} has ${s.recvQueue} bytes unread on netlink socket fd ${s.fd} (${s.protocolName ?? `protocol ${s.protocol}`}): ` +
          'the dump fails now ("netlink: The socket has data to read"). Try again later; if it stays, stop or restart that process',
        location: containerLocation(c),
      });
    }
    return reports;
  },
});
