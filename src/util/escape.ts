/**
 * Text from files and arguments shown on a terminal: control characters
 * (C0 but for none, DEL, C1, U+2028/U+2029) become visible escapes, so that
 * an escape sequence cannot act on the terminal and a newline cannot split a
 * one-line message. Everything else, non-ASCII letters included, is kept.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = Object.assign(Object.create(null), { '\n': '\\n', '\r': '\\r', '\t': '\\t' });

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
