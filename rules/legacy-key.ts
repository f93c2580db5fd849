/**
 * Pre-2.1 config keys: LXC 3.0 removed them and refuses the whole config.
 * The fix renames each key in place, the way lxc-update-config means to,
 * without its bugs (lxc-facts.md §2).
 */
import { defineRule, at } from '../src/rule.js';
import type { ConfigEntry, Fix, LxcConfig, Report, Snapshot, TextEdit } from '../src/types.js';
import { LEGACY_KEYS } from '../src/config/legacy-keys.js';
import { checkKey } from '../src/config/known-keys.js';
import { lastEntry } from '../src/config/query.js';
import { legacyNetworkLines, numberedNetworkIndexes, type LegacyNetworkLine } from '../src/config/legacy-networks.js';
import { documentOf, removeEntryLine, renameKey } from '../src/config/line-edits.js';
import { atLeast, formatVersion } from '../src/criu/version.js';
import { lxcVersionOf } from '../src/live/facts.js';
import { textTable } from '../src/util/table.js';

/** Storage types `lxc.rootfs.path` accepts as `<type>:` (storage.c bdevs[], plus aufs of LXC 2.x). */
const STORAGE_PREFIX = /^(dir|zfs|lvm|rbd|btrfs|overlay|overlayfs|loop|nbd|aufs):/;
const DROPPED_WHY = textTable<string>({
  'lxc.pivotdir': 'LXC no longer pivots through a directory',
  'lxc.kmsg': 'LXC no longer links /dev/kmsg',
  'lxc.rootfs.backend': 'the backend is the prefix of lxc.rootfs.path now',
});

const isLegacy = (key: string) => {
  const verdict = checkKey(key, { major: 3, minor: 0 });
  return !verdict.known && verdict.reason === 'legacy';
};

/**
 * lxc-update-config's index for an unnumbered network line: it counts every
 * line of the file naming lxc.network.type up to it, commented-out ones too.
 */
function scriptIndex(config: LxcConfig, entry: ConfigEntry): { index: number; commentedLines: number[] } {
  const doc = documentOf(config, entry)!;
  const lines = doc.lines.filter((l) => l.line <= entry.line && doc.text.slice(l.start, l.end).includes('lxc.network.type'));
  return { index: Math.max(lines.length - 1, 0), commentedLines: lines.filter((l) => l.kind === 'comment').map((l) => l.line) };
}

interface Plan {
  /** Undefined: no fix can keep the meaning. */
  newKey?: string;
  edits: TextEdit[];
  description: string;
  /** What lxc-update-config gets wrong on this line, if anything. */
  scriptNote?: string;
  /** Why there is no fix, when there is none. */
  noFix?: string;
}

function planNetwork(config: LxcConfig, net: LegacyNetworkLine, numbered: Set<number>, taken: Set<number>): Plan {
  const { entry } = net;
  if (net.clearsAll) {
    return { newKey: 'lxc.net', edits: [renameKey(entry, 'lxc.net')], description: `rename ${entry.key} to lxc.net (an empty value clears every network)` };
  }
  if (net.collidesWithCurrent) {
    return { edits: [], description: '', noFix: `the config also configures lxc.net.${net.index} with current keys, which LXC 2.1 kept as another network: give one of them a free index` };
  }
  if (net.index === undefined) {
    return { edits: [], description: '', noFix: 'no lxc.network.type line comes before it, so it belongs to no network (LXC 2.x refused it too: "network is not created")' };
  }
  const newKey = `lxc.net.${net.index}.${net.sub}`;
  let scriptNote: string | undefined;
  if (net.written !== undefined) {
    const raw = entry.key.replace(/^lxc\.network\./, 'lxc.net.');
    if (raw !== newKey) scriptNote = `lxc-update-config would write ${raw}, which LXC 3+ refuses`;
  } else {
    const theirs = scriptIndex(config, entry);
    if (theirs.index !== net.index) {
      const reasons = [
        ...(theirs.commentedLines.length ? [`it counts the commented-out type line${theirs.commentedLines.length > 1 ? 's' : ''} at line ${theirs.commentedLines.join(', ')}`] : []),
        ...(numbered.has(theirs.index) ? [`it does not skip the numbered network ${theirs.index}`] : []),
      ];
      const merges = taken.has(theirs.index) ? ', merging it into another network' : '';
      scriptNote = `lxc-update-config would number it lxc.net.${theirs.index}${merges}${reasons.length ? `: ${reasons.join('; ')}` : ''}`;
    }
  }
  return { newKey, edits: [renameKey(entry, newKey)], description: `rename ${entry.key} to ${newKey}`, scriptNote };
}

