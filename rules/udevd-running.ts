/** A udev daemon runs in the container. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { containerLocation, describeProcess, dumpSide, isRunning, known } from '../src/live/facts.js';

const UDEVD = /^(?:systemd-)?udevd$/;

export default defineRule({
  id: 'udevd-running',
  severity: 'warning',
  summary: 'A udev daemon runs in the container; its uevent socket can hold data CRIU refuses to dump.',
  scope: 'live',
  messages: {
    udevdRunning: 'a udev daemon runs in the container',
  },
  hasSuggestions: true,
  docs: {
    why:
      'udevd listens on a NETLINK_KOBJECT_UEVENT socket. A uevent that reaches it while the container is being dumped is unread data on a ' +
      'netlink socket, which CRIU refuses ("netlink: The socket has data to read"); the dump fails at random. The CRIU wiki\'s LXC page says ' +
      'udev should not run inside containers. A warning, because the dump fails only when an event is pending (netlink-pending-data reports ' +
      'that moment); udevd-present reports the binary in the rootfs.',
    fix: 'Stop udevd and keep it from starting: rename the binary (mv /sbin/udevd{,.bcp}, the wiki\'s way; the suggestion does it in the rootfs) or disable its service, then restart the container.',
    reference: 'https://criu.org/LXC ("udev should not run inside containers")',
  },
  check(snapshot) {
    const c = snapshot.container;
    if (!c || !dumpSide(snapshot) || !isRunning(c)) return [];
    const procs = known(c.processes) ?? [];
    const reports: Report[] = [];
    for (const p of procs) {
      const exeName = p.exe?.split('/').pop()?.replace(/ \(deleted\)$/, '');
      if (!UDEVD.test(p.comm) && !(exeName && UDEVD.test(exeName))) continue;
      const exe = p.exe && p.exe.startsWith('/') && !p.exe.endsWith(' (deleted)') ? p.exe : undefined;
      reports.push({
        messageId: 'udevdRunning',
        message:
          `${describeProcess(p)} is a udev daemon${exe ? ` (${exe})` : ''}: a uevent pending on its netlink socket fails the dump ("netlink: The socket has data to read"). ` +
          'Stop it and keep it from starting, then restart the container',
        location: containerLocation(c),
        ...(exe
          ? { suggestions: [{ description: `rename ${exe} to ${exe}.bcp in the rootfs (restart the container to stop the running udevd)`, edits: [], rootfsOps: [{ op: 'rename' as const, from: exe, to: `${exe}.bcp` }] }] }
          : {}),
      });
    }
    return reports;
  },
});
