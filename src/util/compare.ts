/**
 * Orders strings by UTF-16 code units: the same on every machine and in
 * every locale, unlike localeCompare, whose first call also costs ~8 ms of
 * ICU set-up on every start-up (BENCHMARKS.md). Rule ids, paths and messages
 * need a stable order, not a linguistic one.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By `id`, for rule lists. */
export const byId = (a: { id: string }, b: { id: string }): number => compareText(a.id, b.id);