function planRootfsBackend(config: LxcConfig, entry: ConfigEntry): Plan {
  const doc = documentOf(config, entry)!;
  const edits = [removeEntryLine(doc, entry)];
  let description = `delete line ${entry.line} (${entry.key})`;
  let scriptNote: string | undefined;
  const rootfs = lastEntry(config, 'lxc.rootfs.path');
  const inForce = lastEntry(config, 'lxc.rootfs.backend') === entry;
  if (inForce && rootfs && entry.value !== '' && rootfs.value !== '' && !STORAGE_PREFIX.test(rootfs.value)) {
    const rootfsDoc = documentOf(config, rootfs)!;
    const quoted = /^["']/.test(rootfsDoc.text.slice(rootfs.valueStart, rootfs.valueEnd));
    const at = rootfs.valueStart + (quoted ? 1 : 0);
    edits.push({ file: rootfs.file, start: at, end: at, text: `${entry.value}:` });
    description += ` and write its value as the prefix of ${rootfs.key} (${entry.value}:${rootfs.value})`;
    const last = doc.lines.filter((l) => l.kind !== 'blank').at(-1);
    if (entry.value !== 'dir' && last?.line !== entry.line) {
      scriptNote = `lxc-update-config honours lxc.rootfs.backend only on the last line of the file and would write dir:${rootfs.value}`;
    }
  }
  return { edits, description, scriptNote };
}

function plan(config: LxcConfig, entry: ConfigEntry, networks: Map<ConfigEntry, LegacyNetworkLine>, numbered: Set<number>, taken: Set<number>): Plan {
  const net = networks.get(entry);
  if (net) return planNetwork(config, net, numbered, taken);
  if (entry.key === 'lxc.rootfs.backend') return planRootfsBackend(config, entry);
  if (Object.hasOwn(LEGACY_KEYS, entry.key) && LEGACY_KEYS[entry.key] === null) {
    const doc = documentOf(config, entry)!;
    return { edits: [removeEntryLine(doc, entry)], description: `delete line ${entry.line} (${entry.key}: ${DROPPED_WHY[entry.key] ?? 'removed in LXC 3.0'})` };
  }
  if (entry.key.startsWith('lxc.limit.')) {
    const newKey = 'lxc.prlimit.' + entry.key.slice('lxc.limit.'.length);
    return { newKey, edits: [renameKey(entry, newKey)], description: `rename ${entry.key} to ${newKey}`, scriptNote: 'lxc-update-config leaves lxc.limit.* unconverted' };
  }
  const newKey = LEGACY_KEYS[entry.key];
  if (!newKey) return { edits: [], description: '', noFix: 'ctcr does not know its current name' };
  let scriptNote: string | undefined;
  if (entry.key === 'lxc.rootfs') {
    scriptNote = STORAGE_PREFIX.test(entry.value)
      ? `lxc-update-config would write a second prefix (dir:${entry.value})`
      : `lxc-update-config would also add a 'dir:' prefix, which forces the dir backend where LXC detects the type`;
  }
  return { newKey, edits: [renameKey(entry, newKey)], description: `rename ${entry.key} to ${newKey}`, scriptNote };
}

export default defineRule({
  id: 'legacy-key',
  severity: 'error',
  summary: 'A pre-2.1 config key (lxc.tty, lxc.network.*, lxc.rootfs ...), which LXC 3.0 and later refuse.',
  scope: 'static',
  messages: {
    legacyKey: 'a pre-2.1 config key, renamed or removed in LXC 2.1 and refused since 3.0',
  },
  fixable: true,
  docs: {
    why:
      'LXC 2.1 renamed the config keys and LXC 3.0 removed the old names: one of them makes the whole config fail to load ' +
      '("Unsupported config key"), so the container neither starts nor restores. LXC\'s own converter, lxc-update-config, gets several ' +
      'cases wrong: numbered lxc.network.N.ipv4/ipv6 become lxc.net.N.ipv4 (no .address, refused); lxc.limit.* is left alone; a ' +
      'prefixed lxc.rootfs gets a second prefix; lxc.rootfs.backend is honoured only on the last line; unnumbered networks are numbered ' +
      'by counting commented-out type lines too and collide with numbered ones; and it renames commented-out lines.',
    fix:
      'The fix renames each key in place, keeping spacing and value: unnumbered lxc.network.* blocks become lxc.net.N.* with N counted as ' +
      'LXC 2.x did (a new network at each type line, skipping indexes that numbered networks use), ipv4/ipv6 become ipv4.address/ipv6.address, ' +
      'lxc.limit.* becomes lxc.prlimit.*, lxc.rootfs.backend is deleted after its value becomes the prefix of lxc.rootfs.path, and ' +
      'lxc.pivotdir and lxc.kmsg lines are deleted. Comment lines are never touched. Judged for the LXC version in use: from 3.0 an error, ' +
      'in 2.1.x a warning (still accepted), before 2.1 nothing (those are the current names there).',
    reference: 'lxc src/lxc/cmd/lxc-update-config.in; lxc-2.1.1 src/lxc/confile.c ("REMOVE IN LXC 3.0")',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const version = lxcVersionOf(snapshot);
    if (!atLeast(version, '2.1')) return [];
    const refused = atLeast(version, '3.0');
    const networks = new Map(legacyNetworkLines(config).map((n) => [n.entry, n]));
    const numbered = numberedNetworkIndexes(config);
    // Indexes of networks other than a line's own, to tell when lxc-update-config's numbering merges two networks.
    const taken = new Set([...numbered, ...[...networks.values()].flatMap((n) => (n.index === undefined ? [] : [n.index]))]);
    const reports: Report[] = [];
    for (const entry of config.entries) {
      if (!isLegacy(entry.key)) continue;
      const p = plan(config, entry, networks, numbered, taken);
      const status = refused
        ? `is a pre-2.1 key: LXC ${formatVersion(version)} refuses the config ("Unsupported config key")`
        : `is a pre-2.1 key, deprecated since LXC 2.1 and refused from 3.0 on`;
      const action = p.noFix ? `; rename it by hand (${p.noFix})` : p.newKey ? `; rename it to ${p.newKey}` : '; delete the line';
      const fix: Fix | undefined = p.noFix ? undefined : { description: p.description, edits: p.edits };
      reports.push({
        messageId: 'legacyKey',
        message: `${entry.key} ${status}${action}${p.scriptNote ? ` (${p.scriptNote})` : ''}`,
        location: at(entry),
        ...(refused ? {} : { severity: 'warning' as const }),
        ...(fix ? { fix } : {}),
      });
    }
    return reports;
  },
});
