/**
 * Applies fixes to one file's text, as ESLint's SourceCodeFixer does: a fix
 * (a group of edits) is taken whole or not at all; one that overlaps a fix
 * already taken waits for the next pass, when it is computed again against
 * the new text. Pure: the fixer writes, this only computes.
 */
import type { TextEdit } from '../types.js';

export interface AppliedFixes<T> {
  text: string;
  applied: T[];
  deferred: T[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Touching ranges are fine, except two inserts at the same point (their order would be arbitrary).
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** `groups` pairs each fix with its edits to this file. */
export function applyFixes<T>(text: string, groups: readonly { fix: T; edits: readonly TextEdit[] }[]): AppliedFixes<T> {
  const start = (g: { edits: readonly TextEdit[] }) => Math.min(...g.edits.map((e) => e.start));
  const ordered = [...groups].filter((g) => g.edits.length > 0).sort((a, b) => start(a) - start(b));
  const taken: TextEdit[] = [];
  const applied: T[] = [];
  const deferred: T[] = [];
  for (const group of ordered) {
    for (const e of group.edits) {
      if (e.start < 0 || e.end > text.length || e.start > e.end) {
        throw new RangeError(`edit [${e.start}, ${e.end}) is outside ${e.file} (length ${text.length})`);
      }
    }
    const clash = group.edits.some((e, i) => taken.some((t) => overlaps(e, t)) || group.edits.some((o, j) => j !== i && overlaps(e, o)));
    if (clash) {
      deferred.push(group.fix);
      continue;
    }
    taken.push(...group.edits);
    applied.push(group.fix);
  }
  taken.sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const e of taken) {
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return { text: out + text.slice(cursor), applied, deferred };
}
