/**
 * The contracts between the stages of ctcr: gatherers fill a {@link Snapshot},
 * rules read it and return {@link Report}s, the engine turns those into
 * {@link Finding}s, the fixer applies their {@link Fix}es, the runner reads
 * the snapshot to build CRIU's command line.
 */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Where in a file something is; line and column are 1-based. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

// ---------------------------------------------------------------------------
// Fixes are data: the fixer is the only code that writes.

/** Replace text[start, end) of `file` with `text` (offsets into the file as read). */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** An operation on a path inside the container's root filesystem (paths are rootfs-absolute, e.g. `/sbin/udevd`). */
export type RootfsOperation = { op: 'rename'; from: string; to: string };

export interface Fix {
  /** What the fix does, in words: "rename lxc.tty to lxc.tty.max". */
  description: string;
  edits: TextEdit[];
  rootfsOps?: RootfsOperation[];
}

/**
 * `fix`: keeps the container's behaviour (a legacy key renamed), applied by `--fix`.
 * `suggestion`: changes behaviour (console off), applied only with `--suggestions` or `--rule ID`.
 */
export type FixKind = 'fix' | 'suggestion';

// ---------------------------------------------------------------------------
// The LXC config, lossless.

export interface ConfigLine {
  /** 1-based line number. */
  line: number;
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the line's content, before its end-of-line characters. */
  end: number;
  /** The end-of-line characters ('\n', '\r\n', '\r' or '' on a last line without one). */
  eol: string;
  kind: 'blank' | 'comment' | 'entry' | 'other';
}

