/**
 * Builds the CRIU invocation for one checkpoint or restore, from the facts
 * and the doctor's findings, for the CRIU version in use. Pure: no I/O. Every
 * option comes with why it is there (a finding's rule id, a fact, or the
 * engine), so `ctcr checkpoint --explain-options` can say it.
 *
 * Two engines:
 * - `lxc`: `lxc-checkpoint` runs CRIU and keeps managing the container. It
 *   always passes its own set of options (lxc-facts.md §1d); what else CRIU
 *   needs goes through CRIU's config-file chain: a file named by
 *   CRIU_CONFIG_FILE for that one command (the runner writes and removes it).
 * - `criu`: ctcr runs criu itself, the way CRIU's LXC page does: dump the
 *   init's tree with -t, restore with --root, --restore-detached, --pidfile
 *   and the host side of each veth.
 */
import type { Finding, NetworkSpec, Snapshot, SocketFacts, VersionNumber } from '../types.js';
import { networks, rootfsLocation, scalarValue } from '../config/query.js';
import { CRIU_CONFIG_SINCE, parseCriuConfig, renderCriuConfig, type CriuConfigOption } from './config-file.js';
import { parseCriuArgv } from './legacy-command.js';
import { findOption, optionStatus, type CriuOptionSpec } from './options.js';
import { atLeast, formatVersion, type VersionLike } from './version.js';
import { needsTcpEstablished } from '../live/facts.js';

export type CheckpointAction = 'dump' | 'restore';
export type Engine = 'lxc' | 'criu';

/** Where an option's reason comes from. */
export type OptionSource =
  /** A doctor finding asked for it (its `criuOptions`). */
  | 'finding'
  /** ctcr derived it from the gathered facts. */
  | 'facts'
  /** The engine needs it to do the job at all (-t, -D, --root...). */
  | 'engine'
  /** The dump used it, so the restore needs it too (read from the dump's record or images). */
  | 'dump'
  /** The user's own CRIU_CONFIG_FILE (set in the environment), whose options ctcr carries over. */
  | 'user';

/** How the option reaches CRIU. */
export type OptionRoute =
  /** On criu's command line (engine criu). */
  | 'argv'
  /** In the CRIU_CONFIG_FILE written for this command (engine lxc). */
  | 'config-file'
  /** lxc-checkpoint passes it itself (engine lxc): listed so the explanation is complete. */
  | 'lxc-checkpoint';

export interface PlannedOption {
  /** argv words: `['--tcp-established']`, `['--external', 'veth[eth0]:vethab12cd@br0']`. */
  words: string[];
  route: OptionRoute;
  source: OptionSource;
  /** Why, in words. */
  why: string;
  /** The finding's rule id, when a finding asked. */
  ruleId?: string;
}

export interface SkippedOption {
  words: string[];
  why: string;
  ruleId?: string;
}

export interface CriuCommand {
  action: CheckpointAction;
  engine: Engine;
  criuVersion: string;
  /** What to execute: `lxc-checkpoint`, `criu`, or `unshare` (criu engine restore, which needs the rootfs as a mount point). */
  program: string;
  args: string[];
  /** Text of the CRIU config file for CRIU_CONFIG_FILE, when options must go that way. */
  configFile?: string;
  /** Every option CRIU gets, with why, in the order given. */
  options: PlannedOption[];
  /** Options asked for that are not given, with why (absent in this CRIU, wrong action, already passed...). */
  skipped: SkippedOption[];
  /** Where CRIU writes its log. */
  logFile: string;
  /** Criu engine restore: where criu writes the restored init's PID. */
  pidFile?: string;
  /**
   * Criu engine restore: the program stays as the restored init's parent
   * (KEEPER_SCRIPT); it is done when its output ends, and says criu's exit
   * status on stdout.
   */
  keeper?: boolean;
}

/** What a ctcr dump records in the checkpoint directory, for the restore. */
export interface DumpRecord {
  ctcr: string;
  engine: Engine;
  container: { name: string; lxcpath: string };
  criuVersion: string;
  /** Options the dump gave CRIU (words), with their reasons. */
  options: { words: string[]; why: string; ruleId?: string }[];
  /** UTC time of the dump. */
  at: string;
}

