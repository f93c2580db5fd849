/**
 * How CRIU handles each mount fstype in a mount-namespace dump, per CRIU
 * version. Source: criu/filesystems.c `fstypes[]` at v4.2 and its history
 * (team notes, criu-facts.md §1).
 *
 * CRIU looks a type up with an exact strcmp on the mountinfo fstype
 * (`find_fstype_by_name`): `fuse.lxcfs` is not `fuse`. The table is searched
 * first and `--enable-fs` names only after it, so `--enable-fs` cannot rescue
 * a type that is in the table (btrfs, fuse).
 */
import { atLeast, formatVersion, type VersionLike } from './version.js';
import { textTable } from '../util/table.js';

/** The newest CRIU release ctcr knows (tag v4.2, 2025-11-13). */
export const NEWEST_KNOWN_CRIU = '4.2';

/** LXC's lxc-checkpoint passes `--enable-fs hugetlbfs --enable-fs tracefs` on every dump and restore (lxc src/lxc/criu.c). */
export const LXC_ENABLED_FS: readonly string[] = ['hugetlbfs', 'tracefs'];

/** `--enable-fs` exists since v1.6; the named `auto_cr` type since v2.2. */
export const ENABLE_FS_SINCE = '1.6';

export type FsSupportLevel = 'supported' | 'content-dumped' | 'must-be-empty' | 'always-fails' | 'unsupported';

interface FsTableEntry {
  fstype: string;
  /** First CRIU release with this entry. */
  since: string;
  level: FsSupportLevel;
  needsTool?: 'tar';
  note: string;
}

/** criu/filesystems.c fstypes[] (v4.2), with the release that added each entry. */
export const CRIU_FSTYPES: readonly FsTableEntry[] = [
  { fstype: 'proc', since: '1.0', level: 'supported', note: 'no content; re-mounted with the same options' },
  { fstype: 'sysfs', since: '1.0', level: 'supported', note: 'no content; re-mounted with the same options' },
  {
    fstype: 'devtmpfs',
    since: '1.0',
    level: 'supported',
    note: "re-mounted; its content is dumped with tar only when the instance is virtualized (not the host's devtmpfs)",
  },
  { fstype: 'binfmt_misc', since: '1.0', level: 'supported', note: 'registered entries are dumped to an image and restored' },
  {
    fstype: 'tmpfs',
    since: '1.0',
    level: 'content-dumped',
    needsTool: 'tar',
    note: "content dumped with tar (needs the 'tar' binary on both hosts; failures read \"Can't dump tmpfs content\")",
  },
  { fstype: 'devpts', since: '1.0', level: 'supported', note: 're-mounted (newinstance when virtualized); bind mounts of single ptys need their master in the tree' },
  { fstype: 'simfs', since: '1.0', level: 'supported', note: 'OpenVZ simfs; re-mounted' },
  { fstype: 'btrfs', since: '1.2', level: 'unsupported', note: 'listed but FSTYPE__UNSUPPORTED (only used to detect bind mounts); --enable-fs does not help because the table wins' },
  { fstype: 'pstore', since: '1.3', level: 'must-be-empty', note: "must be empty at dump time, otherwise \"pstore isn't empty\"" },
  { fstype: 'securityfs', since: '1.3', level: 'supported', note: 'no content; re-mounted' },
  { fstype: 'fusectl', since: '1.3', level: 'supported', note: 'dump checks that every fuse connection belongs to an external mount' },
  { fstype: 'debugfs', since: '1.3', level: 'supported', note: 're-mounted recursively (tracefs may sit under it)' },
  { fstype: 'cgroup', since: '1.3', level: 'supported', note: 'no content; re-mounted (cgroup namespaces handled)' },
  { fstype: 'aufs', since: '1.3', level: 'supported', note: 're-mounted; branches parsed' },
  { fstype: 'mqueue', since: '1.4', level: 'must-be-empty', note: "must be empty: live POSIX message queues fail the dump with \"mqueue isn't empty\"" },
  { fstype: 'fuse', since: '1.6', level: 'always-fails', note: "exact type 'fuse' always fails: \"failed to dump fs ... always fail\"; --enable-fs does not help" },
  { fstype: 'overlay', since: '1.7', level: 'supported', note: 're-mounted; branches parsed' },
  { fstype: 'tracefs', since: '2.3', level: 'supported', note: 're-mounted' },
  { fstype: 'autofs', since: '2.4', level: 'supported', note: 'own dump and mount code (the automount daemon must be in the tree)' },
  { fstype: 'cgroup2', since: '3.14', level: 'supported', note: 'no content; re-mounted' },
];

export interface FsSupport {
  support: FsSupportLevel;
  /** The CRIU release from which this answer holds (absent for types CRIU never knew). */
  since?: string;
  needsTool?: 'tar';
  /** True when the answer comes from `--enable-fs` (the `auto_cr` type). */
  viaEnableFs?: boolean;
  note: string;
}

export interface FsSupportOptions {
  /** Names given to `--enable-fs` (each may be a comma-separated list, or `all`). */
  enableFs?: readonly string[];
}

function enabledNames(enableFs: readonly string[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const item of enableFs ?? []) for (const n of item.split(',')) if (n.trim()) names.add(n.trim());
  return names;
}

