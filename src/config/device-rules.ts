/**
 * Device cgroup rules (`lxc.cgroup.devices.allow/deny`, `lxc.cgroup2.devices.allow/deny`)
 * read as the code that acts on them reads them:
 *
 * - cgroup v1: LXC writes the value to the cgroup's devices.allow/deny file and the kernel parses it
 *   (security/device_cgroup.c devcgroup_update_access); a `/dev/...` allow is first turned into
 *   `c MAJ:MIN MODE` by LXC (cgfsng.c convert_devpath).
 * - cgroup v2: LXC parses it itself (cgfsng.c device_cgroup_rule_parse, or
 *   device_cgroup_rule_parse_devpath for a `/dev/...` allow) and builds a BPF program.
 *
 * Both grammars are `<a|b|c> <major|*>:<minor|*> <access>` with exactly one whitespace character between
 * the fields, and both read the access field as at most three of r, w, m: after three letters the rest of
 * the value is never looked at, so `c 5:1 rwm # /dev/console` grants the console; a letter count below
 * three must end the value (`c 5:1 rw # x` is rejected and the container does not start).
 */
import type { ConfigEntry, LxcConfig } from '../types.js';
import { canonicalKey } from './legacy-keys.js';

export type CgroupGeneration = 'v1' | 'v2';

export interface DeviceRule {
  /** The rule that resets the list and picks its mode: allow all (`allow = a`) or deny all (`deny = a`). */
  all: boolean;
  type: 'a' | 'b' | 'c';
  major: number | '*';
  minor: number | '*';
  /** The access letters as written (LXC v2 compares them as a string; the v1 kernel as a set). */
  access: string;
  /** Where the numbers came from: a `/dev/...` path LXC resolves on the host. */
  devicePath?: string;
}

/** C's isspace(). */
const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The access field: up to three of r/w/m, ended early only by the end of the value or a newline (both parsers). */
function parseAccess(text: string): string | undefined {
  let access = '';
  for (let i = 0; i < 3; i++) {
    const c = text[i];
    if (c === undefined || c === '\n') break;
    if (c !== 'r' && c !== 'w' && c !== 'm') return undefined;
    access += c;
  }
  return access;
}

/** `*` or a run of digits at `text[i]`; the index after it. */
function parseNumber(text: string, i: number): { value: number | '*'; next: number } | undefined {
  if (text[i] === '*') return { value: '*', next: i + 1 };
  if (!isDigit(text[i])) return undefined;
  let j = i;
  while (isDigit(text[j])) j++;
  return { value: Number(text.slice(i, j)), next: j };
}

/**
 * Device numbers the kernel fixes for these paths (Documentation/admin-guide/devices.txt), so lint can
 * resolve a `/dev/...` rule the way LXC's stat() on the host would.
 */
const FIXED_DEVICES: Readonly<Record<string, { type: 'b' | 'c'; major: number; minor: number }>> = {
  '/dev/console': { type: 'c', major: 5, minor: 1 },
  '/dev/tty': { type: 'c', major: 5, minor: 0 },
  '/dev/ptmx': { type: 'c', major: 5, minor: 2 },
  '/dev/null': { type: 'c', major: 1, minor: 3 },
  '/dev/zero': { type: 'c', major: 1, minor: 5 },
  '/dev/full': { type: 'c', major: 1, minor: 7 },
  '/dev/random': { type: 'c', major: 1, minor: 8 },
  '/dev/urandom': { type: 'c', major: 1, minor: 9 },
  '/dev/tty0': { type: 'c', major: 4, minor: 0 },
  '/dev/fuse': { type: 'c', major: 10, minor: 229 },
  '/dev/net/tun': { type: 'c', major: 10, minor: 200 },
};

/**
 * `/dev/foo MODE [anything]` (only for devices.allow): the path up to the first space, then spaces, then the
 * access letters; "Ignore any trailing text" (device_cgroup_rule_parse_devpath). Undefined when LXC rejects it
 * or when the path is not one whose numbers are fixed (LXC would stat it on the host).
 */
function parseDevicePath(value: string): DeviceRule | undefined {
  const space = value.indexOf(' ');
  if (space < 0) return undefined;
  const devicePath = value.slice(0, space);
  let i = space;
  while (value[i] === ' ') i++;
  if (i >= value.length) return undefined;
  const access = parseAccess(value.slice(i));
  const device = FIXED_DEVICES[devicePath];
  if (access === undefined || !device) return undefined;
  return { all: false, ...device, access, devicePath };
}

/**
 * One rule value as LXC's config parser hands it on (trimmed, outer quotes removed), read for one cgroup
 * generation; undefined when that generation's parser rejects it (LXC then fails to start the container).
 */
export function parseDeviceRule(value: string, generation: CgroupGeneration = 'v2', kind: 'allow' | 'deny' = 'allow'): DeviceRule | undefined {
  const v = value.trim();
  if (kind === 'allow' && v.startsWith('/')) return parseDevicePath(v);
  // v1: the kernel looks at the first character only: `a` and anything after it is "all".
  // v2: only the exact value `a` is; `a *:* rwm` is a rule of type a (every device type) like any other.
  if (generation === 'v1' ? v[0] === 'a' : v === 'a') return { all: true, type: 'a', major: '*', minor: '*', access: 'rwm' };
  const type = v[0];
  if (type !== 'b' && type !== 'c' && !(type === 'a' && generation === 'v2')) return undefined;
  if (!isSpace(v[1])) return undefined;
  const major = parseNumber(v, 2);
  if (!major || v[major.next] !== ':') return undefined;
  const minor = parseNumber(v, major.next + 1);
  if (!minor || !isSpace(v[minor.next])) return undefined;
  const access = parseAccess(v.slice(minor.next + 1));
  if (access === undefined) return undefined;
  return { all: false, type, major: major.value, minor: minor.value, access };
}

