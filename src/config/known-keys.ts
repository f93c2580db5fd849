/**
 * The config keys LXC knows, by version, for the `unknown-key` rule: LXC
 * fails the whole load on a key it does not know, so a key that is fine for
 * one LXC is fatal for another.
 *
 * Source: `config_jump_table` and `config_jump_table_net` of
 * src/lxc/confile.c (LXC 5.0/6.0): most keys match exactly, a few are looked
 * up by prefix (`strict = false`): lxc.cgroup2, lxc.cgroup (v1, up to 6.x),
 * lxc.net., lxc.namespace.share., lxc.prlimit, lxc.sysctl, lxc.proc.
 * Landmarks: 2.1 renamed the keys (legacy.keys.ts), 3.0 removed the legacy
 * names, 7.0 rejects the cgroup v1 `lxc.cgroup.<controller>` keys.
 *
 * Keys added after 3.0 (lxc.sched.core, lxc.time.offset.*, ...) are taken
 * as known by every LXC from 2.1 on: the table does not record when each
 * arrived, and a false "unknown key" would be worse than a missed one.
 */
import { LEGACY_KEYS, LEGACY_NET_SUBKEYS, canonicalKey } from './legacy-keys.js';

export interface LxcVersionLike {
  major: number;
  minor: number;
}

/** Keys matched exactly (LXC 5.0/6.0 `config_jump_table`, strict entries). */
export const EXACT_KEYS: readonly string[] = [
  'lxc.apparmor.allow_incomplete', 'lxc.apparmor.allow_nesting', 'lxc.apparmor.profile', 'lxc.apparmor.raw',
  'lxc.arch',
  'lxc.autodev', 'lxc.autodev.tmpfs.size',
  'lxc.cap.drop', 'lxc.cap.keep',
  'lxc.cgroup.dir', 'lxc.cgroup.dir.container', 'lxc.cgroup.dir.container.inner', 'lxc.cgroup.dir.monitor', 'lxc.cgroup.dir.monitor.pivot',
  'lxc.cgroup.relative',
  'lxc.console.buffer.size', 'lxc.console.logfile', 'lxc.console.path', 'lxc.console.rotate', 'lxc.console.size',
  'lxc.environment', 'lxc.ephemeral', 'lxc.execute.cmd', 'lxc.group',
  'lxc.hook', 'lxc.hook.autodev', 'lxc.hook.clone', 'lxc.hook.destroy', 'lxc.hook.mount', 'lxc.hook.post-stop', 'lxc.hook.pre-mount',
  'lxc.hook.pre-start', 'lxc.hook.start', 'lxc.hook.start-host', 'lxc.hook.stop', 'lxc.hook.version',
  'lxc.idmap', 'lxc.include',
  'lxc.init.cmd', 'lxc.init.cwd', 'lxc.init.gid', 'lxc.init.groups', 'lxc.init.uid',
  'lxc.keyring.session',
  'lxc.log.file', 'lxc.log.level', 'lxc.log.syslog',
  'lxc.monitor.signal.pdeath', 'lxc.monitor.unshare',
  'lxc.mount.auto', 'lxc.mount.entry', 'lxc.mount.fstab',
  'lxc.namespace.clone', 'lxc.namespace.keep',
  'lxc.net', 'lxc.no_new_privs',
  'lxc.pty.max',
  'lxc.rootfs.managed', 'lxc.rootfs.mount', 'lxc.rootfs.options', 'lxc.rootfs.path',
  'lxc.sched.core',
  'lxc.seccomp.allow_nesting', 'lxc.seccomp.notify.cookie', 'lxc.seccomp.notify.proxy', 'lxc.seccomp.profile',
  'lxc.selinux.context', 'lxc.selinux.context.keyring',
  'lxc.signal.halt', 'lxc.signal.reboot', 'lxc.signal.stop',
  'lxc.start.auto', 'lxc.start.delay', 'lxc.start.order',
  'lxc.time.offset.boot', 'lxc.time.offset.monotonic',
  'lxc.tty.dir', 'lxc.tty.max',
  'lxc.uts.name',
];

/**
 * Keys looked up by prefix: `lxc.cgroup2.memory.max`, `lxc.prlimit.nofile`...
 * The bare name (`lxc.cgroup2 =`) clears the whole list, except for
 * namespace.share whose table entry ends in a dot.
 */
export const PREFIX_KEYS: readonly { prefix: string; bare: boolean }[] = [
  { prefix: 'lxc.cgroup2', bare: true },
  { prefix: 'lxc.namespace.share', bare: false },
  { prefix: 'lxc.prlimit', bare: true },
  { prefix: 'lxc.sysctl', bare: true },
  { prefix: 'lxc.proc', bare: true },
];

/** cgroup v1 controller keys (`lxc.cgroup.devices.allow`), known up to LXC 6.x. */
export const CGROUP_V1_PREFIX = 'lxc.cgroup';

