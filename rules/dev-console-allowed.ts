/**
 * A device cgroup rule that lets the container open the host's console
 * device (c 5:1): a process holding it is a tty CRIU cannot dump.
 */
import { defineRule, at } from '../src/rule.js';
import type { ConfigEntry, LxcConfig, Report } from '../src/types.js';
import { canonicalKey } from '../src/config/legacy-keys.js';
import { documentOf, insertLineAfter, removeEntryLine } from '../src/config/line-edits.js';

interface DeviceRule {
  /** The bare `a` rule: all devices, which also resets the list and picks its mode. */
  all: boolean;
  type: 'a' | 'b' | 'c';
  major: number | '*';
  minor: number | '*';
  access: string;
}

/** `a`, or `<a|b|c> <major|*>:<minor|*> <subset of rwm>` (device_cgroup_rule_parse); undefined when malformed. */
export function parseDeviceRule(value: string): DeviceRule | undefined {
  const v = value.trim();
  if (v === 'a') return { all: true, type: 'a', major: '*', minor: '*', access: 'rwm' };
  const m = /^([abc])[ \t]+(\d+|\*):(\d+|\*)[ \t]+([rwm]+)$/.exec(v);
  if (!m) return undefined;
  const num = (s: string) => (s === '*' ? '*' : Number(s));
  return { all: false, type: m[1] as DeviceRule['type'], major: num(m[2]), minor: num(m[3]), access: m[4] };
}

const sameDevice = (a: DeviceRule, b: DeviceRule) => a.type === b.type && a.major === b.major && a.minor === b.minor && a.access === b.access;
/** The rule covers c 5:1 and opens it for reading or writing (`m` alone only allows mknod). */
const opensConsole = (r: DeviceRule) =>
  (r.type === 'c' || r.type === 'a') && (r.major === 5 || r.major === '*') && (r.minor === 1 || r.minor === '*') && /[rw]/.test(r.access);
const isExactConsole = (r: DeviceRule) => r.type === 'c' && r.major === 5 && r.minor === 1;

interface Listed {
  rule: DeviceRule;
  allow: boolean;
  entry: ConfigEntry;
}

interface DeviceList {
  /** allowlist: only allowed devices (after `deny = a`, LXC's default); denylist: all but denied ones (after `allow = a`). */
  mode: 'allowlist' | 'denylist';
  rules: Listed[];
  /** The `allow = a` line that made it a denylist. */
  allowAll?: ConfigEntry;
}

/** The device list one cgroup generation ends with, applied line by line as LXC (v2) and the kernel (v1) do. */
function deviceList(config: LxcConfig, prefix: 'lxc.cgroup' | 'lxc.cgroup2'): DeviceList {
  const list: DeviceList = { mode: 'allowlist', rules: [] };
  for (const entry of config.entries) {
    const key = canonicalKey(entry.key);
    if (key === prefix && entry.value === '') {
      list.rules = [];
      list.allowAll = undefined;
      list.mode = 'allowlist';
      continue;
    }
    const kind = key === `${prefix}.devices.allow` ? 'allow' : key === `${prefix}.devices.deny` ? 'deny' : undefined;
    if (!kind) continue;
    const allow = kind === 'allow';
    if (entry.value === '') {
      list.rules = list.rules.filter((r) => r.allow !== allow);
      continue;
    }
    const rule = parseDeviceRule(entry.value);
    if (!rule) continue;
    if (rule.all) {
      list.mode = allow ? 'denylist' : 'allowlist';
      list.allowAll = allow ? entry : undefined;
      list.rules = [];
      continue;
    }
    // The opposite of an identical rule takes it back (LXC flips it; the v1 kernel removes the exact exception).
    const twin = list.rules.findIndex((r) => r.allow !== allow && sameDevice(r.rule, rule));
    if (twin >= 0) list.rules.splice(twin, 1);
    else list.rules.push({ rule, allow, entry });
  }
  return list;
}

function denyLineFor(allowAll: ConfigEntry): string {
  return `${allowAll.key.replace(/allow$/, 'deny')} = c 5:1 rwm`;
}

const FAILURE = 'a container process holding the host console is a tty CRIU cannot dump ("tty: Can\'t obtain ptmx index")';

