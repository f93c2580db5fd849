/**
 * CRIU's command-line options by version: when each appeared, which were
 * hidden, turned into no-ops or removed, and what replaces them (team notes,
 * criu-facts.md §3; criu/config.c long_opts). `since` is left out where the
 * notes give no release: such options count as present in every version.
 */
import { atLeast, formatVersion, type VersionLike } from './version.js';

export type CriuAction = 'dump' | 'pre-dump' | 'restore' | 'check' | 'other';

/** Where an option has an effect. `global` options work with every command. */
export type OptionScope = 'dump' | 'restore' | 'both' | 'check' | 'global';

export interface CriuOptionSpec {
  /** Long name without `--`. */
  long: string;
  short?: string;
  arg: 'none' | 'required' | 'optional';
  scope: OptionScope;
  since?: string;
  /** Gone from `--help` but still accepted. */
  hiddenSince?: string;
  /** Accepted with a warning and no effect. */
  noopSince?: string;
  /** Rejected as unknown from this release on. */
  removedIn?: string;
  /** Never in a release (a branch, RPC-only). */
  neverReleased?: string;
  replacement?: string;
  /** CRIU refuses it on the other action instead of ignoring it. */
  misplacedIsError?: boolean;
  /** Accepted values, with the release each appeared in. */
  values?: readonly { value: string; since?: string }[];
  note?: string;
}

/** Boolean options have `--no-NAME` twins since config files (v3.11). */
const NO_PREFIX_SINCE = '3.11';

