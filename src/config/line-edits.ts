/**
 * Text edits on whole lines of a config or an fstab, for rules to return as
 * fixes (data only: the fixer applies them). Every edit keeps the file's own
 * end-of-line style and leaves a file without a trailing newline without one.
 */
import type { ConfigEntry, Fix, LxcConfig, LxcDocument, TextEdit } from '../types.js';

/** The file's end-of-line characters: those of its first line that has one, else '\n'. CRLF and LF-CR are one EOL each, as in the parser. */
export function eolOf(text: string): string {
  const m = /\r\n|\n\r|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

export interface LineSpan {
  /** 1-based. */
  line: number;
  start: number;
  /** Just past the content, before the EOL. */
  end: number;
  /** Just past the EOL. */
  endWithEol: number;
  eol: string;
}

/** Every line's span, computed once per text: rules ask for one line per finding, and rescanning from the start each time was quadratic. */
function spansOf(text: string): readonly LineSpan[] {
  const cached = spanCache.get(text);
  if (cached) return cached;
  const spans: LineSpan[] = [];
  const re = /([^\r\n]*)(\r\n|\n\r|\r|\n|$)/g;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text)) {
    spans.push({ line: spans.length + 1, start: m.index, end: m.index + m[1].length, endWithEol: m.index + m[0].length, eol: m[2] });
  }
  if (spanCache.size >= SPAN_CACHE_SIZE) spanCache.delete(spanCache.keys().next().value!);
  spanCache.set(text, spans);
  return spans;
}
/** The texts of the last few files asked about (a config, its fstab, an include). */
const SPAN_CACHE_SIZE = 8;
const spanCache = new Map<string, LineSpan[]>();

/** The offsets of line `lineNo` (1-based) of `text`; undefined past the end. */
export function lineSpan(text: string, lineNo: number): LineSpan | undefined {
  const span = spansOf(text)[lineNo - 1];
  return span && { ...span };
}

/** The parsed document an entry comes from. */
export function documentOf(config: LxcConfig, entry: ConfigEntry): LxcDocument | undefined {
  return config.documents.find((d) => d.path === entry.file);
}

/**
 * Replaces a line's content by a note and the line commented out:
 *   # ctcr: <note>
 *   # <the line as it was>
 * The line's own EOL stays where it is.
 */
export function commentOutLine(file: string, text: string, span: Pick<LineSpan, 'start' | 'end'>, note: string): TextEdit {
  const eol = eolOf(text);
  return { file, start: span.start, end: span.end, text: `# ctcr: ${note}${eol}# ${text.slice(span.start, span.end)}` };
}

/** Comments out the line of a config entry (see commentOutLine). */
export function commentOutEntry(doc: LxcDocument, entry: ConfigEntry, note: string): TextEdit {
  return commentOutLine(doc.path, doc.text, { start: entry.lineStart, end: entry.lineEnd }, note);
}

/**
 * Removes an entry's line with its EOL. On a last line without EOL the
 * previous line's EOL goes instead, so the file still ends the way it did.
 */
export function removeEntryLine(doc: LxcDocument, entry: ConfigEntry): TextEdit {
  if (entry.lineEndWithEol === entry.lineEnd && entry.lineStart > 0) {
    const prev = doc.lines.find((l) => l.line === entry.line - 1);
    const start = prev ? prev.end : entry.lineStart;
    return { file: doc.path, start, end: entry.lineEnd, text: '' };
  }
  return { file: doc.path, start: entry.lineStart, end: entry.lineEndWithEol, text: '' };
}

/** Inserts `line` (without EOL) as a new line after `entry`'s line. */
export function insertLineAfter(doc: LxcDocument, entry: ConfigEntry, line: string): TextEdit {
  const eol = eolOf(doc.text);
  if (entry.lineEndWithEol === entry.lineEnd) return { file: doc.path, start: entry.lineEnd, end: entry.lineEnd, text: eol + line };
  return { file: doc.path, start: entry.lineEndWithEol, end: entry.lineEndWithEol, text: line + eol };
}

/** Appends `line` (without EOL) at the end of the document; a file without a trailing newline keeps none. */
export function appendLine(doc: LxcDocument, line: string): TextEdit {
  const eol = eolOf(doc.text);
  const end = doc.text.length;
  if (end === 0) return { file: doc.path, start: 0, end: 0, text: line + eol };
  const endsWithEol = /[\r\n]$/.test(doc.text);
  return { file: doc.path, start: end, end, text: endsWithEol ? line + eol : eol + line };
}

/** Replaces an entry's value (as written, quotes included); an empty value gets a space after `=`. */
export function replaceValue(doc: LxcDocument, entry: ConfigEntry, value: string): TextEdit {
  const before = doc.text[entry.valueStart - 1];
  const text = entry.valueStart === entry.valueEnd && before === '=' ? ' ' + value : value;
  return { file: doc.path, start: entry.valueStart, end: entry.valueEnd, text };
}

/** Replaces an entry's key, keeping its spacing and value. */
export function renameKey(entry: ConfigEntry, key: string): TextEdit {
  return { file: entry.file, start: entry.keyStart, end: entry.keyEnd, text: key };
}

/**
 * For a setting an included (maybe shared, package-owned) file makes: `line` at the end of the main config, which LXC
 * reads after every include, as the alternative the fixer takes when it may not write that file (it takes the first
 * suggestion it may write, so this goes after the in-place edit). None when `entry` is in the main config itself.
 */
export function overrideAtEnd(config: LxcConfig, entry: ConfigEntry, line: string, why: string): Fix[] {
  const main = config.documents[0];
  if (entry.file === main.path) return [];
  return [{ description: `add ${line} at the end of the config, after the include that sets it (${why})`, edits: [appendLine(main, line)] }];
}
