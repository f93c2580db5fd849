/**
 * A device cgroup rule that lets the container open the host's console
 * device (c 5:1): a process holding it is a tty CRIU cannot dump.
 */
import { defineRule, at } from '../src/rule.js';
import type { ConfigEntry, Fix, LxcConfig, Report, Snapshot } from '../src/types.js';
import { deviceList, type DeviceRule } from '../src/config/device-rules.js';
import { documentOf, insertLineAfter, overrideAtEnd, removeEntryLine } from '../src/config/line-edits.js';
import { known } from '../src/live/facts.js';

/** The rule covers c 5:1 and opens it for reading or writing (`m` alone only allows mknod). */
const opensConsole = (r: DeviceRule) =>
  (r.type === 'c' || r.type === 'a') && (r.major === 5 || r.major === '*') && (r.minor === 1 || r.minor === '*') && /[rw]/.test(r.access);
const isExactConsole = (r: DeviceRule) => r.type === 'c' && r.major === 5 && r.minor === 1;

/** How the parser read a value that is not written in the plain form (trailing text, a device path). */
function readAs(value: string, rule: DeviceRule): string {
  if (rule.devicePath) return ` (LXC reads ${rule.devicePath} as ${rule.type} ${rule.major}:${rule.minor})`;
  const [type, numbers, access = '', ...rest] = value.trim().split(/[ \t]+/);
  if (rest.length === 0 && access.length <= 3) return '';
  return ` (read as '${type} ${numbers} ${access.slice(0, 3)}': the access field ends after three letters, the rest of the value is ignored)`;
}

/**
 * LXC applies one generation's lines only: v2 ones on a pure cgroup2 host ("Ignoring legacy cgroup limits on pure
 * cgroup2 system"), v1 ones on a v1 or hybrid host ("Ignoring cgroup2 limits on legacy cgroup system"). Lint does
 * not know the host and judges both; the doctor judges the ones this host's LXC applies.
 */
function appliesOnThisHost(snapshot: Snapshot, generation: 'v1' | 'v2'): boolean {
  const layout = known(snapshot.host?.cgroups)?.layout;
  if (!snapshot.container || !layout || layout === 'none') return true;
  return generation === 'v2' ? layout === 'v2' : layout !== 'v2';
}

function denyLineFor(allowAll: ConfigEntry): string {
  return `${allowAll.key.replace(/allow$/, 'deny')} = c 5:1 rwm`;
}

/**
 * A deny line after `entry`: there when the entry is in the main config; when an included (maybe shared, package-owned) file
 * has it, the edit there plus, as the alternative the fixer takes when it may not write that file, the line at the end of
 * the main config, read after every include.
 */
function denyAfter(config: LxcConfig, entry: ConfigEntry, line: string, why: string): Fix[] {
  const elsewhere = entry.file === config.documents[0].path ? '' : ` of ${entry.file}`;
  return [
    { description: `add ${line} after line ${entry.line}${elsewhere} (${why})`, edits: [insertLineAfter(documentOf(config, entry)!, entry, line)] },
    ...overrideAtEnd(config, entry, line, why),
  ];
}

const FAILURE = 'a container process holding the host console is a tty CRIU cannot dump ("tty: Can\'t obtain ptmx index")';