export const DUMP_RECORD_FILE = 'ctcr-dump.json';
/** The criu engine's pid file, in the checkpoint directory. */
export const RESTORE_PIDFILE = 'ctcr-restore.pid';

export interface BuildInput {
  action: CheckpointAction;
  engine: Engine;
  criuVersion: VersionLike;
  name: string;
  lxcpath: string;
  /** The checkpoint directory (absolute). */
  dir: string;
  /** Facts: config (networks, rootfs), host (tools, features), container (init, mounts, sockets). */
  snapshot: Snapshot;
  /** The doctor's findings; their `criuOptions` are asked for. */
  findings: readonly Finding[];
  /** Restore: the file names in the checkpoint directory. */
  images?: readonly string[];
  /** Restore: what a ctcr dump recorded. */
  record?: DumpRecord;
  /** Dump: keep the container running afterwards. */
  leaveRunning?: boolean;
  /** CRIU's log level 4 (default false: it slows the frozen phase): timestamps and the markers the progress display reads. */
  verbose?: boolean;
  /** criu engine: the criu to run (default `criu`). */
  criuPath?: string;
  /** criu engine restore: suffix for generated host-side veth names (LXC uses random ones). */
  vethSuffix?: string;
  /**
   * A CRIU_CONFIG_FILE already set in the environment. ctcr's own file
   * replaces it for the command, carrying over each of its options that is
   * valid for this action and CRIU (a restore-only one never reaches a dump).
   */
  inheritedConfigFile?: { path: string; text: string };
}

/**
 * What lxc-checkpoint gives CRIU on its own (LXC src/lxc/criu.c exec_criu),
 * by option name: for which action and CRIU version, with which values
 * (undefined: a flag, or values ctcr cannot know), and whether CRIU adds up
 * repeated uses (then a different value can still go through the config file;
 * for the others the command line wins over any config file).
 */
interface LxcPassed {
  long: string;
  action: CheckpointAction | 'both';
  since?: string;
  values?: readonly string[];
  accumulates?: boolean;
  /** Only when the config says so. */
  when?: (snapshot: Snapshot) => boolean;
}

const LXC_PASSES: readonly LxcPassed[] = [
  { long: 'tcp-established', action: 'both' },
  { long: 'file-locks', action: 'both' },
  { long: 'link-remap', action: 'both' },
  { long: 'manage-cgroups', action: 'both', values: ['full'] },
  { long: 'ext-mount-map', action: 'both', values: ['auto'], accumulates: true },
  { long: 'enable-external-sharing', action: 'both' },
  { long: 'enable-external-masters', action: 'both' },
  { long: 'enable-fs', action: 'both', values: ['hugetlbfs', 'tracefs'], accumulates: true },
  { long: 'cgroup-root', action: 'both', accumulates: true },
  { long: 'images-dir', action: 'both' },
  { long: 'log-file', action: 'both' },
  { long: 'verbosity', action: 'both' },
  { long: 'tree', action: 'dump' },
  { long: 'skip-in-flight', action: 'dump', since: '2.4' },
  { long: 'freeze-cgroup', action: 'dump' },
  { long: 'force-irmap', action: 'dump' },
  { long: 'root', action: 'restore' },
  { long: 'restore-detached', action: 'restore' },
  { long: 'restore-sibling', action: 'restore' },
  { long: 'lsm-profile', action: 'restore', when: (s) => Boolean(s.config && (scalarValue(s.config, 'lxc.apparmor.profile') || scalarValue(s.config, 'lxc.selinux.context'))) },
  { long: 'inherit-fd', action: 'restore', accumulates: true },
  { long: 'external', action: 'both', accumulates: true, values: [] },
];