export const CRIU_OPTIONS: readonly CriuOptionSpec[] = [
  { long: 'images-dir', short: 'D', arg: 'required', scope: 'global' },
  { long: 'work-dir', short: 'W', arg: 'required', scope: 'global' },
  { long: 'log-file', short: 'o', arg: 'required', scope: 'global' },
  { long: 'verbosity', short: 'v', arg: 'optional', scope: 'global' },
  { long: 'log-pid', arg: 'none', scope: 'global' },
  { long: 'display-stats', arg: 'none', scope: 'global' },
  { long: 'config', arg: 'required', scope: 'global', since: '3.11', note: 'also disables /etc/criu/default.conf and ~/.criu/default.conf' },
  { long: 'no-default-config', arg: 'none', scope: 'global', since: '3.11' },
  { long: 'libdir', short: 'L', arg: 'required', scope: 'global' },
  { long: 'pidfile', arg: 'required', scope: 'global' },
  { long: 'status-fd', arg: 'required', scope: 'global' },
  { long: 'timeout', arg: 'required', scope: 'dump', since: '2.0' },
  { long: 'stream', arg: 'none', scope: 'both', since: '3.15' },
  { long: 'deprecated', arg: 'none', scope: 'global' },
  { long: 'unprivileged', arg: 'none', scope: 'global', since: '3.18' },
  { long: 'help', short: 'h', arg: 'none', scope: 'global' },
  { long: 'version', short: 'V', arg: 'none', scope: 'global' },
  { long: 'tree', short: 't', arg: 'required', scope: 'dump', replacement: 'drop it: restore reads the process tree from the images' },
  { long: 'leave-running', short: 'R', arg: 'none', scope: 'dump' },
  { long: 'leave-stopped', short: 's', arg: 'none', scope: 'dump' },
  { long: 'track-mem', arg: 'none', scope: 'dump' },
  { long: 'prev-images-dir', arg: 'required', scope: 'dump' },
  { long: 'pre-dump-mode', arg: 'required', scope: 'dump', since: '3.14', values: [{ value: 'splice' }, { value: 'read' }] },
  { long: 'page-server', arg: 'none', scope: 'dump' },
  { long: 'address', arg: 'required', scope: 'global' },
  { long: 'port', arg: 'required', scope: 'global' },
  { long: 'ps-socket', arg: 'required', scope: 'global' },
  { long: 'lazy-pages', arg: 'none', scope: 'both' },
  { long: 'freeze-cgroup', arg: 'required', scope: 'dump', since: '1.7' },
  { long: 'shell-job', short: 'j', arg: 'none', scope: 'both' },
  { long: 'file-locks', short: 'l', arg: 'none', scope: 'both' },
  { long: 'link-remap', arg: 'none', scope: 'both' },
  { long: 'ghost-limit', arg: 'required', scope: 'dump' },
  { long: 'ghost-fiemap', arg: 'none', scope: 'dump', since: '3.18' },
  { long: 'tcp-established', arg: 'none', scope: 'both', note: 'needed on dump and on restore' },
  { long: 'tcp-close', arg: 'none', scope: 'both', since: '3.3' },
  { long: 'skip-in-flight', arg: 'none', scope: 'dump', since: '2.4' },
  { long: 'network-lock', arg: 'required', scope: 'dump', since: '3.16', values: [{ value: 'iptables', since: '3.16' }, { value: 'nftables', since: '3.16' }, { value: 'skip', since: '3.19' }, { value: 'none', since: '3.19' }], note: 'ignored on restore: the method is read from the images' },
  { long: 'ext-unix-sk', short: 'x', arg: 'optional', scope: 'both', replacement: '--external unix[INODE] (v2.8+)', note: 'legacy but still accepted' },
  { long: 'external', arg: 'required', scope: 'both', since: '2.0' },
  { long: 'ext-mount-map', short: 'M', arg: 'required', scope: 'both', hiddenSince: '2.8', replacement: '--external mnt[KEY]:VALUE (auto: --external mnt[])' },
  { long: 'enable-external-sharing', arg: 'none', scope: 'both', note: 'same as --external mnt[]:s' },
  { long: 'enable-external-masters', arg: 'none', scope: 'both', note: 'same as --external mnt[]:m' },
  { long: 'skip-mnt', arg: 'required', scope: 'dump', since: '1.6' },
  { long: 'enable-fs', arg: 'required', scope: 'both', since: '1.6' },
  { long: 'evasive-devices', arg: 'none', scope: 'both', since: '0.8' },
  { long: 'force-irmap', arg: 'none', scope: 'dump' },
  { long: 'irmap-scan-path', arg: 'required', scope: 'dump' },
  { long: 'action-script', arg: 'required', scope: 'global', since: '0.2' },
  { long: 'manage-cgroups', arg: 'optional', scope: 'both', since: '1.3', values: [{ value: 'none', since: '1.7' }, { value: 'props', since: '1.7' }, { value: 'soft', since: '1.7' }, { value: 'full', since: '1.7' }, { value: 'strict', since: '1.7' }, { value: 'ignore', since: '1.7' }], note: 'the default mode is soft since v1.7, even without the option' },
  { long: 'cgroup-root', arg: 'required', scope: 'both' },
  { long: 'cgroup-props', arg: 'required', scope: 'dump' },
  { long: 'cgroup-props-file', arg: 'required', scope: 'dump' },
  { long: 'cgroup-dump-controller', arg: 'required', scope: 'dump' },
  { long: 'cgroup-yard', arg: 'required', scope: 'both', since: '3.14' },
  { long: 'cpu-cap', arg: 'optional', scope: 'both' },
  { long: 'file-validation', arg: 'required', scope: 'both', since: '3.15', values: [{ value: 'filesize' }, { value: 'buildid' }] },
  { long: 'allow-uprobes', arg: 'none', scope: 'both', since: '4.2' },
  { long: 'root', short: 'r', arg: 'required', scope: 'restore', note: 'required to restore a mount namespace' },
  { long: 'restore-detached', short: 'd', arg: 'none', scope: 'restore' },
  { long: 'daemon', arg: 'none', scope: 'restore', note: 'alias of --restore-detached' },
  { long: 'restore-sibling', short: 'S', arg: 'none', scope: 'restore', since: '1.3.1', note: 'only with --restore-detached' },
  { long: 'inherit-fd', arg: 'required', scope: 'restore', since: '1.5' },
  { long: 'veth-pair', arg: 'required', scope: 'restore', hiddenSince: '2.8', replacement: '--external veth[IFNAME]:OUTNAME@BRIDGE' },
  { long: 'lsm-profile', arg: 'required', scope: 'restore', since: '2.0' },
  { long: 'lsm-mount-context', arg: 'required', scope: 'restore', since: '3.16' },
  { long: 'weak-sysctls', arg: 'none', scope: 'restore', since: '2.9' },
  { long: 'join-ns', short: 'J', arg: 'required', scope: 'restore', since: '2.3' },
  { long: 'empty-ns', arg: 'required', scope: 'both', since: '2.0' },
  { long: 'skip-file-rwx-check', arg: 'none', scope: 'restore', since: '3.18' },
  { long: 'mntns-compat-mode', arg: 'none', scope: 'restore', since: '3.17', misplacedIsError: true, note: 'CRIU refuses it on dump: "Option --mntns-compat-mode is only valid on restore"' },
  { long: 'auto-dedup', arg: 'none', scope: 'both' },
  { long: 'feature', arg: 'required', scope: 'check' },
  { long: 'extra', arg: 'none', scope: 'check' },
  { long: 'experimental', arg: 'none', scope: 'check' },
  { long: 'all', arg: 'none', scope: 'check' },
  {
    long: 'namespaces',
    short: 'n',
    arg: 'required',
    scope: 'both',
    noopSince: '2.1',
    removedIn: '2.2',
    replacement: 'drop it: namespaces are detected from /proc/PID/ns and the images',
    note: 'v2.1 warns "The -n|--namespaces option has no effect and will soon be removed." (c881d0449); removed in v2.2 (7ecf297d9)',
  },
  { long: 'ms', arg: 'none', scope: 'check', removedIn: '2.1', replacement: 'drop it: use criu check', note: 'v2.1+: "--ms is deprecated; see \\"Check options\\""' },
  { long: 'check-only', arg: 'none', scope: 'dump', neverReleased: 'lived only on the wip/check-only branch (2016-2017)', replacement: 'a trial dump with --leave-running into a scratch directory, or pre-dump' },
  { long: 'orphan-pts-master', arg: 'none', scope: 'dump', neverReleased: 'RPC-only (cr-service.c), not a command-line option' },
];

