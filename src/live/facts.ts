/**
 * What the live rules share: which snapshot a finding belongs to (the host,
 * reported once per run, or one container), where it is reported, and the
 * questions several rules ask of the live facts. Pure, like the rules.
 *
 * A finding about the host alone goes to HOST_LOCATION (pseudo file `host`,
 * line 0); one that depends on a container goes to that container's config.
 */
import type { MountSpec, ContainerFacts, CriuFacts, Gathered, HostFacts, Location, LxcConfig, ProcessFacts, Snapshot, SocketFacts, VersionNumber } from '../types.js';
import { TCP_STATES_NEEDING_ESTABLISHED } from '../gather/procfs.js';
import { networks, lastEntry } from '../config/query.js';
import { isLegacyKey } from '../config/legacy-keys.js';
import { formatVersion, parseVersion } from '../criu/version.js';
import { LEGACY_KEYS_LXC_VERSION } from '../engine/assumptions.js';

/** The pseudo file host findings are reported against. */
export const HOST_FILE = 'host';
export const HOST_LOCATION: Location = { file: HOST_FILE, line: 0, column: 0 };

/**
 * The host facts, on any snapshot that has them. Findings about the host
 * alone are located at HOST_LOCATION: the doctor reports them once (on its
 * host target) and drops the copies its container snapshots produce, while a
 * single snapshot (the checkpoint runner's) gets them with the rest.
 */
export function hostOf(snapshot: Snapshot): HostFacts | undefined {
  return snapshot.host;
}

/** True for a finding about the host alone. */
export function isHostLocation(location: Location): boolean {
  return location.file === HOST_FILE && location.line === 0;
}

/** Where a finding about a live container goes when no config line is to blame: its config file, line 0. */
export function containerLocation(container: ContainerFacts): Location {
  return { file: container.configPath, line: 0, column: 0 };
}

export function known<T>(g: Gathered<T> | undefined): T | undefined {
  return g?.ok ? g.value : undefined;
}

/** The CRIU on PATH, when it was found and answered. */
export function criuOf(host: HostFacts | undefined): CriuFacts | undefined {
  const c = known(host?.criu);
  return c ?? undefined;
}

/** The CRIU version rules judge against: the live one, else the assumed one. */
export function criuVersionOf(snapshot: Snapshot): VersionNumber {
  return criuOf(snapshot.host)?.version ?? snapshot.assumptions.criuVersion;
}

/** The LXC version rules judge against: the installed one when it told its version, else the assumed one. */
export function lxcVersionOf(snapshot: Snapshot): VersionNumber {
  return known(snapshot.host?.lxc)?.version ?? snapshot.assumptions.lxcVersion;
}

export interface JudgedLxc {
  version: VersionNumber;
  /** Why this version: 'installed', 'stated' (flag or settings), 'default', or 'legacy-keys'. */
  reason: 'installed' | 'stated' | 'default' | 'legacy-keys';
}

/** Whether the config is written in the keys LXC used before 2.1 (any legacy key, in any of its files). */
export function usesLegacyKeys(snapshot: Snapshot): boolean {
  return snapshot.config?.entries.some((e) => isLegacyKey(e.key)) ?? false;
}

/**
 * The LXC versions a version-dependent rule judges for: the installed one when the doctor knows it; else the
 * stated one; else the default and, for a config in pre-2.1 keys, also the LXC that reads such keys.
 */
export function lxcVersionsToJudge(snapshot: Snapshot): JudgedLxc[] {
  const installed = known(snapshot.host?.lxc)?.version;
  if (installed) return [{ version: installed, reason: 'installed' }];
  const assumed = snapshot.assumptions.lxcVersion;
  if (!snapshot.assumptions.lxcVersionDefaulted) return [{ version: assumed, reason: 'stated' }];
  const out: JudgedLxc[] = [{ version: assumed, reason: 'default' }];
  const legacy = parseVersion(LEGACY_KEYS_LXC_VERSION)!;
  if (usesLegacyKeys(snapshot) && formatVersion(legacy) !== formatVersion(assumed)) out.push({ version: legacy, reason: 'legacy-keys' });
  return out;
}

/** "LXC 6.0 (default)", "LXC 2.0 (the LXC that reads this config's pre-2.1 keys)". */
export function describeJudgedLxc(j: JudgedLxc): string {
  const why = { installed: 'installed', stated: 'stated', default: 'default', 'legacy-keys': "the LXC that reads this config's pre-2.1 keys" }[j.reason];
  return `LXC ${formatVersion(j.version)} (${why})`;
}

/** True unless the purpose is only a restore: the checks of the running tree apply. */
export function dumpSide(snapshot: Snapshot): boolean {
  return snapshot.purpose !== 'restore';
}

/** True unless the purpose is only a dump: the checks of what restore needs apply. */
export function restoreSide(snapshot: Snapshot): boolean {
  return snapshot.purpose !== 'dump';
}

export function isRunning(container: ContainerFacts): boolean {
  return container.state === 'RUNNING' || container.state === 'FROZEN';
}

/**
 * Whether the container has a network namespace of its own, which CRIU then
 * dumps (running `ip`) and locks (running iptables-restore or nft). LXC
 * shares the host's only for `lxc.net.N.type = none`; a config without
 * networks gets a new namespace with loopback only.
 */
export function ownNetns(config: LxcConfig | undefined): boolean {
  if (!config) return true;
  return !networks(config).some((n) => n.type === 'none');
}

/** `udhcpc (PID 6 in the container, 1234 on the host)`. */
export function describeProcess(p: ProcessFacts): string {
  const ns = p.nspid !== undefined && p.nspid !== p.pid ? `PID ${p.nspid} in the container, ${p.pid} on the host` : `PID ${p.pid}`;
  return `${p.comm} (${ns})`;
}

export function processByPid(container: ContainerFacts): Map<number, ProcessFacts> {
  return new Map((known(container.processes) ?? []).map((p) => [p.pid, p]));
}

/** The value of lxc.console.path as LXC reads it: `none` disables the console; unset or empty means a console. */
export function consoleDisabled(config: LxcConfig): boolean {
  return lastEntry(config, 'lxc.console.path')?.value === 'none';
}

export const isBindMount = (m: Pick<MountSpec, 'options'>): boolean => m.options.includes('bind') || m.options.includes('rbind');

/** The value of the last `--NAME VALUE` (or `--NAME=VALUE`) in an argv. */
export function lastOptionValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((word, i) => {
    if (word === `--${name}`) value = argv[i + 1];
    else if (word.startsWith(`--${name}=`)) value = word.slice(name.length + 3);
  });
  return value;
}

/** A TCP socket CRIU refuses to dump without `--tcp-established` (connected, or on its way in or out). */
export function needsTcpEstablished(s: SocketFacts): boolean {
  return (s.family === 'inet' || s.family === 'inet6') && s.protocol === 'tcp' && s.state !== undefined && TCP_STATES_NEEDING_ESTABLISHED.includes(s.state);
}