/** Sub-keys of `lxc.net.N.` (`config_jump_table_net`). */
export const NET_SUBKEYS: readonly string[] = [
  'type', 'flags', 'link', 'name', 'hwaddr', 'mtu', 'l2proxy',
  'ipv4.address', 'ipv4.gateway', 'ipv6.address', 'ipv6.gateway',
  'script.up', 'script.down',
  'macvlan.mode', 'ipvlan.mode', 'ipvlan.isolation', 'vlan.id',
  'veth.mode', 'veth.pair', 'veth.ipv4.route', 'veth.ipv6.route', 'veth.vlan.id', 'veth.vlan.tagged.id',
  'veth.n_rxqueues', 'veth.n_txqueues',
];

/** Sub-keys of the legacy unindexed and indexed `lxc.network.` keys (LXC 2.1 confile.c, "REMOVE IN LXC 3.0"). */
export const LEGACY_NETWORK_SUBKEY_NAMES: readonly string[] = [
  'type', 'flags', 'link', 'name', 'macvlan.mode', 'veth.pair', 'script.up', 'script.down', 'hwaddr', 'mtu', 'vlan.id',
  'ipv4', 'ipv4.gateway', 'ipv6', 'ipv6.gateway',
];

const EXACT = new Set(EXACT_KEYS);
const NET_SUBKEY_SET = new Set(NET_SUBKEYS);
const LEGACY_NET_SUBKEY_SET = new Set(LEGACY_NETWORK_SUBKEY_NAMES);
/** Names that LXC 2.1 introduced in place of a legacy key: unknown to older LXC. */
const RENAMED_IN_2_1 = new Set(Object.values(LEGACY_KEYS).filter((k): k is string => k !== null));

function atLeast(v: LxcVersionLike, major: number, minor = 0): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

function matchesPrefix(key: string, prefix: string, bare: boolean): boolean {
  if (key === prefix) return bare;
  return key.startsWith(prefix + '.') && key.length > prefix.length + 1;
}

/** `lxc.cgroup.<controller>.<file>` or the bare `lxc.cgroup` (not the lxc.cgroup.dir/relative settings). */
export function isCgroupV1Key(key: string): boolean {
  return !EXACT.has(key) && matchesPrefix(key, CGROUP_V1_PREFIX, true);
}

const NET_INDEXED = /^lxc\.net\.(\d+)\.(.+)$/;
const LEGACY_NET = /^lxc\.network(?:\.(\d+))?\.(.+)$/;

function isLegacyKnown(key: string): boolean {
  if (Object.hasOwn(LEGACY_KEYS, key)) return true;
  if (key.startsWith('lxc.limit.') && key.length > 'lxc.limit.'.length) return true;
  const m = LEGACY_NET.exec(key);
  return m !== null && LEGACY_NET_SUBKEY_SET.has(m[2]);
}

/** Current-generation keys (2.1 names), ignoring when each arrived. */
function isCurrentKnown(key: string, version: LxcVersionLike): boolean {
  if (EXACT.has(key)) return true;
  if (PREFIX_KEYS.some((p) => matchesPrefix(key, p.prefix, p.bare))) return true;
  if (isCgroupV1Key(key)) return !atLeast(version, 7);
  const m = NET_INDEXED.exec(key);
  return m !== null && NET_SUBKEY_SET.has(m[2]);
}

export type KeyVerdict =
  | { known: true }
  | {
      known: false;
      /**
       * legacy: a pre-2.1 name, removed in LXC 3.0.
       * cgroup-v1: an `lxc.cgroup.*` controller key, removed in LXC 7.0.
       * too-new: a 2.1 name used with an older LXC.
       * unknown: no LXC version knows it.
       */
      reason: 'legacy' | 'cgroup-v1' | 'too-new' | 'unknown';
    };

/** Whether `key` is accepted by the given LXC version, and why not. */
export function checkKey(key: string, version: LxcVersionLike): KeyVerdict {
  const legacy = isLegacyKnown(key);
  if (!atLeast(version, 2, 1)) {
    if (legacy) return { known: true };
    const isNewName = RENAMED_IN_2_1.has(key) || NET_INDEXED.test(key) || key === 'lxc.net' || key.startsWith('lxc.prlimit');
    if (isNewName) return isCurrentKnown(key, version) ? { known: false, reason: 'too-new' } : { known: false, reason: 'unknown' };
    return isCurrentKnown(key, version) ? { known: true } : { known: false, reason: 'unknown' };
  }
  if (isCurrentKnown(key, version)) return { known: true };
  if (legacy) return atLeast(version, 3) ? { known: false, reason: 'legacy' } : { known: true };
  if (isCgroupV1Key(key)) return { known: false, reason: 'cgroup-v1' };
  return { known: false, reason: 'unknown' };
}

export function isKnownKey(key: string, version: LxcVersionLike): boolean {
  return checkKey(key, version).known;
}

/**
 * The key the user most likely meant, valid for `version`: the current name
 * of a legacy key, the cgroup2 key for a cgroup v1 key, else the nearest
 * known key by edit distance (preferring one that shares more of the key's
 * leading components). Undefined when the key is known or nothing is close.
 */
