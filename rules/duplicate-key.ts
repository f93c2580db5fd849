/**
 * A scalar key set more than once: LXC keeps the last value and silently
 * drops the others.
 */
import { defineRule, at } from '../src/rule.js';
import type { ConfigEntry, Report, Snapshot } from '../src/types.js';
import { canonicalKey } from '../src/config/legacy-keys.js';
import { checkKey, isCgroupV1Key } from '../src/config/known-keys.js';
import { legacyNetworkLines, numberedNetworkIndexes } from '../src/config/legacy-networks.js';
import { documentOf, removeEntryLine } from '../src/config/line-edits.js';
import { lxcVersionOf } from '../src/live/facts.js';

/** Keys that accumulate (or OR their flags) rather than replace: repeating them is how they are used (lxc-facts.md §3). */
const LIST_KEYS = new Set([
  'lxc.mount.entry', 'lxc.mount.auto', 'lxc.cap.drop', 'lxc.cap.keep', 'lxc.idmap', 'lxc.environment', 'lxc.group',
  'lxc.apparmor.raw', 'lxc.include', 'lxc.net', 'lxc.hook', 'lxc.init.groups', 'lxc.namespace.clone', 'lxc.namespace.keep',
  'lxc.sysctl', 'lxc.prlimit', 'lxc.proc', 'lxc.cgroup2',
]);
const NET_LIST_SUBKEY = /^lxc\.net\.\d+\.(ipv4\.address|ipv6\.address|veth\.ipv4\.route|veth\.ipv6\.route|veth\.vlan\.tagged\.id)$/;

function isListKey(key: string): boolean {
  return (
    LIST_KEYS.has(key) ||
    (key.startsWith('lxc.hook.') && key !== 'lxc.hook.version') ||
    key.startsWith('lxc.proc.') ||
    key.startsWith('lxc.cgroup2.') ||
    isCgroupV1Key(key) ||
    NET_LIST_SUBKEY.test(key)
  );
}

const NET_INDEX_IN_KEY = /^lxc\.(?:net|network)\.(\d+)\./;
const NET_TYPE = /^lxc\.net\.(\d+)\.type$/;

