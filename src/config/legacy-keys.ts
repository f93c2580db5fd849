/**
 * Pre-2.1 keys and their current names, as LXC 2.1's confile.c ("REMOVE IN
 * LXC 3.0") and lxc-update-config map them. A null means the key was dropped
 * and the line should go.
 */
import { textTable } from '../util/table.js';

export const LEGACY_KEYS = textTable<string | null>({
  'lxc.rootfs': 'lxc.rootfs.path',
  'lxc.rootfs.backend': null,
  'lxc.id_map': 'lxc.idmap',
  'lxc.pts': 'lxc.pty.max',
  'lxc.tty': 'lxc.tty.max',
  'lxc.devttydir': 'lxc.tty.dir',
  'lxc.aa_profile': 'lxc.apparmor.profile',
  'lxc.aa_allow_incomplete': 'lxc.apparmor.allow_incomplete',
  'lxc.se_context': 'lxc.selinux.context',
  'lxc.mount': 'lxc.mount.fstab',
  'lxc.utsname': 'lxc.uts.name',
  'lxc.seccomp': 'lxc.seccomp.profile',
  'lxc.console': 'lxc.console.path',
  'lxc.haltsignal': 'lxc.signal.halt',
  'lxc.rebootsignal': 'lxc.signal.reboot',
  'lxc.stopsignal': 'lxc.signal.stop',
  'lxc.syslog': 'lxc.log.syslog',
  'lxc.loglevel': 'lxc.log.level',
  'lxc.logfile': 'lxc.log.file',
  'lxc.init_cmd': 'lxc.init.cmd',
  'lxc.init_uid': 'lxc.init.uid',
  'lxc.init_gid': 'lxc.init.gid',
  'lxc.limit': 'lxc.prlimit',
  'lxc.pivotdir': null,
  'lxc.kmsg': null,
  'lxc.network': 'lxc.net',
});

/** Legacy `lxc.network[.N].<sub>` sub-keys whose current name differs (unindexed ipv4/ipv6 hold addresses). */
export const LEGACY_NET_SUBKEYS = textTable<string>({
  ipv4: 'ipv4.address',
  ipv6: 'ipv6.address',
});

const NET_INDEXED = /^lxc\.network\.(\d+)\.(.+)$/;
const NET_UNINDEXED = /^lxc\.network\.([a-z].*)$/;

/** Rules ask for the canonical key of every entry many times over; a config has few distinct keys. */
const canonicalCache = new Map<string, string>();

/**
 * The current name of a key, for reading a config of either generation.
 * Network keys keep their index when they have one; unindexed legacy network
 * keys map to `lxc.net.?.<sub>` since their index depends on position (see
 * `networks()` in query.ts).
 */
export function canonicalKey(key: string): string {
  let known = canonicalCache.get(key);
  if (known === undefined) {
    known = computeCanonicalKey(key);
    canonicalCache.set(key, known);
  }
  return known;
}

function computeCanonicalKey(key: string): string {
  if (Object.hasOwn(LEGACY_KEYS, key)) return LEGACY_KEYS[key] ?? key;
  if (key.startsWith('lxc.limit.')) return 'lxc.prlimit.' + key.slice('lxc.limit.'.length);
  let m = NET_INDEXED.exec(key);
  if (m) return `lxc.net.${m[1]}.${LEGACY_NET_SUBKEYS[m[2]] ?? m[2]}`;
  m = NET_UNINDEXED.exec(key);
  if (m) return `lxc.net.?.${LEGACY_NET_SUBKEYS[m[1]] ?? m[1]}`;
  return key;
}

export function isLegacyKey(key: string): boolean {
  return canonicalKey(key) !== key || Object.hasOwn(LEGACY_KEYS, key);
}