export interface ConfigEntry {
  file: string;
  line: number;
  /** Column of the key's first character (1-based). */
  column: number;
  /** The key as written (trimmed). */
  key: string;
  /** The value as LXC sees it: trimmed, matching outer quotes removed. Everything after `=`, so no inline comments. */
  value: string;
  /** Offsets in the file: the whole line's content [start,end), the line including its EOL, the key, the raw value (trimmed). */
  lineStart: number;
  lineEnd: number;
  lineEndWithEol: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface LxcDocument {
  path: string;
  /** The file's text exactly as read. Printing an unchanged document gives this back byte for byte. */
  text: string;
  lines: ConfigLine[];
  entries: ConfigEntry[];
}

export interface IncludeRef {
  entry: ConfigEntry;
  /** Absolute path the include names. */
  target: string;
  kind: 'file' | 'dir' | 'missing';
  /** Files included, in the order LXC reads them. */
  files: string[];
}

export interface NetworkSpec {
  /** Index N of lxc.net.N (for legacy unindexed blocks: their position). */
  index: number;
  /** Sub-key (type, link, name, veth.pair, ...) to its last entry. */
  keys: Record<string, ConfigEntry>;
  type?: string;
  /** The entry that set the type, or the first entry of the network. */
  entry: ConfigEntry;
}

export interface LxcConfig {
  /** Absolute path of the main config file. */
  path: string;
  /** Every file read (main first, then includes in reading order). */
  documents: LxcDocument[];
  /** All entries in the order LXC applies them, includes expanded in place. */
  entries: ConfigEntry[];
  includes: IncludeRef[];
}

export interface MountSpec {
  origin: 'fstab' | 'entry' | 'auto';
  /** fstab fields; for `lxc.mount.auto` tokens, fsname is the token (proc:mixed, sys, cgroup:rw ...). */
  fsname: string;
  target: string;
  fstype: string;
  options: string[];
  /** Where it was written: the fstab line or the config entry. */
  location: Location;
  /** The config entry that declared it (lxc.mount.entry, lxc.mount.auto, or lxc.mount.fstab for fstab lines). */
  entry: ConfigEntry;
}

export interface FstabFacts {
  path: string;
  /** Undefined when the file could not be read (see `missing`). */
  text?: string;
  missing: boolean;
  entry: ConfigEntry;
}

// ---------------------------------------------------------------------------
// The root filesystem.

export interface RootfsEntry {
  /** The path asked for, rootfs-absolute. */
  path: string;
  /** The path it resolves to inside the rootfs after following symlinks (never outside it). */
  realPath: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** st_mode: type and permission bits. */
  mode: number;
  /** Bytes of content for a file, of the target text for a symlink, 0 for directories and others. */
  size: number;
  /**
   * Set only when the asked path is a symlink that leads nowhere: its target
   * is missing, or following it loops. Then type is 'symlink' and realPath is
   * the link itself.
   */
  broken?: 'missing' | 'loop';
}

export interface RootfsFacts {
  kind: 'dir' | 'image';
  /** The directory, or the image file. */
  location: string;
  /** Answers for every path a rule declared in `rootfsPaths`: an entry, or null when absent. */
  paths: Record<string, RootfsEntry | null>;
}

// ---------------------------------------------------------------------------
// Live facts (doctor). Each gatherer's result is a Gathered<T>: a failure is a
// fact too, so rules can say what could not be determined.

export type Gathered<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface VersionNumber {
  major: number;
  minor: number;
  patch: number;
  /** As printed. */
  text: string;
}

export interface CriuFacts {
  path: string;
  version: VersionNumber;
  /** `criu check` exit 0 and "Looks good." */
  checkOk: boolean;
  checkOutput: string;
  /** Feature name -> supported, for the features probed with `criu check --feature`. */
  features: Record<string, boolean>;
  /** `criu check`'s exit code (0 only for "Looks good."). */
  checkExitCode?: number;
  /** The `GitID:` line of `criu --version`, on builds from git. */
  gitId?: string;
  /** Probed features this criu does not know ("Unknown feature"): older than the feature; also false in `features`. */
  unknownFeatures?: string[];
  /** Probed features whose answer could not be determined (timeout, criu failed before probing), with why; absent from `features`. */
  featureErrors?: Record<string, string>;
}

export interface HostFacts {
  kernel: Gathered<{ release: string; version: VersionNumber; arch: string }>;
  criu: Gathered<CriuFacts | null>;
  /** The `ip` CRIU runs (`CR_IP_TOOL`, else `ip` on PATH). `snapshot` is the yymmdd of old `iproute2-ssYYMMDD` output (the version is then inferred from that date, text `ssYYMMDD`). */
  ip: Gathered<{ path: string; version: VersionNumber | null; raw: string; snapshot?: string; fromEnv?: boolean } | null>;
  /** Helper programs CRIU runs, by name: absolute path or null when not on PATH. */
  tools: Gathered<Record<string, string | null>>;
  /** `freezerV1`: mount point of the v1 freezer controller or null; `unifiedPath`: where cgroup2 is mounted or null. */
  cgroups: Gathered<{ layout: 'v1' | 'v2' | 'hybrid' | 'none'; mounts: { fstype: string; target: string; options: string[] }[]; freezerV1?: string | null; unifiedPath?: string | null }>;
  bridges: Gathered<string[]>;
  /**
   * `enabled`: what CRIU sees (`/sys/kernel/security/apparmor` exists; CRIU refuses `--lsm-profile apparmor:` without it).
   * `securityfs`: the same test, named; `moduleEnabled`: what LXC sees (`/sys/module/apparmor/parameters/enabled` is `Y`; null when the file is absent).
   */
  apparmor: Gathered<{ enabled: boolean; securityfs?: boolean; moduleEnabled?: boolean | null }>;
  /** `path`: the LXC tool that answered. (Where containers live is not a host fact: src/gather/lxcpath.ts resolves it once per command.) */
  lxc: Gathered<{ version: VersionNumber | null; path?: string } | null>;
  /** The variables that change what CRIU runs (CR_IP_TOOL, CR_IPTABLES, CR_IP6TABLES, CRIU_CONFIG_FILE) and PATH. */
  env: Record<string, string | undefined>;
  /** The effective user id ctcr runs as (LXC refuses to checkpoint unless 0). */
  euid?: number;
  /** How long each probe took, in ms, by HostFacts key. */
  timings?: Record<string, number>;
  /**
   * CRIU's own config files as CRIU would read them for lxc-checkpoint
   * (/etc/criu/default.conf, ~/.criu/default.conf, $CRIU_CONFIG_FILE): the
   * files found and the options they add, as argv (`--network-lock`, `nftables`).
   */
  criuConfig?: Gathered<{ files: string[]; argv: string[] }>;
  /** The host's mount table (/proc/self/mountinfo), for the filesystem a bind mount's source is on. Absent in older recordings. */
  mounts?: Gathered<HostMount[]>;
}

/** One line of the host's mount table, the fields rules read. */
export interface HostMount {
  mountPoint: string;
  /** The path within its filesystem that is mounted (`/` for the filesystem's root). */
  root: string;
  fstype: string;
  source: string;
}

export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  majorMinor: string;
  root: string;
  mountPoint: string;
  options: string[];
  fstype: string;
  source: string;
  superOptions: string[];
  /** The optional fields as printed (`shared:1`, `master:2`, `propagate_from:3`, `unbindable`). */
  optionalFields?: string[];
  /** Peer group id when the mount is shared. */
  shared?: number;
  /** Peer group id of the master when the mount is a slave. */
  master?: number;
  propagateFrom?: number;
  unbindable?: boolean;
}

