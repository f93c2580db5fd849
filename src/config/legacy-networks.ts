/**
 * Which `lxc.net.N` each legacy `lxc.network.*` line belongs to, for
 * renaming them (legacy-key) and for telling repeated keys apart
 * (duplicate-key).
 *
 * LXC 1.x/2.x started a new network at every unnumbered `lxc.network.type`
 * line (a commented-out line is not a line to LXC) and applied the
 * unnumbered keys that follow to that network. Numbered legacy keys
 * (`lxc.network.N.*`) and current ones (`lxc.net.N.*`) name their index;
 * an unnumbered network takes the next index that no numbered key of the
 * config uses, so that renaming it cannot merge it into another network.
 */
import type { ConfigEntry, LxcConfig } from '../types.js';
import { LEGACY_NET_SUBKEYS } from './legacy-keys.js';
import { perConfig } from './memo.js';

export interface LegacyNetworkLine {
  entry: ConfigEntry;
  /** The N of `lxc.network.N.<sub>`; undefined for an unnumbered key. */
  written?: number;
  /** The index of `lxc.net.N` it belongs to; undefined for an unnumbered key with no type line before it (LXC 2.x rejected that too). */
  index?: number;
  /** The sub-key's current name (`ipv4` → `ipv4.address`). */
  sub: string;
  /** An unnumbered `lxc.network.type` with an empty value: LXC 2.x cleared every network. */
  clearsAll: boolean;
  /**
   * A numbered legacy key whose N the config also uses with current keys
   * (`lxc.network.0.*` and `lxc.net.0.*`): LXC 2.1 kept those apart (legacy
   * networks had their own, negative, indexes), so renaming would merge two networks.
   */
  collidesWithCurrent?: boolean;
}

const LEGACY_NUMBERED = /^lxc\.network\.(\d+)\.(.+)$/;
const LEGACY_UNNUMBERED = /^lxc\.network\.([a-z].*)$/;
const CURRENT_NUMBERED = /^lxc\.net\.(\d+)\./;

/** Every numbered network index the config names, in either generation. */
export function numberedNetworkIndexes(config: LxcConfig): Set<number> {
  const used = new Set<number>();
  for (const e of config.entries) {
    const m = LEGACY_NUMBERED.exec(e.key) ?? CURRENT_NUMBERED.exec(e.key);
    if (m) used.add(Number(m[1]));
  }
  return used;
}

/** The legacy network lines of the config, in order, each with the index it belongs to. */
export const legacyNetworkLines = perConfig((config: LxcConfig): readonly LegacyNetworkLine[] => {
  const numbered = numberedNetworkIndexes(config);
  const currentIndexes = new Set(config.entries.flatMap((e) => {
    const m = CURRENT_NUMBERED.exec(e.key);
    return m ? [Number(m[1])] : [];
  }));
  const out: LegacyNetworkLine[] = [];
  let current = -1;
  for (const entry of config.entries) {
    // A bare `lxc.net =` / `lxc.network =` clears every network: indexes start again.
    if ((entry.key === 'lxc.net' || entry.key === 'lxc.network') && entry.value === '') {
      current = -1;
      continue;
    }
    const n = LEGACY_NUMBERED.exec(entry.key);
    if (n) {
      const index = Number(n[1]);
      out.push({ entry, written: index, index, sub: LEGACY_NET_SUBKEYS[n[2]] ?? n[2], clearsAll: false, ...(currentIndexes.has(index) ? { collidesWithCurrent: true } : {}) });
      continue;
    }
    const u = LEGACY_UNNUMBERED.exec(entry.key);
    if (!u) continue;
    const sub = LEGACY_NET_SUBKEYS[u[1]] ?? u[1];
    if (sub === 'type' && entry.value === '') {
      out.push({ entry, sub, clearsAll: true });
      current = -1;
      continue;
    }
    if (sub === 'type') {
      let i = current + 1;
      while (numbered.has(i)) i++;
      current = i;
    }
    out.push({ entry, index: current >= 0 ? current : undefined, sub, clearsAll: false });
  }
  return out;
});