/** How a mount of `fstype` (mountinfo field, exact) at its fs root fares with CRIU `criuVersion`. */
export function fsSupport(fstype: string, criuVersion: VersionLike, options: FsSupportOptions = {}): FsSupport {
  const entry = CRIU_FSTYPES.find((e) => e.fstype === fstype);
  if (entry && atLeast(criuVersion, entry.since)) {
    return { support: entry.level, since: entry.since, ...(entry.needsTool ? { needsTool: entry.needsTool } : {}), note: entry.note };
  }
  const names = enabledNames(options.enableFs);
  if ((names.has(fstype) || names.has('all')) && atLeast(criuVersion, ENABLE_FS_SINCE)) {
    return {
      support: 'supported',
      since: ENABLE_FS_SINCE,
      viaEnableFs: true,
      note: `--enable-fs ${fstype}: re-mounted from its source and options (auto_cr); CRIU's man page calls this unsafe`,
    };
  }
  if (entry) {
    return {
      support: 'unsupported',
      note: `CRIU ${formatVersion(criuVersion)} does not know ${fstype} (added in ${entry.since})`,
    };
  }
  const fuseSubtype = fstype.startsWith('fuse.') ? ` (a FUSE subtype, which CRIU does not treat as 'fuse')` : '';
  return { support: 'unsupported', note: `not in CRIU's table${fuseSubtype}: a mount of it at its fs root fails "FS mnt ... unsupported"` };
}

export type FsWorkaroundKind = 'unmount' | 'external' | 'skip-mnt' | 'enable-fs';

export interface FsWorkaround {
  kind: FsWorkaroundKind;
  description: string;
  /** Options to add on dump and on restore. */
  dump: string[];
  restore: string[];
}

/** `--external` arrived in v2.0 and took over `--ext-mount-map` in v2.8; `--skip-mnt` is from v1.6. */
const EXTERNAL_MNT_SINCE = '2.8';
const SKIP_MNT_SINCE = '1.6';

/** A stable `--external mnt[...]` cookie for a mountpoint: `/sys/fs/pstore` → `ext-sys-fs-pstore`. */
export function mountCookie(mountpoint: string): string {
  return 'ext-' + (mountpoint.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root');
}

/**
 * The ways around a mount CRIU refuses, for this CRIU version, best first.
 * `cookie` names the mount across dump and restore for `--external`.
 */
export function fsWorkarounds(fstype: string, mountpoint: string, criuVersion: VersionLike, cookie = mountCookie(mountpoint)): FsWorkaround[] {
  const out: FsWorkaround[] = [];
  const support = fsSupport(fstype, criuVersion);
  out.push({
    kind: 'unmount',
    description:
      support.support === 'must-be-empty'
        ? `empty ${mountpoint} before the dump (or do not mount ${fstype} in the container)`
        : `do not mount ${fstype} at ${mountpoint} in the container`,
    dump: [],
    restore: [],
  });
  const modern = atLeast(criuVersion, EXTERNAL_MNT_SINCE);
  out.push({
    kind: 'external',
    description: `treat ${mountpoint} as an external mount: the restore side must provide the same directory`,
    dump: modern ? ['--external', `mnt[${mountpoint}]:${cookie}`] : ['--ext-mount-map', `${mountpoint}:${cookie}`],
    restore: modern ? ['--external', `mnt[${cookie}]:HOST_PATH`] : ['--ext-mount-map', `${cookie}:HOST_PATH`],
  });
  if (atLeast(criuVersion, SKIP_MNT_SINCE)) {
    out.push({ kind: 'skip-mnt', description: `ignore ${mountpoint} (its content is not restored)`, dump: ['--skip-mnt', mountpoint], restore: [] });
  }
  const inTable = CRIU_FSTYPES.some((e) => e.fstype === fstype);
  if (!inTable && atLeast(criuVersion, ENABLE_FS_SINCE)) {
    out.push({
      kind: 'enable-fs',
      description: `let CRIU re-mount ${fstype} from its source and options (unsafe for filesystems with state)`,
      dump: ['--enable-fs', fstype],
      restore: ['--enable-fs', fstype],
    });
  }
  return out;
}

/** Where distributions and LXC mount special filesystems: a hint when a log names only the mountpoint. */
const USUAL_FSTYPE_AT = textTable<string>({
  '/sys/fs/pstore': 'pstore',
  '/sys/kernel/config': 'configfs',
  '/sys/kernel/debug': 'debugfs',
  '/sys/kernel/tracing': 'tracefs',
  '/sys/kernel/security': 'securityfs',
  '/sys/fs/bpf': 'bpf',
  '/sys/fs/fuse/connections': 'fusectl',
  '/sys/firmware/efi/efivars': 'efivarfs',
  '/dev/mqueue': 'mqueue',
  '/dev/hugepages': 'hugetlbfs',
  '/proc/sys/fs/binfmt_misc': 'binfmt_misc',
});

/** The fstype usually mounted at `mountpoint`, or undefined. */
export function usualFstypeAt(mountpoint: string): string | undefined {
  return USUAL_FSTYPE_AT[mountpoint.replace(/\/+$/, '') || '/'];
}