export interface ProcessFacts {
  pid: number;
  /** PID inside the container's pid namespace. */
  nspid?: number;
  ppid: number;
  comm: string;
  cmdline: string[];
  exe?: string;
  /** True for init and its descendants (the tree CRIU dumps with -t init); false for processes only sharing the pid namespace (e.g. lxc-attach'ed). */
  inTree?: boolean;
  /** `/proc/PID/ns/net` link, e.g. `net:[4026532177]`. */
  netns?: string;
  // --- What CRIU reads of every task (the process gatherer fills these; absent in old fixtures). ---
  /** The state letter of /proc/PID/stat: R S D T t Z X I (`t` = stopped by a tracer). */
  state?: string;
  /** `TracerPid:` of /proc/PID/status; 0 when not traced. */
  tracerPid?: number;
  /** `Threads:` of /proc/PID/status. */
  threads?: number;
  /** `Seccomp:` of /proc/PID/status: 0 none, 1 strict, 2 filter. */
  seccomp?: number;
  /**
   * The last value of `NSsid:` in /proc/PID/status: the session id inside the task's own pid namespace;
   * 0 when its session leader is outside that namespace (CRIU refuses such a task). Absent when unknown.
   */
  nsSid?: number;
  /** Every `/proc/PID/ns/*` link by kind, e.g. `{ pid: 'pid:[4026532177]', ... }` (pid_for_children, time_for_children included). */
  namespaces?: Partial<Record<NamespaceKind, string>>;
  /** Every open descriptor; a failure to read them is kept as a fact. */
  fds?: Gathered<FdFacts[]>;
  /**
   * Mappings of files that CRIU must dump specially: deleted files, io_uring rings (`anon_inode:[io_uring]`) and `[uprobes]`
   * (from /proc/PID/maps and map_files). Files on another mount than the task's root are not singled out yet.
   */
  mappings?: Gathered<MappingFacts[]>;
}

export type NamespaceKind = 'pid' | 'pid_for_children' | 'user' | 'net' | 'mnt' | 'ipc' | 'uts' | 'cgroup' | 'time' | 'time_for_children';

/**
 * What a descriptor is, from its /proc/PID/fd link and fdinfo: `anon_inode:[eventfd]` is 'eventfd',
 * `socket:[N]` 'socket', `/path (deleted)` 'deleted', a path to a character device 'chr', ...
 */
