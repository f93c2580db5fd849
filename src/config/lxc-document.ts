/**
 * A lossless reader of LXC's config format (confile.c `parse_line`): every
 * line is kept with its offsets and end-of-line characters, so that printing
 * an unchanged document gives back the same bytes and a fix can replace
 * exactly the characters it means to.
 *
 * LXC's format is not INI: one `key = value` per line, `#` only at the start
 * of a line, no inline comments (everything after `=` is the value), no line
 * continuation, lines not starting with `lxc.` ignored.
 */
import type { ConfigEntry, ConfigLine, LxcDocument } from '../types.js';
import { InputError } from '../errors.js';

/**
 * LXC's blanks, which are not C isspace() nor JS trim(): a line is empty when
 * it has only space, tab, CR, LF, FF (string_utils.c lxc_is_line_empty); keys
 * and values lose only spaces and tabs at their ends (lxc_char_left_gc,
 * lxc_char_right_gc). Anything else, a U+00A0 copied from a web page
 * included, is part of the key or value for LXC, and so here.
 */
const BLANK = /^[ \t\f]*$/;
const LEAD = /^[ \t]+/;
const TRAIL = /[ \t]+$/;
const stripLead = (s: string) => s.replace(LEAD, '');
const stripTrail = (s: string) => s.replace(TRAIL, '');

export function parseLxcDocument(path: string, text: string): LxcDocument {
  const lines: ConfigLine[] = [];
  const entries: ConfigEntry[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset < text.length) {
    lineNo++;
    const start = offset;
    let end = start;
    // LXC splits on \r, \n and NUL (blank lines mean nothing to it). CRLF and
    // LF-CR are one EOL each here, so that deleting a line takes its whole EOL
    // and leaves no lone CR to pair with a neighbour's LF (two blank lines
    // merged into one).
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    let eol = '';
    if ((text[end] === '\r' && text[end + 1] === '\n') || (text[end] === '\n' && text[end + 1] === '\r')) eol = text.slice(end, end + 2);
    else if (end < text.length) eol = text[end];
    offset = end + eol.length;
    const content = text.slice(start, end);
    const kind = classify(content);
    lines.push({ line: lineNo, start, end, eol, kind });
    if (kind === 'entry') entries.push(readEntry(path, text, lineNo, start, end, offset));
  }
  return { path, text, lines, entries };
}

function classify(content: string): ConfigLine['kind'] {
  if (BLANK.test(content)) return 'blank';
  const trimmed = stripLead(content);
  if (trimmed.startsWith('#')) return 'comment';
  // LXC ignores ("martian option") any line that does not start with `lxc.`.
  return trimmed.startsWith('lxc.') ? 'entry' : 'other';
}

function readEntry(path: string, text: string, line: number, lineStart: number, lineEnd: number, lineEndWithEol: number): ConfigEntry {
  const content = text.slice(lineStart, lineEnd);
  const eq = content.indexOf('=');
  const lead = content.length - stripLead(content).length;
  if (eq < 0) {
    throw new InputError(`'${stripTrail(stripLead(content))}' has no '=' (LXC: "Invalid configuration line")`, { file: path, line, column: lead + 1 });
  }
  const rawKey = content.slice(lead, eq);
  const key = stripTrail(rawKey);
  const afterEq = content.slice(eq + 1);
  const valueLead = afterEq.length - stripLead(afterEq).length;
  const rawValue = stripTrail(stripLead(afterEq));
  const valueStart = lineStart + eq + 1 + valueLead;
  return {
    file: path,
    line,
    column: lead + 1,
    key,
    value: unquote(rawValue),
    lineStart,
    lineEnd,
    lineEndWithEol,
    keyStart: lineStart + lead,
    keyEnd: lineStart + lead + key.length,
    valueStart,
    valueEnd: valueStart + rawValue.length,
  };
}

/** LXC strips one pair of matching outer quotes (confile.c `clean_line`/`parse_line`). */
function unquote(value: string): string {
  if (value.length >= 2) {
    const q = value[0];
    if ((q === '"' || q === "'") && value[value.length - 1] === q) return value.slice(1, -1);
  }
  return value;
}

/** The document's text rebuilt from its lines: equal to `doc.text` by construction, and tested to be. */
export function printLxcDocument(doc: LxcDocument): string {
  return doc.lines.map((l) => doc.text.slice(l.start, l.end) + l.eol).join('');
}
