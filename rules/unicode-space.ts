/**
 * A key or value that carries a blank LXC does not strip (a U+00A0 copied
 * from a web page, a zero-width no-break space, \v, \f): LXC keeps it, so
 * the key is unknown or the value is not what it looks like.
 */
import { defineRule } from '../src/rule.js';
import type { ConfigEntry, Report } from '../src/types.js';
import { documentOf } from '../src/config/line-edits.js';

/** Blanks that JavaScript's trim() and Unicode count as space but LXC (lxc_char_left_gc/right_gc: space and tab only) keeps. */
const NAMES = new Map<string, string>([
  ['\u000b', 'vertical tab'],
  ['\u000c', 'form feed'],
  ['\u00a0', 'no-break space'],
  ['\u1680', 'ogham space mark'],
  ['\u180e', 'mongolian vowel separator'],
  ...Array.from({ length: 11 }, (_, i): [string, string] => [String.fromCharCode(0x2000 + i), ['en quad', 'em quad', 'en space', 'em space', 'three-per-em space', 'four-per-em space', 'six-per-em space', 'figure space', 'punctuation space', 'thin space', 'hair space'][i]!]),
  ['\u200b', 'zero-width space'],
  ['\u2028', 'line separator'],
  ['\u2029', 'paragraph separator'],
  ['\u202f', 'narrow no-break space'],
  ['\u205f', 'medium mathematical space'],
  ['\u3000', 'ideographic space'],
  ['\ufeff', 'zero-width no-break space'],
]);
const ODD = new RegExp(`[${[...NAMES.keys()].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`, 'g');
const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const shown = (s: string) => s.replace(ODD, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** "U+00A0 (no-break space) at columns 14 and 16": each kind, with the 1-based columns in the line. */
function describe(text: string, lineOffset: number): string {
  const at = new Map<string, number[]>();
  for (const m of text.matchAll(ODD)) at.set(m[0], [...(at.get(m[0]) ?? []), lineOffset + m.index + 1]);
  return [...at]
    .map(([c, cols]) => `${hex(c)} (${NAMES.get(c)}) at column${cols.length > 1 ? 's' : ''} ${cols.length > 1 ? `${cols.slice(0, -1).join(', ')} and ${cols.at(-1)}` : cols[0]}`)
    .join(' and ');
}

/** Odd blanks at the ends of a value (inside its quotes) go; between words each run becomes one space. */
function cleanValue(raw: string): string {
  const q = raw[0];
  const quoted = raw.length >= 2 && (q === '"' || q === "'") && raw.at(-1) === q;
  const inner = quoted ? raw.slice(1, -1) : raw;
  const edge = new RegExp(`^(${ODD.source}|[ \\t])*${ODD.source}+|${ODD.source}+([ \\t]|${ODD.source})*$`, 'g');
  const cleaned = inner.replace(edge, '').replace(new RegExp(`${ODD.source}+`, 'g'), ' ');
  return quoted ? q + cleaned + q : cleaned;
}

export default defineRule({
  id: 'unicode-space',
  severity: 'warning',
  summary: 'A key or value carries a blank LXC keeps (U+00A0 no-break space, a zero-width space, \\v, \\f ...).',
  scope: 'static',
  messages: {
    unicodeSpace: 'a key or value holds an invisible or non-ASCII space',
  },
  hasSuggestions: true,
  docs: {
    why:
      'LXC strips only spaces and tabs around keys and values (confile.c parse_line with lxc_char_left_gc and lxc_char_right_gc), ' +
      'not the other blanks: a no-break space copied from a web page, a zero-width no-break space (U+FEFF) or a vertical tab stays in ' +
      'the text. In a key, LXC does not know the key and refuses the config ("Unsupported config key"); in a value, it is part of the ' +
      'value: `lxc.tty.max = 0` followed by U+00A0 is not a number, a host name or a path gets an invisible character, and words of ' +
      'lxc.mount.auto or lxc.cap.drop are not split there. Editors show these characters as ordinary spaces or not at all.',
    fix:
      'Delete them, or type an ordinary space where a blank was meant. The suggestion removes them from a key and from the ends of a ' +
      'value and turns them into a space between words; it is a suggestion because it changes what LXC reads.',
    reference: 'lxc src/lxc/confile.c parse_line; src/lxc/string_utils.c lxc_char_left_gc, lxc_char_right_gc, lxc_is_line_empty',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const reports: Report[] = [];
    const lineOf = (entry: ConfigEntry, offset: number) => offset - entry.lineStart;
    for (const entry of config.entries) {
      const doc = documentOf(config, entry);
      if (!doc) continue;
      const key = doc.text.slice(entry.keyStart, entry.keyEnd);
      const raw = doc.text.slice(entry.valueStart, entry.valueEnd);
      const inKey = ODD.test(key);
      ODD.lastIndex = 0;
      const inValue = ODD.test(raw);
      ODD.lastIndex = 0;
      if (!inKey && !inValue) continue;
      const clean = key.replace(ODD, '');
      const parts: string[] = [];
      const edits = [];
      if (inKey) {
        parts.push(`the key ${shown(key)} carries ${describe(key, lineOf(entry, entry.keyStart))}, which LXC keeps (it strips only spaces and tabs): it does not know the key ${shown(key)} and refuses the config`);
        edits.push({ file: doc.path, start: entry.keyStart, end: entry.keyEnd, text: clean });
      }
      if (inValue) {
        const meant = cleanValue(raw);
        parts.push(
          `the value of ${clean} carries ${describe(raw, lineOf(entry, entry.valueStart))}, which LXC keeps (it strips only spaces and tabs): ` +
            `it reads "${shown(entry.value)}", not "${meant.replace(/^(["'])(.*)\1$/s, '$2')}"`,
        );
        edits.push({ file: doc.path, start: entry.valueStart, end: entry.valueEnd, text: meant });
      }
      reports.push({
        messageId: 'unicodeSpace',
        message: parts.join('; '),
        location: { file: entry.file, line: entry.line, column: entry.column },
        ...(inKey ? { severity: 'error' as const } : {}),
        suggestions: [{ description: `remove the invisible blanks from line ${entry.line}`, edits }],
      });
    }
    return reports;
  },
});
