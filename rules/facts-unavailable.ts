/**
 * A gatherer that failed is a finding, never a silent pass: it says what
 * could not be determined, why, and which checks therefore did not run.
 */
import { defineRule } from '../src/rule.js';
import type { Gathered, Report, Severity } from '../src/types.js';
import { HOST_LOCATION, containerLocation, criuOf, hostOf, isRunning } from '../src/live/facts.js';

interface FactSpec {
  label: string;
  /** The rules that need it. */
  rules: string[];
  /** error: without it nothing reliable can be said about a checkpoint. */
  severity: Severity;
}

const HOST_FACTS: Record<string, FactSpec> = {
  kernel: { label: 'the kernel version', rules: ['criu-kernel-mismatch'], severity: 'error' },
  criu: { label: 'CRIU (criu --version, criu check)', rules: ['criu-missing', 'criu-kernel-mismatch', 'network-lock-unavailable', 'bind-mount-restore'], severity: 'error' },
  ip: { label: 'the ip tool CRIU runs', rules: ['iproute2-too-old', 'criu-helper-missing'], severity: 'warning' },
  tools: { label: 'the helper programs CRIU runs', rules: ['criu-helper-missing', 'network-lock-unavailable', 'lxc-missing'], severity: 'warning' },
  cgroups: { label: 'the cgroup mounts', rules: ['cgroup-not-mounted'], severity: 'warning' },
  bridges: { label: "this host's bridges", rules: ['bridge-missing'], severity: 'warning' },
  apparmor: { label: 'whether the kernel has AppArmor', rules: ['apparmor-unavailable'], severity: 'warning' },
  lxc: { label: 'LXC', rules: ['lxc-missing'], severity: 'warning' },
  criuConfig: { label: "CRIU's config files", rules: ['network-lock-unavailable'], severity: 'warning' },
};

const CONTAINER_FACTS: Record<string, FactSpec> = {
  mountinfo: { label: "the container init's mounts", rules: ['unsupported-filesystem', 'criu-helper-missing'], severity: 'error' },
  processes: { label: "the container's processes", rules: ['udevd-running', 'traced-process', 'stopped-process', 'session-outside', 'pidfd-outside-tree'], severity: 'error' },
  sockets: { label: "the container's sockets", rules: ['netlink-pending-data', 'tcp-established', 'criu-kernel-mismatch'], severity: 'error' },
  bindSources: { label: 'the host paths its bind mounts name', rules: ['bind-mount-restore'], severity: 'warning' },
  mustBeEmpty: { label: "what is in the container's mqueue and pstore mounts", rules: ['unsupported-filesystem'], severity: 'error' },
  locks: { label: "the file locks its tasks hold (/proc/locks)", rules: ['the rules on file locks'], severity: 'warning' },
  unixPeers: { label: "the peers of its unix sockets", rules: ['the rules on external unix sockets'], severity: 'warning' },
};

/** Per task: what CRIU reads of each process. */
const PROCESS_FACTS: Record<string, FactSpec> = {
  fds: { label: 'the open descriptors', rules: ['the rules on descriptors CRIU cannot dump'], severity: 'warning' },
  mappings: { label: 'the file mappings', rules: ['the rules on deleted or external mapped files'], severity: 'warning' },
};

function report(spec: FactSpec, reason: string, location: Report['location']): Report {
  return {
    messageId: 'factUnavailable',
    message: `could not determine ${spec.label}: ${reason}; not checked: ${spec.rules.join(', ')}`,
    location,
    severity: spec.severity,
  };
}

export default defineRule({
  id: 'facts-unavailable',
  severity: 'warning',
  summary: 'A live fact could not be gathered (a probe failed or timed out): what it is, why, and the checks that did not run.',
  scope: 'live',
  messages: {
    factUnavailable: 'a live fact could not be gathered; the checks that need it did not run',
    featureUnknown: 'whether CRIU supports a feature could not be determined',
    checkpointDirUnreadable: 'the checkpoint directory could not be fully read',
  },
  docs: {
    why:
      'The doctor runs every probe at once, each with a timeout. One that fails (a program that hangs, a file that cannot be read, a ' +
      'process that exits while being read) must not end the run or pass silently: each becomes this finding, naming the fact, the reason ' +
      'and the rules that therefore could not judge. It is an error for the facts without which no prediction holds (CRIU, the kernel, the ' +
      "running container's processes, sockets and mounts), a warning for the others.",
    fix: 'Read the reason: usually run as root, raise --probe-timeout, or install the program named; then run the doctor again.',
  },
  check(snapshot) {
    const reports: Report[] = [];
    const host = hostOf(snapshot);
    if (host) {
      for (const [key, spec] of Object.entries(HOST_FACTS)) {
        const fact = (host as unknown as Record<string, Gathered<unknown> | undefined>)[key];
        if (fact && !fact.ok) reports.push(report(spec, fact.reason, HOST_LOCATION));
      }
      const criu = criuOf(host);
      for (const [feature, reason] of Object.entries(criu?.featureErrors ?? {})) {
        reports.push({ messageId: 'featureUnknown', message: `could not determine whether CRIU supports ${feature} (criu check --feature ${feature}): ${reason}`, location: HOST_LOCATION, severity: 'warning' });
      }
    }
    const c = snapshot.container;
    if (!c) return reports;
    for (const [key, spec] of Object.entries(CONTAINER_FACTS)) {
      // A container that is not running has no processes to read: container-not-running says so.
      if (key !== 'bindSources' && !isRunning(c)) continue;
      const fact = (c as unknown as Record<string, Gathered<unknown> | undefined>)[key];
      if (fact && !fact.ok) reports.push(report(spec, fact.reason, containerLocation(c)));
    }
    if (isRunning(c) && c.processes.ok) {
      // One finding per fact, naming the tasks, rather than one per task.
      for (const [key, spec] of Object.entries(PROCESS_FACTS)) {
        const failed = c.processes.value.flatMap((p) => {
          const fact = (p as unknown as Record<string, Gathered<unknown> | undefined>)[key];
          return fact && !fact.ok ? [{ pid: p.pid, reason: fact.reason }] : [];
        });
        if (failed.length === 0) continue;
        const shown = failed.slice(0, 3).map((f) => f.reason).join('; ');
        const more = failed.length > 3 ? ` (and ${failed.length - 3} more tasks)` : '';
        reports.push(report({ ...spec, label: `${spec.label} of PID ${failed.map((f) => f.pid).slice(0, 10).join(', ')}${failed.length > 10 ? ', ...' : ''}` }, `${shown}${more}`, containerLocation(c)));
      }
    }
    if (snapshot.checkpointDir?.error) {
      reports.push({
        messageId: 'checkpointDirUnreadable',
        message: `could not fully read the checkpoint directory: ${snapshot.checkpointDir.error}; not checked: checkpoint-dir-used, console-mismatch`,
        location: containerLocation(c),
        severity: 'warning',
      });
    }
    return reports;
  },
});