/** Options LXC passes for every container: listed in the explanation so the user sees the whole command. */
const LXC_ALWAYS_SHOWN: readonly { words: string[]; action: CheckpointAction | 'both'; why: string }[] = [
  { words: ['--tcp-established'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--file-locks'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--link-remap'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--manage-cgroups=full'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--ext-mount-map', 'auto'], action: 'both', why: "lxc-checkpoint always passes it: bind mounts from the host are found in CRIU's own mount namespace" },
  { words: ['--enable-external-sharing'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--enable-external-masters'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--enable-fs', 'hugetlbfs'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--enable-fs', 'tracefs'], action: 'both', why: 'lxc-checkpoint always passes it' },
  { words: ['--freeze-cgroup', '<the container cgroup>'], action: 'dump', why: "lxc-checkpoint freezes the container's cgroup" },
  { words: ['--force-irmap'], action: 'dump', why: 'lxc-checkpoint passes it from the command line' },
  { words: ['--root', '<lxc.rootfs.mount>'], action: 'restore', why: 'lxc-checkpoint bind-mounts the rootfs there' },
  { words: ['--restore-detached', '--restore-sibling'], action: 'restore', why: 'lxc-checkpoint keeps the container under its monitor' },
];

interface Candidate {
  spec: CriuOptionSpec;
  words: string[];
  source: OptionSource;
  why: string;
  ruleId?: string;
}

/** `criuOptions` of a finding (`['--external', 'mnt[/x]:x', '--skip-mnt', '/y']`) as option groups. */
export function optionGroups(words: readonly string[]): { words: string[]; spec?: CriuOptionSpec; name: string; value?: string }[] {
  return parseCriuArgv(words).options.map((o) => ({ words: o.words, spec: o.spec, name: o.name, ...(o.value !== undefined ? { value: o.value } : {}) }));
}

/**
 * Options a finding may name as a workaround but that ctcr never adds by
 * itself: they change what is restored (--skip-mnt leaves a mount out,
 * --tcp-close drops connections) or need a restore-side value only the user
 * knows (--external mnt[MP]:COOKIE on dump wants mnt[COOKIE]:PATH on
 * restore). Given in the user's own CRIU_CONFIG_FILE, ctcr keeps them.
 */
const NOT_AUTOMATIC: ReadonlyMap<string, string> = new Map([
  ['skip-mnt', 'leaves the mount out of the restored container'],
  ['tcp-close', 'closes the connections instead of restoring them'],
  ['external', 'needs the matching restore-side value'],
  ['ext-mount-map', 'needs the matching restore-side value'],
  ['inherit-fd', 'needs a file descriptor only the caller can pass'],
  ['ext-unix-sk', "leaves the socket's peer outside the checkpoint"],
  ['veth-pair', 'is set by the engine'],
  ['lsm-profile', 'changes the security profile of the restored tasks'],
]);

/** A value only the user can give (`HOST_PATH`, `INODE`, `MNT_ID`): such an option is suggested, never added. */
const PLACEHOLDER = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(?:HOSTNAME|INODE|PATH|RDEV|DEV)\b/;

/** One entry per socket: a socket shared by several fds or processes (nc -e hands it to its child) counts once. */
function uniqueSockets(sockets: readonly SocketFacts[]): SocketFacts[] {
  const seen = new Set<number>();
  return sockets.filter((s) => s.inode === undefined || (seen.has(s.inode) ? false : (seen.add(s.inode), true)));
}

function connectedTcp(sockets: readonly SocketFacts[]): SocketFacts[] {
  return uniqueSockets(sockets).filter(needsTcpEstablished);
}

function listeningTcp(sockets: readonly SocketFacts[]): SocketFacts[] {
  return uniqueSockets(sockets).filter((s) => (s.family === 'inet' || s.family === 'inet6') && s.protocol === 'tcp' && (s.listening || s.state === 'LISTEN'));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeConnections(list: readonly SocketFacts[]): string {
  const shown = list.slice(0, 3).map((s) => `${s.local ?? '?'} ↔ ${s.remote ?? '?'}`);
  return `${plural(list.length, 'connected TCP socket')} in the container (${shown.join(', ')}${list.length > 3 ? ', ...' : ''})`;
}

/** The host side of a veth: lxc.net.N.veth.pair, or a generated `vethXXXXXX` (LXC's way: restore_net_info). */
function hostVethName(net: NetworkSpec, suffix: string): string {
  const pair = net.keys['veth.pair']?.value;
  if (pair) return pair;
  return `veth${suffix}${net.index}`.slice(0, 15);
}

/** Builds the command. Throws nothing for facts it lacks: what cannot be done is listed in `skipped` or left to CRIU to report. */
export function buildCriuCommand(input: BuildInput): CriuCommand {
  const { action, engine, snapshot } = input;
  const version = input.criuVersion;
  const versionText = formatVersion(version);
  const verbose = input.verbose === true;
  const logFile = `${input.dir.replace(/\/+$/, '')}/${action}.log`;
  const candidates: Candidate[] = [];
  const skipped: SkippedOption[] = [];
  const add = (words: string[], source: OptionSource, why: string, ruleId?: string) => {
    const found = findOption(words[0]!);
    if (!found) {
      skipped.push({ words, why: `${words[0]} is not a CRIU option`, ...(ruleId ? { ruleId } : {}) });
      return;
    }
    candidates.push({ spec: found.spec, words, source, why, ...(ruleId ? { ruleId } : {}) });
  };

  // --- what the findings ask for ------------------------------------------------------
  for (const f of input.findings) {
    if (!f.criuOptions?.length) continue;
    for (const group of optionGroups(f.criuOptions)) {
      if (PLACEHOLDER.test(group.words.slice(1).join(' ') + (group.value ?? ''))) {
        skipped.push({ words: group.words, ruleId: f.ruleId, why: `needs a value only you can give (${group.words.join(' ')}); pass it yourself` });
        continue;
      }
      const manual = group.spec ? NOT_AUTOMATIC.get(group.spec.long) : undefined;
      if (manual) {
        skipped.push({ words: group.words, ruleId: f.ruleId, why: `a workaround ctcr does not apply by itself: it ${manual}; to use it, put it in a CRIU config file named by CRIU_CONFIG_FILE (ctcr keeps that file's options)` });
        continue;
      }
      add(group.words, 'finding', f.message, f.ruleId);
    }
  }

  // --- the user's own config file --------------------------------------------------------
  if (input.inheritedConfigFile) {
    const where = `your CRIU_CONFIG_FILE (${input.inheritedConfigFile.path})`;
    for (const group of optionGroups(parseCriuConfig(input.inheritedConfigFile.text))) {
      if (!group.spec) {
        skipped.push({ words: group.words, why: `from ${where}: ${group.name} is not a CRIU option` });
        continue;
      }
      add(group.words, 'user', `from ${where}`);
    }
  }

  // --- what the facts call for --------------------------------------------------------
  const host = snapshot.host;
  const container = snapshot.container;
  const sockets = container?.sockets.ok ? container.sockets.value : [];
  const mounts = container?.mountinfo.ok ? container.mountinfo.value : [];
  const criuFacts = host?.criu.ok ? host.criu.value : null;
  const tools = host?.tools.ok ? host.tools.value : undefined;

  if (action === 'dump') {
    const connected = connectedTcp(sockets);
    if (connected.length) add(['--tcp-established'], 'facts', describeConnections(connected));
    const listening = listeningTcp(sockets);
    if (listening.length) add(['--skip-in-flight'], 'facts', `${plural(listening.length, 'listening TCP socket')} in the container: a connection not yet accepted at freeze time would fail the dump`);
    // lxc-checkpoint always passes these two; a raw criu dump needs them as soon as the facts show their cause.
    const tree = (container?.processes.ok ? container.processes.value : []).filter((p) => p.inTree !== false);
    const treePids = new Set(tree.map((p) => p.pid));
    const locks = (container?.locks?.ok ? container.locks.value : []).filter((l) => treePids.has(l.pid));
    if (locks.length) {
      add(['--file-locks'], 'facts', `${plural(locks.length, 'file lock')} held by the container's tasks (${[...new Set(locks.map((l) => l.kind))].join(', ')}): without it CRIU refuses ("Some file locks are hold by dumping tasks!")`);
    }
    const relinked = tree.flatMap((p) => (p.fds?.ok ? p.fds.value : []).filter((f) => f.kind === 'deleted' && (f.nlink ?? 0) > 0).map((f) => `${f.path ?? f.link} (PID ${p.pid})`));
    if (relinked.length) {
      add(['--link-remap'], 'facts', `${plural(relinked.length, 'open file')} unlinked but still linked elsewhere (${relinked.slice(0, 2).join(', ')}${relinked.length > 2 ? ', ...' : ''}): without it CRIU refuses ("Can't create link remap ... Use link-remap option.")`);
    }
    // The default lock runs iptables-restore; without it, nftables (CRIU ≥ 3.16 built with libnftables) does the same job.
    if (tools && tools['iptables-restore'] === null && criuFacts?.features.network_lock_nftables === true) {
      add(['--network-lock', 'nftables'], 'facts', "iptables-restore is not on PATH (CRIU's default network lock runs it) and this CRIU can lock with nftables");
    }
  } else {
    const streams = (input.images ?? []).filter((f) => /^tcp-stream-[0-9a-f]+\.img$/.test(f));
    if (streams.length) add(['--tcp-established'], 'dump', `the images hold ${plural(streams.length, 'TCP connection')} (${streams.slice(0, 2).join(', ')}${streams.length > 2 ? ', ...' : ''})`);
    // Options of the dump that must be given again on restore.
    for (const o of input.record?.options ?? []) {
      const spec = findOption(o.words[0]!)?.spec;
      if (!spec || spec.scope !== 'both' || ENGINE_OWNED.has(spec.long)) continue;
      add(o.words, 'dump', `the dump used it (${DUMP_RECORD_FILE}): ${o.why}`, o.ruleId);
    }
  }
  // LXC's autodev /dev: device nodes bind-mounted from the host's devtmpfs (unprivileged containers) are not the nodes CRIU finds at the path.
  const devBinds = mounts.filter((m) => m.mountPoint.startsWith('/dev/') && m.fstype === 'devtmpfs');
  if (devBinds.length) {
    add(['--evasive-devices'], 'facts', `LXC bind-mounted ${plural(devBinds.length, "host device node")} into the container's /dev (${devBinds.slice(0, 3).map((m) => m.mountPoint).join(', ')}): an fd on one is not the node at its path`);
  }

  // --- the engine's own options ---------------------------------------------------------
  const planned: PlannedOption[] = [];
  let program: string;
  let args: string[];
  let configFile: string | undefined;
  let pidFile: string | undefined;
  let keeper = false;

  const validate = (c: Candidate): string | undefined => {
    const value = c.words.length > 1 ? c.words[1] : /=/.test(c.words[0]!) ? c.words[0]!.split('=')[1] : undefined;
    const status = optionStatus(c.words[0]!, version, action, value);
    if (status.verdict === 'ok' || (status.verdict === 'deprecated' && !status.fatal && c.spec.long !== 'namespaces')) return undefined;
    return status.message;
  };
  /** Keeps the first of each option+value: a finding and a fact asking for the same thing give one option with both reasons. */
  const merged: Candidate[] = [];
  for (const c of candidates) {
    const same = merged.find((m) => m.words.join('\0') === c.words.join('\0'));
    if (same) {
      // A finding's reason says it best; facts and the dump's record only add to each other.
      if (same.source === 'finding') continue;
      if (c.source === 'finding') Object.assign(same, { source: c.source, why: c.why, ruleId: c.ruleId });
      else if (!same.why.includes(c.why)) same.why += `; ${c.why}`;
      continue;
    }
    merged.push({ ...c });
  }

  if (engine === 'lxc') {
    /** 'same': LXC passes this very option; 'conflict': LXC passes another value, which wins; undefined: LXC does not pass it. */
    const lxcPasses = (c: Candidate): 'same' | 'conflict' | undefined => {
      const p = LXC_PASSES.find((x) => x.long === c.spec.long && (x.action === 'both' || x.action === action) && (!x.since || atLeast(version, x.since)) && (!x.when || x.when(snapshot)));
      if (!p) return undefined;
      if (p.values === undefined) return c.spec.arg === 'none' || !p.accumulates ? (c.spec.arg === 'none' ? 'same' : 'conflict') : undefined;
      const value = c.words.length > 1 ? c.words[1]! : c.words[0]!.includes('=') ? c.words[0]!.slice(c.words[0]!.indexOf('=') + 1) : '';
      if (p.values.includes(value)) return 'same';
      return p.accumulates ? undefined : 'conflict';
    };
    for (const shown of LXC_ALWAYS_SHOWN) {
      if (shown.action !== 'both' && shown.action !== action) continue;
      planned.push({ words: shown.words, route: 'lxc-checkpoint', source: 'engine', why: shown.why });
    }
    if (action === 'dump' && atLeast(version, '2.4')) planned.push({ words: ['--skip-in-flight'], route: 'lxc-checkpoint', source: 'engine', why: 'lxc-checkpoint passes it (CRIU ≥ 2.4)' });
    if (action === 'dump' && input.leaveRunning) planned.push({ words: ['--leave-running'], route: 'lxc-checkpoint', source: 'engine', why: '--leave-running: lxc-checkpoint without -s' });
    if (action === 'restore') {
      for (const net of vethNetworks(snapshot)) {
        planned.push({ words: ['--external', `veth[${interfaceName(net)}]:<generated>${net.keys.link ? `@${net.keys.link.value}` : ''}`], route: 'lxc-checkpoint', source: 'engine', why: `lxc-checkpoint gives the host side of lxc.net.${net.index} (type veth)` });
      }
    }
    const viaFile: Candidate[] = [];
    for (const c of merged) {
      const problem = validate(c);
      if (problem) {
        skipped.push({ words: c.words, why: problem, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
        continue;
      }
      const passed = lxcPasses(c);
      if (passed === 'same') {
        const shown = planned.find((p) => p.route === 'lxc-checkpoint' && p.words.join(' ') === c.words.join(' ').replace(/^--manage-cgroups full$/, '--manage-cgroups=full'));
        if (shown) {
          shown.why += `; also asked for: ${c.why}`;
          shown.ruleId ??= c.ruleId;
          shown.source = c.source;
        } else {
          planned.push({ words: c.words, route: 'lxc-checkpoint', source: c.source, why: `lxc-checkpoint passes it; asked for: ${c.why}`, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
        }
        continue;
      }
      if (passed === 'conflict') {
        skipped.push({ words: c.words, why: `lxc-checkpoint passes its own --${c.spec.long}, and the command line wins over a config file: use --engine criu${c.spec.long === 'lsm-profile' ? ', or remove lxc.apparmor.profile / lxc.selinux.context from the config' : ''}`, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
        continue;
      }
      if (!atLeast(version, CRIU_CONFIG_SINCE)) {
        skipped.push({ words: c.words, why: `lxc-checkpoint cannot pass it and CRIU ${versionText} reads no config files (since ${CRIU_CONFIG_SINCE}): use --engine criu`, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
        continue;
      }
      viaFile.push(c);
      planned.push({ words: c.words, route: 'config-file', source: c.source, why: c.why, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
    }
    // With a CRIU_CONFIG_FILE in the environment, ctcr's file always replaces it: the options valid here were carried over above.
    if (viaFile.length || input.inheritedConfigFile) {
      const options: CriuConfigOption[] = viaFile.map((c) => configOption(c.words));
      const header = `written by ctcr for one lxc-checkpoint ${action} of ${input.name}; removed when it ends` + (input.inheritedConfigFile ? `\nreplaces CRIU_CONFIG_FILE=${input.inheritedConfigFile.path} for this command, with its options that are valid here` : '');
      configFile = renderCriuConfig(options, header);
    }
    program = 'lxc-checkpoint';
    args = ['-P', input.lxcpath, '-n', input.name, '-D', input.dir];
    if (action === 'dump') {
      if (!input.leaveRunning) args.push('-s');
    } else args.push('-r');
    if (verbose) args.push('-v');
  } else {
    const criu = input.criuPath ?? 'criu';
    const argv: string[] = [action, '-D', input.dir, '-o', logFile];
    const engineOption = (words: string[], why: string) => {
      argv.push(...words);
      planned.push({ words, route: 'argv', source: 'engine', why });
    };
    if (verbose) {
      argv.push('-v4');
      planned.push({ words: ['-v4'], route: 'argv', source: 'engine', why: 'log level 4: timestamps and the markers ctcr reads for progress and explain' });
    }
    const hasOwnMounts = mounts.length > 0 || (snapshot.config !== undefined && snapshot.mounts.length > 0);
    if (action === 'dump') {
      const init = container?.initPid;
      if (init) engineOption(['-t', String(init)], `the container's init (host PID ${init}): CRIU dumps its whole tree and namespaces`);
      else skipped.push({ words: ['-t', '<init PID>'], why: `container ${input.name} has no init PID (${container ? container.state : 'no container facts'})` });
      if (input.leaveRunning) engineOption(['--leave-running'], '--leave-running was asked');
    } else {
      const rootfs = snapshot.config ? rootfsLocation(snapshot.config).dir : undefined;
      if (rootfs) engineOption(['--root', rootfs], `the container's rootfs (lxc.rootfs.path), bind-mounted on itself in a private mount namespace so it is a mount point`);
      else skipped.push({ words: ['--root', '<rootfs>'], why: 'lxc.rootfs.path names no directory (only dir: rootfs are supported by --engine criu)' });
      engineOption(['--restore-detached'], "criu returns once the tree runs instead of waiting for it (CRIU's LXC page)");
      // LXC gives the container's init a parent-death signal (SIGKILL): a restored init whose parent is criu dies when criu exits.
      engineOption(['--restore-sibling'], "LXC sets a parent-death signal on the container's init: the restored init becomes criu's sibling, a child of ctcr's keeper process that outlives criu (LXC's monitor plays that part)");
      pidFile = `${input.dir.replace(/\/+$/, '')}/${RESTORE_PIDFILE}`;
      engineOption(['--pidfile', pidFile], "where criu writes the restored init's host PID (CRIU's LXC page)");
      const modern = atLeast(version, '2.8');
      for (const net of vethNetworks(snapshot)) {
        const ifname = interfaceName(net);
        const out = hostVethName(net, input.vethSuffix ?? 'ctcr');
        const bridge = net.keys.link?.value;
        const words = modern ? ['--external', `veth[${ifname}]:${out}${bridge ? `@${bridge}` : ''}`] : ['--veth-pair', `${ifname}=${out}${bridge ? `@${bridge}` : ''}`];
        engineOption(words, `lxc.net.${net.index} is a veth${bridge ? ` on bridge ${bridge}` : ''}: CRIU creates the pair and needs the host-side name${net.keys['veth.pair'] ? ' (lxc.net.' + net.index + '.veth.pair)' : ' (generated, as LXC does)'}`);
      }
    }
    if (hasOwnMounts) {
      // The mounts LXC set up come from the host (bind mounts, shared propagation): the same auto-detection LXC asks for.
      const external = atLeast(version, '2.8') ? ['--external', 'mnt[]'] : ['--ext-mount-map', 'auto'];
      candidatesAdd(merged, external, "bind mounts from the host are found in CRIU's own mount namespace (what lxc-checkpoint passes as --ext-mount-map auto)");
      candidatesAdd(merged, ['--enable-external-sharing'], 'the container mounts share propagation with the host (lxc-checkpoint passes it too)');
      candidatesAdd(merged, ['--enable-external-masters'], 'the container mounts are slaves of host mounts (lxc-checkpoint passes it too)');
    }
    for (const c of merged) {
      if (ENGINE_OWNED.has(c.spec.long) && c.source !== 'facts' && c.source !== 'engine') {
        skipped.push({ words: c.words, why: `ctcr sets --${c.spec.long} itself for --engine criu`, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
        continue;
      }
      const problem = validate(c);
      if (problem) {
        skipped.push({ words: c.words, why: problem, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
        continue;
      }
      argv.push(...c.words);
      planned.push({ words: c.words, route: 'argv', source: c.source, why: c.why, ...(c.ruleId ? { ruleId: c.ruleId } : {}) });
    }
    if (input.inheritedConfigFile) {
      // criu would read the environment's file too: an empty one of ctcr's stands in (its valid options are on the command line).
      configFile = renderCriuConfig([], `written by ctcr for one criu ${action} of ${input.name}; removed when it ends\nreplaces CRIU_CONFIG_FILE=${input.inheritedConfigFile.path}, whose options valid here are on the command line`);
    }
    if (action === 'restore' && pidFile) {
      const rootIndex = argv.indexOf('--root');
      program = 'unshare';
      keeper = true;
      // A private mount namespace where the rootfs is a mount point (what --root needs); it lives as long as the keeper.
      args = ['--mount', '--propagation', 'private', '--', 'sh', '-c', KEEPER_SCRIPT, 'ctcr-restore', rootIndex >= 0 ? argv[rootIndex + 1]! : '', pidFile, criu, ...argv];
    } else {
      program = criu;
      args = argv;
    }
  }

  return {
    action,
    engine,
    criuVersion: versionText,
    program,
    args,
    ...(configFile !== undefined ? { configFile } : {}),
    options: planned,
    skipped,
    logFile,
    ...(pidFile ? { pidFile } : {}),
    ...(keeper ? { keeper: true } : {}),
  };
}

/**
 * The criu engine's restore wrapper, run by sh as `ctcr-restore ROOTFS PIDFILE criu restore ...`:
 * makes the rootfs a mount point, runs criu, reports its exit status on
 * stdout, then stays as the parent of the restored init (`tail --pid` waits
 * for it) with its output closed, so the caller sees the end of the output
 * while the container keeps a living parent.
 */
export const KEEPER_SCRIPT = [
  'root="$1"; pidfile="$2"; shift 2',
  'if [ -n "$root" ]; then mount --bind "$root" "$root" || { echo "ctcr-criu-exit 97"; exit 97; }; fi',
  '"$@"; rc=$?',
  'echo "ctcr-criu-exit $rc"',
  '[ "$rc" -eq 0 ] || exit "$rc"',
  'pid=$(cat "$pidfile")',
  'exec tail --pid="$pid" -f /dev/null </dev/null >/dev/null 2>&1',
].join('\n');

/** The exit status line of KEEPER_SCRIPT. */
export function keeperExitCode(stdout: string): number | undefined {
  const m = /^ctcr-criu-exit (\d+)$/m.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** Options the criu engine sets from its own inputs; a finding or record giving them again is ignored. */
const ENGINE_OWNED = new Set(['images-dir', 'log-file', 'verbosity', 'tree', 'root', 'restore-detached', 'pidfile', 'leave-running', 'config', 'work-dir']);

function candidatesAdd(list: Candidate[], words: string[], why: string): void {
  if (list.some((c) => c.words.join('\0') === words.join('\0'))) return;
  const spec = findOption(words[0]!)!.spec;
  list.push({ spec, words, source: 'facts', why });
}

function vethNetworks(snapshot: Snapshot): NetworkSpec[] {
  return snapshot.config ? networks(snapshot.config).filter((n) => n.type === 'veth') : [];
}

/** lxc.net.N.name, or `eth<N>` as LXC numbers them. */
function interfaceName(net: NetworkSpec): string {
  return net.keys.name?.value || `eth${net.index}`;
}

/** `['--network-lock', 'nftables']` → `{ name: 'network-lock', value: 'nftables' }`; `--manage-cgroups=full` keeps its attached value. */
function configOption(words: readonly string[]): CriuConfigOption {
  const first = words[0]!;
  const eq = first.indexOf('=');
  if (eq > 0) return { name: first.slice(0, eq), value: first.slice(eq + 1) };
  return words.length > 1 ? { name: first, value: words[1] } : { name: first };
}

/**
 * True when every option `finding` asks for is in the command: an error a
 * CRIU option works around (the restore's --mntns-compat-mode, the dump's
 * --network-lock nftables) does not stand in the way of a ctcr run.
 */
export function workedAround(finding: Finding, command: CriuCommand): boolean {
  if (!finding.criuOptions?.length) return false;
  const given = new Set(command.options.map((o) => o.words.join(' ')));
  return optionGroups(finding.criuOptions).every((g) => given.has(g.words.join(' ')));
}