export default defineRule({
  id: 'dev-console-allowed',
  severity: 'warning',
  summary: "A device cgroup rule lets the container open the host's console (c 5:1), which CRIU cannot dump.",
  scope: 'static',
  messages: {
    allowAll: 'a device allow-all rule lets the container open the host console',
    allowConsole: 'a device rule allows exactly the host console (c 5:1)',
    allowConsoleAmongOthers: 'a device rule allows the host console among other devices',
  },
  hasSuggestions: true,
  docs: {
    why:
      "c 5:1 is /dev/console of the host. When the container may open it (lxc.cgroup.devices.allow or lxc.cgroup2.devices.allow = c 5:1 rwm, " +
      "as LXC's common.conf templates have) and its /dev/console is that device node rather than LXC's pty (console disabled, no autodev), " +
      "init and its children hold the host console, and criu dump fails with \"tty: Can't obtain ptmx index\" (CRIU wiki, LXC page). " +
      'Rules are read with the device-rule grammar (`a`, or `<a|b|c> <major|*>:<minor|*> <rwm>`): a rule grants the console when its type ' +
      'is c or a, its numbers match 5:1 or are wildcards, and its access has r or w (`c *:* m` allows only mknod and does not count). ' +
      '`allow = a` allows every device (a denylist): then a deny rule for c 5:1 takes it back. After `deny = a` (an allowlist, LXC\'s ' +
      'default) LXC skips deny rules and the v1 kernel removes only identical exceptions, so a wildcard allow cannot be narrowed by a deny ' +
      'line. A config without any device rule gets no device cgroup from LXC and is not reported.',
    fix:
      'Remove the c 5:1 allow line (the suggestion does). For `allow = a`, add lxc.cgroup2.devices.deny = c 5:1 rwm after it (the suggestion ' +
      'does; LXC\'s own checkpoint test adds that line as its "hax for criu"). Replace a wildcard allow (c 5:* or c *:* with r/w) by rules ' +
      'for the devices the container needs. Setting lxc.console.path = none and keeping lxc.autodev = 1 also keeps the host console out.',
    reference: 'https://criu.org/LXC ("/dev/console isn\'t supported yet"); lxc src/lxc/cgroups/cgfsng.c device_cgroup_rule_parse, cgroup2_devices.c',
  },
  logSignatures: [
    {
      pattern: /Can't obtain ptmx index/,
      explain: () => ({
        message: 'a process holds a ptmx that is not the container devpts instance (typically the host console reached through c 5:1)',
        fix: 'Remove the devices rule that allows c 5:1 (lxc.cgroup.devices.allow / lxc.cgroup2.devices.allow = c 5:1 rwm), set lxc.console.path = none, and make sure /dev/ptmx points to pts/ptmx.',
      }),
      samples: [
        { line: 'Error (tty.c:203): tty: Can\'t obtain ptmx index: Inappropriate ioctl for device', source: 'criu.org "LXC" page, revision of 2014-02-26 (seed criu-wiki-lxc.txt), FAQ' },
      ],
    },
  ],
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const reports: Report[] = [];
    for (const prefix of ['lxc.cgroup', 'lxc.cgroup2'] as const) {
      const list = deviceList(config, prefix);
      if (list.mode === 'denylist') {
        const denied = list.rules.filter((r) => !r.allow && opensConsole(r.rule)).map((r) => r.rule.access);
        const closed = denied.some((a) => a.includes('r') && a.includes('w'));
        if (closed || !list.allowAll) continue;
        const entry = list.allowAll;
        const doc = documentOf(config, entry)!;
        const line = denyLineFor(entry);
        reports.push({
          messageId: 'allowAll',
          message: `${entry.key} = a allows every device, the host console (c 5:1) included: ${FAILURE}. Add ${line} after it`,
          location: at(entry),
          suggestions: [{ description: `add ${line} after line ${entry.line} (the container can no longer open the host console)`, edits: [insertLineAfter(doc, entry, line)] }],
        });
        continue;
      }
      for (const { rule, entry } of list.rules.filter((r) => r.allow && opensConsole(r.rule))) {
        if (isExactConsole(rule)) {
          const doc = documentOf(config, entry)!;
          reports.push({
            messageId: 'allowConsole',
            message: `${entry.key} = ${entry.value} lets the container open the host console (c 5:1): ${FAILURE}. Remove the line`,
            location: at(entry),
            suggestions: [{ description: `remove line ${entry.line} (the container can no longer open the host console)`, edits: [removeEntryLine(doc, entry)] }],
          });
        } else {
          reports.push({
            messageId: 'allowConsoleAmongOthers',
            message:
              `${entry.key} = ${entry.value} lets the container open the host console (c 5:1) among other devices: ${FAILURE}. ` +
              `A deny line cannot narrow it after 'deny = a'; replace it with rules for the devices the container needs`,
            location: at(entry),
          });
        }
      }
    }
    return reports;
  },
});