export default defineRule({
  id: 'duplicate-key',
  severity: 'warning',
  summary: 'A scalar key is set more than once; LXC keeps the last value and silently drops the others.',
  scope: 'static',
  messages: {
    networkTypeAgain: 'lxc.net.N.type is set again for the same network index',
    overridden: 'a scalar key set again later: this line has no effect',
  },
  fixable: true,
  hasSuggestions: true,
  docs: {
    why:
      'For a scalar key LXC keeps the last line read (includes count where they are included), so earlier lines have no effect, and ' +
      'what a reader sees first is not what the container gets. Legacy and current names of a key are the same key (lxc.tty and ' +
      'lxc.tty.max). A repeated lxc.net.N.type does not add a network, unlike the legacy unnumbered lxc.network.type: three ' +
      'lxc.net.0.type lines configure one device (LXC\'s own lxc-complex example has this mistake). List keys (lxc.mount.entry, ' +
      'lxc.cgroup2.*, lxc.cap.drop, lxc.idmap, lxc.hook.*, lxc.environment, lxc.net.N.ipv4.address ...) accumulate and are not reported; ' +
      'a bare lxc.net = clears the networks, so keys before it are not duplicates of keys after it.',
    fix:
      'The fix removes the earlier lines, which changes nothing LXC does, but only when the winning line is in the same file (a line in a ' +
      'shared include may matter to another container; then it is reported without fix). For a repeated lxc.net.N.type the suggestion ' +
      'renumbers the block it starts to the next free index (lxc.net.1.*), which adds the network the lines describe.',
    reference: 'lxc doc/lxc.container.conf; lxc doc/examples/lxc-complex.conf.in',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const version = lxcVersionOf(snapshot);
    const legacyNets = new Map(legacyNetworkLines(config).map((n) => [n.entry, n]));
    const groups = new Map<string, ConfigEntry[]>();
    for (const entry of config.entries) {
      const verdict = checkKey(entry.key, version);
      if (!verdict.known && verdict.reason !== 'legacy') continue;
      const net = legacyNets.get(entry);
      const clears = (canonicalKey(entry.key) === 'lxc.net' && entry.value === '') || net?.clearsAll;
      if (clears) {
        for (const id of [...groups.keys()]) if (id.startsWith('lxc.net.')) groups.delete(id);
        continue;
      }
      let id: string;
      if (net && net.written === undefined) {
        if (net.index === undefined) continue;
        id = `lxc.net.${net.index}.${net.sub}`;
      } else if (net?.collidesWithCurrent) {
        // A different network from lxc.net.N in LXC 2.1: keep it apart.
        id = `lxc.network.${net.index}.${net.sub}`;
      } else {
        id = canonicalKey(entry.key);
      }
      if (isListKey(id)) continue;
      const group = groups.get(id);
      if (group) group.push(entry);
      else groups.set(id, [entry]);
    }

    const reports: Report[] = [];
    // A network whose type is set more than once: its later blocks were meant as other networks; renumbering them is the remedy.
    const ambiguous = new Set<number>();
    const used = new Set([...numberedNetworkIndexes(config), ...[...legacyNets.values()].flatMap((n) => (n.index === undefined ? [] : [n.index]))]);
    const nextFree = () => {
      let i = 0;
      while (used.has(i)) i++;
      used.add(i);
      return i;
    };
    for (const [id, entries] of groups) {
      const m = NET_TYPE.exec(id);
      if (!m || entries.length < 2) continue;
      const index = Number(m[1]);
      ambiguous.add(index);
      entries.slice(1).forEach((typeLine, k) => {
        const nextType = entries[k + 2];
        // The block: this type line up to the next one, in the same file, with this network's index.
        const from = config.entries.indexOf(typeLine);
        const end = nextType ? config.entries.indexOf(nextType) : config.entries.length;
        const block = config.entries.slice(from, end).filter((e) => e.file === typeLine.file && Number(NET_INDEX_IN_KEY.exec(e.key)?.[1]) === index);
        const to = nextFree();
        const previous = entries[k];
        reports.push({
          messageId: 'networkTypeAgain',
          message:
            `${typeLine.key} = ${typeLine.value} sets the type of network ${index} again (line ${previous.line}${previous.file === typeLine.file ? '' : ` of ${previous.file}`} ` +
            `set ${previous.value}): lxc.net.${index}.* lines configure one network, so this changes its type instead of adding a network, ` +
            `and the later values of each key win. Number this block lxc.net.${to}.* to add a network`,
          location: at(typeLine),
          suggestions: [
            {
              description: `renumber lines ${block.map((e) => e.line).join(', ')} to lxc.net.${to}.* (adds a network)`,
              edits: block.map((e) => {
                const digits = NET_INDEX_IN_KEY.exec(e.key)!;
                const start = e.keyStart + digits[0].length - digits[1].length - 1;
                return { file: e.file, start, end: start + digits[1].length, text: String(to) };
              }),
            },
          ],
        });
      });
    }

    for (const [id, entries] of groups) {
      if (entries.length < 2) continue;
      const net = /^lxc\.net\.(\d+)\./.exec(id);
      if (net && ambiguous.has(Number(net[1]))) continue;
      const winner = entries.at(-1)!;
      const sets = winner.value === '' ? `resets ${winner.key} to the default` : `sets ${winner.key} = ${winner.value}`;
      for (const loser of entries.slice(0, -1)) {
        const doc = documentOf(config, loser)!;
        const sameFile = loser.file === winner.file;
        const winnerAt = sameFile ? `line ${winner.line}` : `line ${winner.line} of ${winner.file}`;
        reports.push({
          messageId: 'overridden',
          message:
            `${loser.key} = ${loser.value} has no effect: ${winnerAt} ${sets} and the last line wins` +
            (sameFile ? '' : ' (not removed automatically: the lines are in different files)'),
          location: at(loser),
          ...(sameFile ? { fix: { description: `remove line ${loser.line} (overridden by line ${winner.line})`, edits: [removeEntryLine(doc, loser)] } } : {}),
        });
      }
    }
    return reports;
  },
});