export type FdKind =
  | 'regular' | 'directory' | 'deleted' | 'socket' | 'pipe' | 'fifo' | 'chr' | 'blk' | 'tty' | 'symlink'
  | 'eventfd' | 'eventpoll' | 'signalfd' | 'timerfd' | 'inotify' | 'fanotify' | 'io_uring' | 'perf_event'
  | 'bpf-map' | 'bpf-prog' | 'bpf-link' | 'userfaultfd' | 'pidfd' | 'memfd' | 'mqueue' | 'anon' | 'other';

export interface FdFacts {
  fd: number;
  /** readlink(/proc/PID/fd/N) as the kernel prints it. */
  link: string;
  kind: FdKind;
  /** fdinfo `flags:` (octal in the file, a number here). */
  flags?: number;
  /** fdinfo `pos:`. */
  pos?: number;
  /** fdinfo `mnt_id:`: the mount the file was opened on (compare with the container's mount ids). */
  mntId?: number;
  /** For files: the path without ` (deleted)`; for memfd the name. */
  path?: string;
  /** stat of the open file (through /proc/PID/fd/N): size, links, device and inode. */
  size?: number;
  nlink?: number;
  dev?: number;
  ino?: number;
  /** Socket inode for kind 'socket'; the socket itself is in ContainerFacts.sockets. */
  socketInode?: number;
  /** The other fdinfo lines (`inotify wd:...`, `eventfd-count:`, `tfd:` ...), key -> value, repeated keys joined by newlines. */
  info?: Record<string, string>;
}

export interface MappingFacts {
  start: string;
  end: string;
  perms: string;
  /** The mapped path as /proc/PID/maps prints it, without ` (deleted)`. */
  path: string;
  deleted: boolean;
  inode: number;
  /** Bytes of the file when it could be stat'ed through map_files. */
  size?: number;
}

/** One line of /proc/locks: `1: POSIX  ADVISORY  WRITE 1234 fd:00:12345 0 EOF`. */
export interface FileLockFacts {
  id: number;
  kind: 'POSIX' | 'FLOCK' | 'OFDLCK' | 'LEASE' | 'DELEG' | 'ACCESS' | string;
  mode: string;
  type: string;
  /** Owner PID as the host sees it; -1 for OFD locks with no owner. */
  pid: number;
  /** `maj:min:inode` as printed. */
  device: string;
  inode: number;
  start: string;
  end: string;
  /** `->` lines: a lock waiting on this one. */
  blocked?: boolean;
}

export interface SocketFacts {
  pid: number;
  fd: number;
  family: 'unix' | 'netlink' | 'inet' | 'inet6' | 'packet' | 'other';
  /** tcp/udp/raw..., netlink protocol number as text, ... */
  protocol: string;
  state?: string;
  recvQueue?: number;
  local?: string;
  remote?: string;
  inode?: number;
  /** netlink: the protocol's name (route, sock_diag, kobject_uevent...); inet: tcp, udp, udplite, raw, icmp. */
  protocolName?: string;
  /** unix: stream, dgram, seqpacket; packet: raw or dgram. */
  type?: string;
  /** unix: the bound name (`@name` for abstract ones). */
  path?: string;
  listening?: boolean;
  /** unix: the inode of the connected peer, when known (`ss -x` or sock_diag); 0 or absent when unconnected or unknown. */
  peerInode?: number;
  /** unix: the peer is held by no task of the container (CRIU: an external unix socket). Absent when unknown. */
  peerOutside?: boolean;
}

/** The source of a bind lxc.mount.entry, as found on this host. */
export interface BindSourceFacts {
  /** The source as the entry names it (unescaped). */
  source: string;
  exists: boolean;
  /** Its last component is a symbolic link (lstat). */
  symlink: boolean;
  /** What it resolves to (realpath), when it exists. */
  realPath?: string;
}