export default defineRule({
  id: 'dev-console-allowed',
  severity: 'warning',
  summary: "A device cgroup rule lets the container open the host's console (c 5:1), which CRIU cannot dump.",
  scope: 'static',
  messages: {
    inheritsAllowAll: 'v1 device lines without a deny of every device first leave the parent cgroup\'s allow-all in place',
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
      'Rules are read as the v1 kernel (devcgroup_update_access) and LXC for v2 (device_cgroup_rule_parse) read them: `a`, or ' +
      '`<a|b|c> <major|*>:<minor|*> <rwm>` with one blank between fields, the access field ending after three letters, so ' +
      '`c 5:1 rwm # /dev/console` still grants the console; an allow of the path /dev/console is resolved by LXC to c 5:1. A rule grants the console when its type ' +
      'is c or a, its numbers match 5:1 or are wildcards, and its access has r or w (`c *:* m` allows only mknod and does not count). ' +
      '`allow = a` allows every device (a denylist): then a deny rule for c 5:1 takes it back. After `deny = a` (an allowlist, LXC\'s ' +
      'default) LXC skips deny rules unless one is identical to an allow (same access letters: it flips it), and the v1 kernel removes the ' +
      'denied letters from the exception with the same numbers only (deny c 5:1 rw leaves c 5:1 m), so a wildcard allow cannot be narrowed by a deny ' +
      'line. A v1 cgroup starts with its parent\'s allow-all, so v1 allow lines without a `deny = a` before them change nothing and every ' +
      'device stays open (reported on the first device line). A config without any device rule gets no device cgroup from LXC and is not reported. ' +
      'LXC applies v2 lines only on a pure cgroup2 host and v1 lines only on a v1 or hybrid one: lint judges both, the doctor those of its host.',
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
    for (const generation of ['v1', 'v2'] as const) {
      if (!appliesOnThisHost(snapshot, generation)) continue;
      const list = deviceList(config, generation);
      if (list.mode === 'denylist') {
        const denied = list.rules.filter((r) => opensConsole(r.rule)).map((r) => r.rule.access);
        const closed = denied.some((a) => a.includes('r') && a.includes('w'));
        if (closed) continue;
        // v1: the kernel takes a later allow as "remove this exception", so the deny goes after the last device line; LXC (v2) skips allows in a denylist.
        const after = generation === 'v1' ? list.lines.at(-1) : list.allowAll;
        if (list.allowAll && after) {
          const entry = list.allowAll;
          const line = denyLineFor(entry);
          reports.push({
            messageId: 'allowAll',
            message: `${entry.key} = a allows every device, the host console (c 5:1) included: ${FAILURE}. Add ${line} after ${after === entry ? 'it' : `line ${after.line}`}`,
            location: at(entry),
            suggestions: denyAfter(config, after, line, 'the container can no longer open the host console'),
          });
        } else if (list.inheritsAllowAll && list.lines.length) {
          // Device lines without `deny = a`: the v1 cgroup keeps its parent's allow-all, and the allow lines change nothing.
          const first = list.lines[0];
          const last = list.lines.at(-1)!;
          const line = `${first.key.replace(/(allow|deny)$/, 'deny')} = c 5:1 rwm`;
          reports.push({
            messageId: 'inheritsAllowAll',
            message:
              `${first.key} = ${first.value}: no lxc.cgroup.devices.deny = a comes before the device lines, so the container's v1 devices cgroup keeps ` +
              `its parent's allow-all (an allow changes nothing then): every device, the host console (c 5:1) included, is open: ${FAILURE}. ` +
              `Add ${line} after line ${last.line}, or lxc.cgroup.devices.deny = a before the device lines`,
            location: at(first),
            suggestions: denyAfter(config, last, line, 'the container can no longer open the host console; other devices stay as they are'),
          });
        }
        continue;
      }
      // v1 merges lines with the same numbers into one exception: each line that gave it r or w is reported.
      const opening = list.rules.filter((r) => opensConsole(r.rule)).flatMap((r) => (r.openers ?? [r.entry]).map((entry) => ({ rule: r.rule, entry })));
      for (const { rule, entry } of opening) {
        if (isExactConsole(rule)) {
          const doc = documentOf(config, entry)!;
          reports.push({
            messageId: 'allowConsole',
            message: `${entry.key} = ${entry.value}${readAs(entry.value, rule)} lets the container open the host console (c 5:1): ${FAILURE}. Remove the line`,
            location: at(entry),
            suggestions: [
              { description: `remove line ${entry.line}${entry.file === config.documents[0].path ? '' : ` of ${entry.file}`} (the container can no longer open the host console)`, edits: [removeEntryLine(doc, entry)] },
              // The same rule denied after the include cancels it: the v1 kernel removes the exception, LXC's v2 list drops an identical allow.
              ...overrideAtEnd(config, entry, `${entry.key.replace(/allow$/, 'deny')} = c 5:1 ${rule.access}`, 'cancels the included allow; the container can no longer open the host console'),
            ],
          });
        } else {
          reports.push({
            messageId: 'allowConsoleAmongOthers',
            message:
              `${entry.key} = ${entry.value}${readAs(entry.value, rule)} lets the container open the host console (c 5:1) among other devices: ${FAILURE}. ` +
              `A deny line cannot narrow it after 'deny = a'; replace it with rules for the devices the container needs`,
            location: at(entry),
          });
        }
      }
    }
    return reports;
  },
});
