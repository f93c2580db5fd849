/**
 * Pure questions about a parsed config, answered the way LXC reads it:
 * a scalar's last line wins, an empty value resets a list, legacy and current
 * key names mean the same thing.
 */
import path from 'node:path';
import type { ConfigEntry, LxcConfig, NetworkSpec } from '../types.js';
import { canonicalKey } from './legacy-keys.js';
import { legacyNetworkLines } from './legacy-networks.js';
import { perConfig } from './memo.js';
import { emptyTable } from '../util/table.js';

/** Entries by their key's current name, in order. */
const byKey = perConfig((config): Map<string, ConfigEntry[]> => {
  const index = new Map<string, ConfigEntry[]>();
  for (const e of config.entries) {
    const key = canonicalKey(e.key);
    const list = index.get(key);
    if (list) list.push(e);
    else index.set(key, [e]);
  }
  return index;
});

/** Entries whose key, in its current name, is `key` (e.g. `lxc.tty.max` finds `lxc.tty` too). */
export function entriesFor(config: LxcConfig, key: string): ConfigEntry[] {
  return [...(byKey(config).get(key) ?? [])];
}

/** The entry that decides a scalar key: the last one. Undefined when the key is not set. */
export function lastEntry(config: LxcConfig, key: string): ConfigEntry | undefined {
  return byKey(config).get(key)?.at(-1);
}

/** A scalar's value; an empty value means "reset to the default", returned as undefined. */
export function scalarValue(config: LxcConfig, key: string): string | undefined {
  const e = lastEntry(config, key);
  return e && e.value !== '' ? e.value : undefined;
}

/**
 * The entries of a list key that are in force: those after the last line
 * with an empty value (which clears the list).
 */
export function listEntries(config: LxcConfig, key: string): ConfigEntry[] {
  const all = entriesFor(config, key);
  let from = 0;
  all.forEach((e, i) => {
    if (e.value === '') from = i + 1;
  });
  return all.slice(from);
}

/** Entries whose current key name starts with `prefix` (e.g. `lxc.cgroup2.devices.`). */
export function entriesWithPrefix(config: LxcConfig, prefix: string): ConfigEntry[] {
  return config.entries.filter((e) => canonicalKey(e.key).startsWith(prefix));
}

const NET_KEY = /^lxc\.net\.(\d+|\?)\.(.+)$/;

/**
 * The networks the config defines, in index order. Legacy unindexed
 * `lxc.network.*` lines get the index legacy-networks.ts assigns them (the
 * one the legacy-key fix renames them to); a bare `lxc.net =` /
 * `lxc.network =` clears all networks.
 */
export const networks = perConfig((config: LxcConfig): readonly NetworkSpec[] => {
  const legacyIndex = new Map(legacyNetworkLines(config).map((l) => [l.entry, l.index]));
  const byIndex = new Map<number, NetworkSpec>();
  for (const entry of config.entries) {
    const key = canonicalKey(entry.key);
    if (key === 'lxc.net') {
      if (entry.value === '') byIndex.clear();
      continue;
    }
    const m = NET_KEY.exec(key);
    if (!m) continue;
    const sub = m[2];
    const index = m[1] === '?' ? legacyIndex.get(entry) : Number(m[1]);
    if (index === undefined) continue;
    let net = byIndex.get(index);
    if (!net) {
      net = { index, keys: emptyTable(), entry };
      byIndex.set(index, net);
    }
    net.keys[sub] = entry;
    if (sub === 'type') {
      net.type = entry.value;
      net.entry = entry;
    }
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
});

/**
 * Where `lxc.rootfs.path` puts the root filesystem: a directory for a plain
 * path, `dir:` or `btrfs:` (relative paths resolved against the file that
 * says so), else the storage backend (lvm, zfs, overlay...) that has no
 * directory to read. Empty when the key is unset or reset.
 */
export function rootfsLocation(config: LxcConfig): { dir?: string; backend?: string; entry?: ConfigEntry } {
  const entry = lastEntry(config, 'lxc.rootfs.path');
  if (!entry || entry.value === '') return {};
  const value = entry.value;
  const colon = value.indexOf(':');
  const backend = colon > 0 && !value.startsWith('/') ? value.slice(0, colon) : undefined;
  if (backend === undefined) return { dir: path.resolve(path.dirname(entry.file), value), entry };
  if (backend === 'dir' || backend === 'btrfs') return { dir: path.resolve(path.dirname(entry.file), value.slice(colon + 1)), entry };
  return { backend, entry };
}
