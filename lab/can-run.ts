/**
 * Can a real LXC + CRIU lab run here? Cheap checks, in the order a human would
 * look: Linux, root, namespaces, a writable cgroup tree, a network namespace we
 * can create and put a bridge into, and a way to get LXC (installed or apt).
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { runSync, which } from './exec.js';

export interface CanRun {
  ok: boolean;
  reason?: string;
}

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

let cached: CanRun | undefined;

function check(): CanRun {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.geteuid?.() !== 0) return { ok: false, reason: 'not root: LXC checkpoint/restore must run as root' };
  for (const ns of ['pid', 'net', 'mnt', 'uts', 'ipc']) {
    if (!existsSync(`/proc/self/ns/${ns}`)) return { ok: false, reason: `no /proc/self/ns/${ns}: kernel without ${ns} namespaces` };
  }
  // Root inside a user namespace is not root on the host: no host bridge, no privileged LXC.
  const uidMap = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ');
  if (uidMap !== '0 0 4294967295') return { ok: false, reason: `inside a user namespace (uid_map "${uidMap}"): the lab needs the host's root` };
  const capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const caps = capEff ? BigInt(`0x${capEff}`) : 0n;
  for (const [bit, name] of [[CAP_SYS_ADMIN, 'CAP_SYS_ADMIN'], [CAP_NET_ADMIN, 'CAP_NET_ADMIN']] as const) {
    if (!((caps >> bit) & 1n)) return { ok: false, reason: `root without ${name} (an unprivileged container?)` };
  }
  try {
    accessSync('/sys/fs/cgroup', constants.W_OK);
  } catch {
    return { ok: false, reason: '/sys/fs/cgroup is not writable (read-only cgroupfs: inside a container?)' };
  }
  if (!which('unshare') || !which('ip')) return { ok: false, reason: 'unshare (util-linux) or ip (iproute2) missing' };
  // A throwaway network namespace with a bridge in it: proves netns + bridge support without touching the host.
  const probe = runSync('unshare', ['--net', '--', 'ip', 'link', 'add', 'ctcrprobe0', 'type', 'bridge']);
  if (!probe.ok) return { ok: false, reason: `cannot create a network namespace with a bridge: ${probe.stderr.trim().split('\n').at(-1) ?? ''}` };
  if (!which('lxc-start') && !which('apt-get')) return { ok: false, reason: 'LXC is not installed and there is no apt-get to install it' };
  return { ok: true };
}

export function labCanRun(): CanRun {
  return (cached ??= check());
}
