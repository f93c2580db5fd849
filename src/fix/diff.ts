/**
 * Unified diffs for `--dry-run`, in the format `patch` and `git apply`
 * read: `---`/`+++` headers, `@@` hunks with 3 lines of context, and
 * `\ No newline at end of file` after a last line without one. Lines keep
 * their end-of-line characters, so a CRLF file's patch restores CRLF.
 * The line matching is Myers' O(ND) algorithm in its linear-space form (the
 * middle snake, divide and conquer), after dropping the lines that have no
 * match on the other side (they are changes in every shortest script): memory
 * linear in the texts, however many lines changed (issue 15.7: the forward
 * algorithm's trace took 3.2 GB for 10k changed lines).
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their EOL ('\n' ends a line; a '\r' before it stays in the line). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Marks in `changedA`/`changedB` the elements of a[aLo, aHi) and b[bLo, bHi)
 * that a shortest edit script deletes or inserts. Myers' middle snake splits
 * the problem where an optimal path crosses the middle (diff-match-patch's
 * formulation); common prefix and suffix are matched first.
 */
function compare(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, changedA: Uint8Array, changedB: Uint8Array): void {
  // An explicit stack: the recursion is shallow (log D) for most inputs, but never trust that.
  const stack: number[] = [aLo, aHi, bLo, bHi];
  while (stack.length) {
    let y1 = stack.pop()!;
    let y0 = stack.pop()!;
    let x1 = stack.pop()!;
    let x0 = stack.pop()!;
    while (x0 < x1 && y0 < y1 && a[x0] === b[y0]) x0++, y0++;
    while (x0 < x1 && y0 < y1 && a[x1 - 1] === b[y1 - 1]) x1--, y1--;
    if (x0 === x1) {
      for (let y = y0; y < y1; y++) changedB[y] = 1;
      continue;
    }
    if (y0 === y1) {
      for (let x = x0; x < x1; x++) changedA[x] = 1;
      continue;
    }
    const split = middleSnake(a, x0, x1, b, y0, y1);
    if (!split) {
      for (let x = x0; x < x1; x++) changedA[x] = 1;
      for (let y = y0; y < y1; y++) changedB[y] = 1;
      continue;
    }
    stack.push(x0, split[0], y0, split[1], split[0], x1, split[1], y1);
  }
}

/** A point (x, y) an optimal path from (x0, y0) to (x1, y1) goes through, strictly inside; undefined when nothing matches. */
function middleSnake(a: Int32Array, x0: number, x1: number, b: Int32Array, y0: number, y1: number): [number, number] | undefined {
  const n = x1 - x0;
  const m = y1 - y0;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const length = 2 * maxD + 2;
  const vf = new Int32Array(length).fill(-1);
  const vb = new Int32Array(length).fill(-1);
  vf[offset + 1] = 0;
  vb[offset + 1] = 0;
  const delta = n - m;
  // With an odd delta the forward path meets the backward one; with an even delta the backward meets the forward.
  const front = (delta & 1) !== 0;
  let kfStart = 0;
  let kfEnd = 0;
  let kbStart = 0;
  let kbEnd = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k = -d + kfStart; k <= d - kfEnd; k += 2) {
      const ko = offset + k;
      let x = k === -d || (k !== d && vf[ko - 1] < vf[ko + 1]) ? vf[ko + 1] : vf[ko - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x0 + x] === b[y0 + y]) x++, y++;
      vf[ko] = x;
      if (x > n) kfEnd += 2;
      else if (y > m) kfStart += 2;
      else if (front) {
        const kb = offset + delta - k;
        if (kb >= 0 && kb < length && vb[kb] !== -1 && x >= n - vb[kb]) return [x0 + x, y0 + y];
      }
    }
    for (let k = -d + kbStart; k <= d - kbEnd; k += 2) {
      const ko = offset + k;
      let x = k === -d || (k !== d && vb[ko - 1] < vb[ko + 1]) ? vb[ko + 1] : vb[ko - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x0 + n - x - 1] === b[y0 + m - y - 1]) x++, y++;
      vb[ko] = x;
      if (x > n) kbEnd += 2;
      else if (y > m) kbStart += 2;
      else if (!front) {
        const kf = offset + delta - k;
        if (kf >= 0 && kf < length && vf[kf] !== -1) {
          const fx = vf[kf];
          const fy = offset + fx - kf;
          if (fx >= n - x) return [x0 + fx, y0 + fy];
        }
      }
    }
  }
  return undefined;
}

/** Shortest edit script from `a` to `b`: deletions before insertions within a change. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  // Lines as numbers, and only those with a match on the other side take part in the search.
  const ids = new Map<string, number>();
  const inB = new Set<number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const aIds = a.map(idOf);
  const bIds = b.map(idOf);
  for (const id of bIds) inB.add(id);
  const inA = new Set(aIds);
  const changedA = new Uint8Array(a.length);
  const changedB = new Uint8Array(b.length);
  const keptA: number[] = [];
  const keptB: number[] = [];
  aIds.forEach((id, i) => (inB.has(id) ? keptA.push(i) : (changedA[i] = 1)));
  bIds.forEach((id, j) => (inA.has(id) ? keptB.push(j) : (changedB[j] = 1)));
  const subA = Int32Array.from(keptA, (i) => aIds[i]);
  const subB = Int32Array.from(keptB, (j) => bIds[j]);
  const subChangedA = new Uint8Array(subA.length);
  const subChangedB = new Uint8Array(subB.length);
  compare(subA, 0, subA.length, subB, 0, subB.length, subChangedA, subChangedB);
  keptA.forEach((i, s) => (changedA[i] = subChangedA[s]));
  keptB.forEach((j, s) => (changedB[j] = subChangedB[s]));
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && changedA[i]) ops.push({ kind: '-', line: a[i++] });
    else if (j < b.length && changedB[j]) ops.push({ kind: '+', line: b[j++] });
    else {
      ops.push({ kind: ' ', line: a[i++] });
      j++;
    }
  }
  return ops;
}

function range(start: number, count: number): string {
  // A hunk with no lines on one side names the line before it (patch's convention).
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}

function emit(kind: string, line: string): string {
  return line.endsWith('\n') ? `${kind}${line}` : `${kind}${line}\n\\ No newline at end of file\n`;
}

/** A unified diff of one file's two texts ('' when they are equal). `label` is the path both headers name. */
export function unifiedDiff(label: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${label}\n`, `+++ ${label}\n`];
  // Index every op with its line numbers on both sides.
  const rows: { op: Op; aLine: number; bLine: number }[] = [];
  let aLine = 1;
  let bLine = 1;
  for (const op of ops) {
    rows.push({ op, aLine, bLine });
    if (op.kind !== '+') aLine++;
    if (op.kind !== '-') bLine++;
  }
  let i = 0;
  while (i < rows.length) {
    if (rows[i].op.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change within reach.
    const start = Math.max(0, i - context);
    let end = i;
    for (let j = i; j < rows.length; j++) {
      if (rows[j].op.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(rows.length, end + context + 1);
    const hunk = rows.slice(start, stop);
    const aCount = hunk.filter((r) => r.op.kind !== '+').length;
    const bCount = hunk.filter((r) => r.op.kind !== '-').length;
    out.push(`@@ -${range(hunk[0].aLine, aCount)} +${range(hunk[0].bLine, bCount)} @@\n`);
    for (const r of hunk) out.push(emit(r.op.kind, r.op.line));
    i = stop;
  }
  return out.join('');
}
