/**
 * Answers about a parsed config computed once per config. Rules ask the same
 * questions of every config (its networks, an entry by key) many times over;
 * answering each by a fresh scan showed in the profile of a fleet-wide lint.
 * Snapshots are never changed after gathering, so a cached answer cannot go
 * stale; the cache is keyed weakly on the entries array and dies with it.
 */
import type { ConfigEntry, LxcConfig } from '../types.js';

export function perConfig<T>(compute: (config: LxcConfig) => T): (config: LxcConfig) => T {
  const cache = new WeakMap<readonly ConfigEntry[], T>();
  return (config) => {
    if (cache.has(config.entries)) return cache.get(config.entries)!;
    const value = compute(config);
    cache.set(config.entries, value);
    return value;
  };
}