const BY_LONG = new Map(CRIU_OPTIONS.map((o) => [o.long, o]));
const BY_SHORT = new Map(CRIU_OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));

/** `--veth-pair`, `veth-pair`, `-n`, `n` (one letter = short) → its spec; `--no-X` → X's spec. */
export function findOption(option: string): { spec: CriuOptionSpec; negated: boolean } | undefined {
  const name = option.replace(/^-+/, '').replace(/=.*$/, '');
  if (name.length === 1 && !option.startsWith('--')) {
    const spec = BY_SHORT.get(name);
    return spec ? { spec, negated: false } : undefined;
  }
  const spec = BY_LONG.get(name);
  if (spec) return { spec, negated: false };
  if (name.startsWith('no-')) {
    const base = BY_LONG.get(name.slice(3));
    if (base && base.arg === 'none') return { spec: base, negated: true };
  }
  return undefined;
}

export type OptionVerdict =
  | 'ok'
  | 'removed'
  | 'deprecated'
  | 'not-yet-available'
  | 'never-released'
  | 'restore-only-used-on-dump'
  | 'dump-only-used-on-restore'
  | 'wrong-command'
  | 'invalid-value'
  | 'unknown';

export interface OptionStatus {
  /** Canonical spelling `--long`, or the option as given when unknown. */
  option: string;
  verdict: OptionVerdict;
  since?: string;
  removedIn?: string;
  replacement?: string;
  /** One sentence for reports. */
  message: string;
  /** CRIU stops with an error (rather than warning or ignoring). */
  fatal: boolean;
}