export interface ContainerFacts {
  name: string;
  lxcpath: string;
  configPath: string;
  state: string;
  initPid: number | null;
  /** A config file exists at `configPath`. */
  defined?: boolean;
  /** Where state and initPid came from: `lxc-info`, or the `[lxc monitor] LXCPATH NAME` process when lxc-info is missing or failed. */
  stateSource?: 'lxc-info' | 'monitor';
  /** Why lxc-info was not used or what it said, when the monitor route was taken. */
  stateNote?: string;
  monitorPid?: number | null;
  mountinfo: Gathered<MountInfoEntry[]>;
  processes: Gathered<ProcessFacts[]>;
  sockets: Gathered<SocketFacts[]>;
  /** The host paths its bind lxc.mount.entry lines name (the doctor gathers them from the config). */
  bindSources?: Gathered<BindSourceFacts[]>;
  /**
   * What is in the container's pstore and mqueue mounts, which CRIU dumps only when empty ("mqueue isn't empty"):
   * each such mount of the init's mount table and the names in it, read through /proc/INIT/root (the doctor's probe).
   */
  mustBeEmpty?: Gathered<{ mountPoint: string; fstype: string; entries: string[] }[]>;
  /** /proc/locks lines held by the container's tasks (by PID). */
  locks?: Gathered<FileLockFacts[]>;
  /**
   * Whether the peers of its unix sockets (SocketFacts.peerInode, peerOutside) could be read: the value says how
   * (`ss -xan in 1 network namespace(s)`); a failure leaves those fields absent, and is reported as such.
   */
  unixPeers?: Gathered<string>;
}

export interface CheckpointDirFacts {
  path: string;
  exists: boolean;
  hasInventory: boolean;
  hasTtyInfo: boolean;
  /** False when the path exists but is not a directory. */
  isDirectory?: boolean;
  /** What could not be read (e.g. permission denied), when something could not. */
  error?: string;
}

// ---------------------------------------------------------------------------
// The snapshot: everything the rules may read, gathered once.

export interface Assumptions {
  /** CRIU version to judge against when no live CRIU is known (`--criu-version`, default newest known). */
  criuVersion: VersionNumber;
  /** LXC version to judge against when no live LXC is known (`--lxc-version`, default newest known). */
  lxcVersion: VersionNumber;
  /**
   * True when lxcVersion is ctcr's default (no --lxc-version, no lxc-version in the settings): a config written
   * in pre-2.1 keys is then also judged for the LXC that reads such keys (legacyLxcVersion).
   */
  lxcVersionDefaulted?: boolean;
}

export interface Snapshot {
  /** What was asked for: a config path, a container directory, or a container name. */
  target: string;
  /** The parsed config; undefined when there is none (an image linted alone). */
  config?: LxcConfig;
  fstabs: FstabFacts[];
  mounts: MountSpec[];
  rootfs?: RootfsFacts;
  /** Why the rootfs is not there, when a config names one that cannot be read. */
  rootfsProblem?: {
    path: string;
    reason: string;
    entry?: ConfigEntry;
    /** True when the rootfs should be there (a container directory, a live container), false for a lone config. */
    expected?: boolean;
  };
  assumptions: Assumptions;
  /** Live facts, present only in `ctcr doctor` (and the commands built on it). */
  host?: HostFacts;
  container?: ContainerFacts;
  checkpointDir?: CheckpointDirFacts;
  /** A move to another host (`ctcr doctor NAME --target HOST`, `ctcr migrate`): the target's facts and what the source needs there; read by the `target` rules. */
  move?: import('./migrate/facts-types.js').MoveFacts;
  /** The operation the facts are gathered for: a doctor run, or before a dump or a restore. */
  purpose: 'lint' | 'doctor' | 'dump' | 'restore';
}

// ---------------------------------------------------------------------------
// Rules.

export interface RuleDocs {
  /** Why it matters: what CRIU or LXC does when it happens. */
  why: string;
  /** How to fix it, in words. */
  fix: string;
  /** A URL or a named source. */
  reference?: string;
}