export function nearestKnownKey(key: string, version: LxcVersionLike): string | undefined {
  const verdict = checkKey(key, version);
  if (verdict.known) return undefined;
  if (verdict.reason === 'legacy') {
    // Dropped keys (lxc.pivotdir, lxc.kmsg, lxc.rootfs.backend) have no successor to suggest.
    if (Object.hasOwn(LEGACY_KEYS, key) && LEGACY_KEYS[key] === null) return undefined;
    const current = canonicalKey(key).replace(/^lxc\.net\.\?\./, 'lxc.net.0.');
    if (current !== key && isKnownKey(current, version)) return current;
  }
  if (verdict.reason === 'too-new') {
    const legacy = Object.entries(LEGACY_KEYS).find(([, current]) => current === key)?.[0];
    if (legacy) return legacy;
    if (key.startsWith('lxc.prlimit.')) return 'lxc.limit.' + key.slice('lxc.prlimit.'.length);
    const net = NET_INDEXED.exec(key);
    if (net) {
      const sub = net[2].replace(/^(ipv[46])\.address$/, '$1');
      if (LEGACY_NET_SUBKEY_SET.has(sub)) return `lxc.network.${net[1]}.${sub}`;
    }
  }
  // `lxc.net.0.ipv4` (left so by lxc-update-config) meant the address, as legacy `lxc.network.0.ipv4` did.
  const net = NET_INDEXED.exec(key);
  if (net && Object.hasOwn(LEGACY_NET_SUBKEYS, net[2])) {
    const current = `lxc.net.${net[1]}.${LEGACY_NET_SUBKEYS[net[2]]}`;
    if (isKnownKey(current, version)) return current;
  }
  if (verdict.reason === 'cgroup-v1') {
    const v2 = 'lxc.cgroup2' + key.slice(CGROUP_V1_PREFIX.length);
    if (isKnownKey(v2, version)) return v2;
  }
  return nearestByDistance(key, version);
}

function candidatesFor(key: string, version: LxcVersionLike): string[] {
  const parts = key.split('.');
  const out: string[] = [];
  const add = (k: string) => {
    if (isKnownKey(k, version)) out.push(k);
  };
  for (const k of EXACT_KEYS) add(k);
  if (!atLeast(version, 3)) for (const k of Object.keys(LEGACY_KEYS)) add(k);
  // A prefix key keeps what follows the prefix: `lxc.cgrop2.memory.max` -> `lxc.cgroup2.memory.max`.
  const prefixes = [...PREFIX_KEYS.map((p) => p.prefix), CGROUP_V1_PREFIX];
  for (const prefix of prefixes) {
    const width = prefix.split('.').length;
    const rest = parts.slice(width).join('.');
    add(rest ? `${prefix}.${rest}` : prefix);
  }
  // Network keys keep their index: `lxc.net.0.lnk` -> `lxc.net.0.link`.
  const index = parts.length > 3 && /^\d+$/.test(parts[2]) ? parts[2] : '0';
  for (const sub of NET_SUBKEYS) add(`lxc.net.${index}.${sub}`);
  if (!atLeast(version, 3)) for (const sub of LEGACY_NETWORK_SUBKEY_NAMES) add(`lxc.network.${sub}`);
  return out;
}

function nearestByDistance(key: string, version: LxcVersionLike): string | undefined {
  if (!key.startsWith('lxc.')) return undefined;
  let best: { key: string; distance: number; shared: number } | undefined;
  for (const candidate of candidatesFor(key, version)) {
    // Judge only the components that differ, so a long shared tail (`.memory.max`) does not make anything look close.
    const [a, b] = differingParts(key, candidate);
    const longest = Math.max(a.length, b.length);
    // Short words tolerate one slip (lnk, pth); longer ones more (entries -> entry), never most of the word.
    const limit = longest <= 4 ? 1 : Math.ceil(longest * 0.45);
    const distance = editDistance(a, b, limit);
    if (distance > limit || distance >= longest) continue;
    const shared = sharedComponents(key, candidate);
    if (!best || distance < best.distance || (distance === best.distance && (shared > best.shared || (shared === best.shared && candidate < best.key)))) {
      best = { key: candidate, distance, shared };
    }
  }
  return best?.key;
}

/** The dot-separated middle parts of two keys after their common leading and trailing components. */
function differingParts(a: string, b: string): [string, string] {
  const pa = a.split('.');
  const pb = b.split('.');
  let head = 0;
  while (head < pa.length && head < pb.length && pa[head] === pb[head]) head++;
  let tail = 0;
  while (tail < pa.length - head && tail < pb.length - head && pa[pa.length - 1 - tail] === pb[pb.length - 1 - tail]) tail++;
  return [pa.slice(head, pa.length - tail).join('.'), pb.slice(head, pb.length - tail).join('.')];
}

function sharedComponents(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  let n = 0;
  while (n < pa.length && n < pb.length && pa[n] === pb[n]) n++;
  return n;
}

/** Optimal string alignment distance (a swap of two neighbours costs 1); stops early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length][b.length];
}