function appliesTo(scope: OptionScope, action: CriuAction): boolean {
  if (scope === 'global' || action === 'other') return true;
  if (scope === 'both') return action === 'dump' || action === 'pre-dump' || action === 'restore';
  if (scope === 'dump') return action === 'dump' || action === 'pre-dump';
  return scope === action;
}

/** What CRIU `criuVersion` makes of `option` (with `value`, if given) on `action`. */
export function optionStatus(option: string, criuVersion: VersionLike, action: CriuAction, value?: string): OptionStatus {
  const found = findOption(option);
  const v = formatVersion(criuVersion);
  if (!found) return { option, verdict: 'unknown', message: `${option} is not a CRIU option`, fatal: true };
  const { spec, negated } = found;
  const name = `--${negated ? 'no-' : ''}${spec.long}`;
  const base = { option: name, ...(spec.since ? { since: spec.since } : {}), ...(spec.replacement ? { replacement: spec.replacement } : {}) };
  if (spec.neverReleased) {
    return { ...base, verdict: 'never-released', message: `${name} was never in a CRIU release (${spec.neverReleased})`, fatal: true };
  }
  if (spec.removedIn && atLeast(criuVersion, spec.removedIn)) {
    return { ...base, removedIn: spec.removedIn, verdict: 'removed', message: `${name} was removed in CRIU ${spec.removedIn}; CRIU ${v} rejects it`, fatal: true };
  }
  if (spec.since && !atLeast(criuVersion, spec.since)) {
    return { ...base, verdict: 'not-yet-available', message: `${name} appeared in CRIU ${spec.since}; CRIU ${v} does not know it`, fatal: true };
  }
  if (negated && !atLeast(criuVersion, NO_PREFIX_SINCE)) {
    return { ...base, verdict: 'not-yet-available', message: `--no- forms appeared in CRIU ${NO_PREFIX_SINCE}`, fatal: true };
  }
  if (spec.noopSince && atLeast(criuVersion, spec.noopSince)) {
    return { ...base, verdict: 'deprecated', message: `${name} has no effect since CRIU ${spec.noopSince} (CRIU ${v} warns and ignores it)`, fatal: false };
  }
  if (!appliesTo(spec.scope, action)) {
    if (spec.scope === 'restore' && (action === 'dump' || action === 'pre-dump')) {
      return {
        ...base,
        verdict: 'restore-only-used-on-dump',
        message: spec.misplacedIsError ? `${name} is only valid on restore: CRIU refuses the dump` : `${name} only matters on restore; the dump ignores it`,
        fatal: spec.misplacedIsError === true,
      };
    }
    if (spec.scope === 'dump' && action === 'restore') {
      return { ...base, verdict: 'dump-only-used-on-restore', message: `${name} only matters on dump; ${spec.long === 'network-lock' ? 'restore prints "--network-lock will be ignored in restore command"' : 'restore ignores it'}`, fatal: false };
    }
    return { ...base, verdict: 'wrong-command', message: `${name} is for criu ${spec.scope}, not criu ${action}`, fatal: false };
  }
  if (value !== undefined && spec.values) {
    const known = spec.values.find((x) => x.value === value);
    if (!known) {
      return { ...base, verdict: 'invalid-value', message: `${name}=${value}: expected one of ${spec.values.map((x) => x.value).join(', ')}`, fatal: true };
    }
    if (known.since && !atLeast(criuVersion, known.since)) {
      return { ...base, since: known.since, verdict: 'not-yet-available', message: `${name} ${value} appeared in CRIU ${known.since}; CRIU ${v} rejects it`, fatal: true };
    }
  }
  if (spec.hiddenSince && atLeast(criuVersion, spec.hiddenSince)) {
    return {
      ...base,
      verdict: 'deprecated',
      message: `${name} is still accepted but undocumented since CRIU ${spec.hiddenSince}; use ${spec.replacement}`,
      fatal: false,
    };
  }
  return { ...base, verdict: 'ok', message: `${name} is fine with CRIU ${v}`, fatal: false };
}