/** What a rule's `check` returns for one problem. */
export interface Report {
  /** One line: what is wrong here and what to do; the why stays in the rule's docs. */
  message: string;
  /** Which of the rule's declared `messages` this is (ESLint's messageId): stable across wording changes, for tools and suppressions of a kind. */
  messageId?: string;
  location: Location;
  /** Overrides the rule's severity for this report (rare: e.g. info when a later fact makes it harmless). */
  severity?: Severity;
  fix?: Fix;
  /** Fixes that change behaviour; applied only when asked. */
  suggestions?: Fix[];
  /** The CRIU option that works around it, for the command builder and `--explain-options`. */
  criuOptions?: string[];
}

/** What explain is given besides the match: the whole parsed log and its root-error line. */
export interface SignatureContext {
  log: import('./criu/log-lines.js').ParsedCriuLog;
  root: import('./criu/log-lines.js').CriuLogLine;
}

export interface SignatureResult {
  /** Overrides the rule's id when one message has several causes. */
  ruleId?: string;
  message: string;
  fix: string;
  criuOptions?: string[];
  severity?: Severity;
}

/** A CRIU (or lxc-checkpoint) log message of a rule's cause, matched on the message text (never file:line). */
export interface LogSignature {
  pattern: RegExp;
  explain(m: RegExpExecArray, ctx: SignatureContext): SignatureResult;
  /** Real lines the pattern must match, with where each was seen (fixture `# source:`, criu-facts.md, or `lab: criu 4.2.1, kernel 6.18`). */
  samples: readonly { line: string; source: string }[];
}

export interface Rule {
  /** kebab-case; the file name in rules/ without extension. */
  id: string;
  severity: Severity;
  /** One line: what the rule reports. */
  summary: string;
  docs: RuleDocs;
  /**
   * `static` rules need only files; `live` ones need host or container facts and stay silent without them;
   * `log` ones have no check (no fact shows their cause beforehand): evaluate skips them, explain recognises them in CRIU logs only.
   * `target` ones compare this host with a migration's target (snapshot.move) and run only when it is there.
   */
  scope: 'static' | 'live' | 'log' | 'target';
  /**
   * CRIU log messages this rule's cause produces. explain walks the loaded rules in evaluation order
   * and the first signature that matches the root error wins.
   */
  logSignatures?: readonly LogSignature[];
  /**
   * For a `scope: 'log'` rule of one CRIU subsystem: the CRIU source files whose error lines belong to it
   * (paths as in CRIU's tree, any version: `criu/sk-unix.c`, v2's `sk-unix.c`). explain names this rule for a
   * root error that no signature matches when the line's `Error (file:line)` is one of them; `name` completes
   * "CRIU failed in ...".
   */
  logArea?: {
    name: string;
    files: readonly string[];
    /**
     * The area's subject as words in a message (`/seccomp/`): a line from a file of a `generic` area
     * (cr-restore.c, the restorer, util.c serve every subsystem) that names it belongs here instead.
     */
    mentions?: RegExp;
    /** The files serve every subsystem: a message that `mentions` another area goes to that one. */
    generic?: boolean;
  };
  /** Rootfs paths the rule wants answered in `snapshot.rootfs.paths`. */
  rootfsPaths?: readonly string[];
  /** Absent only for `scope: 'log'` rules. */
  check?(snapshot: Snapshot): Report[];
  /**
   * The kinds of message `check` reports, by id (ESLint's `meta.messages`): id -> the message in general words, one line.
   * Every report carries one of these ids; the finding's own text fills in the specifics.
   */
  messages?: Readonly<Record<string, string>>;
  /** `check` may attach a `fix` (applied by --fix; ESLint's `meta.fixable`). */
  fixable?: boolean;
  /** `check` may attach `suggestions` (applied only when asked; ESLint's `meta.hasSuggestions`). */
  hasSuggestions?: boolean;
}

/** A report after the engine has attached rule id and effective severity. */
export interface Finding extends Report {
  ruleId: string;
  severity: Severity;
}