export interface ListedRule {
  rule: DeviceRule;
  allow: boolean;
  /** The line that made it. */
  entry: ConfigEntry;
  /** Every line that opens it: v1 lines that added read or write to the exception, v2 repeats of the same rule (removing only one leaves it open). */
  openers?: ConfigEntry[];
}

export interface DeviceList {
  /** allowlist: only the listed allows are open (after `deny = a`); denylist: all but the listed denies (after `allow = a`). */
  mode: 'allowlist' | 'denylist';
  /** The rules that take effect in this mode: allows of an allowlist, denies of a denylist. */
  rules: ListedRule[];
  /** The `allow = a` line that made it a denylist. */
  allowAll?: ConfigEntry;
  /**
   * cgroup v1 before any `a` line: the container's devices cgroup keeps its parent's allow-all (the kernel
   * copies the parent's behaviour into a new cgroup), so allow lines change nothing and everything is open.
   */
  inheritsAllowAll?: boolean;
  /** The device lines of this generation since the last reset, in order. */
  lines: ConfigEntry[];
}

const ACCESS_LETTERS = ['r', 'w', 'm'] as const;
const accessSet = (access: string) => ACCESS_LETTERS.filter((l) => access.includes(l)).join('');
const sameNumbers = (a: DeviceRule, b: DeviceRule) => a.type === b.type && a.major === b.major && a.minor === b.minor;

/**
 * cgroup v1, as the kernel keeps it: one exception per type:major:minor with a set of access bits. In an
 * allowlist an allow adds bits and a deny removes them from the identical exception only (dev_exception_rm);
 * a denylist the other way round. A wildcard exception is a key of its own: `deny c 5:1` does not narrow `allow c *:*`.
 */
function applyV1(list: DeviceList, rule: DeviceRule, allow: boolean, entry: ConfigEntry): void {
  const adds = list.mode === 'allowlist' ? allow : !allow;
  const at = list.rules.findIndex((r) => sameNumbers(r.rule, rule));
  const opens = /[rw]/.test(rule.access);
  if (adds) {
    if (at < 0) list.rules.push({ rule: { ...rule, access: accessSet(rule.access) }, allow, entry, openers: opens ? [entry] : [] });
    else {
      const before = list.rules[at];
      list.rules[at] = {
        ...before,
        rule: { ...before.rule, access: accessSet(before.rule.access + rule.access) },
        openers: [...(before.openers ?? []), ...(opens ? [entry] : [])],
      };
    }
    return;
  }
  if (at < 0) return;
  const before = list.rules[at];
  const left = [...before.rule.access].filter((l) => !rule.access.includes(l)).join('');
  if (left === '') list.rules.splice(at, 1);
  // Once neither r nor w is left, no earlier line opens it any more.
  else list.rules[at] = { ...before, rule: { ...before.rule, access: left }, ...(/[rw]/.test(left) ? {} : { openers: [] }) };
}

/**
 * cgroup v2, as LXC keeps it (cgroup2_devices.c bpf_list_add_device): a rule identical in type, numbers and
 * access string to one in effect with the opposite verdict flips it (so it no longer counts); otherwise it is
 * added, and only the rules of the list's own kind count (LXC skips deny rules in an allowlist and allow
 * rules in a denylist when it builds the program).
 */
function applyV2(list: DeviceList, rule: DeviceRule, allow: boolean, entry: ConfigEntry): void {
  const counts = list.mode === 'allowlist' ? allow : !allow;
  const twin = list.rules.findIndex((r) => sameNumbers(r.rule, rule) && r.rule.access === rule.access);
  if (twin >= 0) {
    // The same rule again is reused ("Reused existing device rule"): both lines would have to go.
    if (counts) list.rules[twin] = { ...list.rules[twin], openers: [...(list.rules[twin].openers ?? [list.rules[twin].entry]), entry] };
    else list.rules.splice(twin, 1);
    return;
  }
  if (counts) list.rules.push({ rule, allow, entry });
}

/** The device list one cgroup generation ends with, line by line. */
export function deviceList(config: LxcConfig, generation: CgroupGeneration): DeviceList {
  const prefix = generation === 'v1' ? 'lxc.cgroup' : 'lxc.cgroup2';
  // v2: LXC starts every container with an allowlist (conf.c); v1: the kernel starts the cgroup with its parent's allow-all.
  const initial = (): DeviceList => (generation === 'v1' ? { mode: 'denylist', rules: [], inheritsAllowAll: true, lines: [] } : { mode: 'allowlist', rules: [], lines: [] });
  let list = initial();
  for (const entry of config.entries) {
    const key = canonicalKey(entry.key);
    if (key === prefix && entry.value === '') {
      list = initial();
      continue;
    }
    const kind = key === `${prefix}.devices.allow` ? 'allow' : key === `${prefix}.devices.deny` ? 'deny' : undefined;
    if (!kind) continue;
    const allow = kind === 'allow';
    if (entry.value === '') {
      // An empty value clears the earlier lines of this key.
      list.rules = list.rules.filter((r) => r.allow !== allow);
      continue;
    }
    const rule = parseDeviceRule(entry.value, generation, kind);
    // A value its parser rejects stops the container's start; it grants nothing.
    if (!rule) continue;
    list.lines.push(entry);
    if (rule.all) {
      list.mode = allow ? 'denylist' : 'allowlist';
      list.allowAll = allow ? entry : undefined;
      list.inheritsAllowAll = undefined;
      list.rules = [];
      continue;
    }
    (generation === 'v1' ? applyV1 : applyV2)(list, rule, allow, entry);
  }
  return list;
}
