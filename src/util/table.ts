/**
 * Tables looked up with text from a config, a log or a command line: without
 * a prototype, so that a word such as `constructor`, `__proto__` or
 * `toString` finds nothing instead of a member of Object.prototype.
 */

/** A frozen copy of `entries` with no prototype: `table[word]` is undefined for every word not listed. */
export function textTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** An empty table to fill, with no prototype. */
export function emptyTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `table[key]` when the table itself has `key`, never an inherited member. */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
