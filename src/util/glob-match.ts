/**
 * Matching a path against an ignore glob (`**`, `*`, `?`, `{a,b}`), without
 * loading fast-glob's matcher or Node's experimental path.matchesGlob (which
 * warns on stderr).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole folders; a trailing `**` anything.
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map((alt) => globToRegExp(alt).source.slice(1, -1)).join('|') + ')';
        i = end;
      }
    } else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when `file` (absolute) or one of its parent folders matches a pattern. */
export function matchesAny(file: string, patterns: readonly RegExp[]): boolean {
  if (patterns.length === 0) return false;
  for (let p = file; ; ) {
    if (patterns.some((re) => re.test(p))) return true;
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (parent === p) return false;
    p = parent;
  }
}
