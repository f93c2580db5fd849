/**
 * Unified diffs for `--dry-run`, in the format `patch` and `git apply`
 * read: `---`/`+++` headers, `@@` hunks with 3 lines of context, and
 * `\ No newline at end of file` after a last line without one. Lines keep
 * their end-of-line characters, so a CRLF file's patch restores CRLF.
 * The line matching is Myers' O(ND) algorithm.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their EOL ('\n' ends a line; a '\r' before it stays in the line). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Shortest edit script from `a` to `b` (Myers 1986, forward greedy with a trace for the way back). */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  // Walk back through the trace: each step d came from a diagonal k±1 of step d-1.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && prev[offset + k - 1] < prev[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[offset + prevK];
    const prevY = prevX - prevK;
    for (; x > prevX && y > prevY; y--) ops.push({ kind: ' ', line: a[--x] });
    if (down) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  for (; x > 0 && y > 0; y--) ops.push({ kind: ' ', line: a[--x] });
  return ops.reverse();
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
