/**
 * Splits a command line as documentation writes it into words: quotes,
 * backslash escapes and `\` line continuations as in sh, `# comments` to the
 * end of the line. Unlike sh, a bare newline does not end the command:
 * wiki pages lay one criu command over several lines without continuations.
 * Expansions (`$x`, `${init-pid}`) are kept as written.
 */
import { InputError } from '../errors.js';

export interface SplitWords {
  words: string[];
  /** Text after an unquoted `;`, `|` or `&` that ends the first command (ignored). */
  rest?: string;
}

export function splitShellWords(text: string): SplitWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = text.length;
  const end = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') i += 2;
      else if (next === '\r' && text[i + 2] === '\n') i += 3;
      else if (next === undefined) i += 1;
      else {
        word += next;
        inWord = true;
        i += 2;
      }
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new InputError('unterminated single quote in the command line', { column: i + 1 });
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new InputError('unterminated double quote in the command line', { column: i + 1 });
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\' && j + 1 < n && '"\\$`\n'.includes(text[j + 1]!)) {
          if (text[j + 1] !== '\n') word += text[j + 1];
          j += 2;
          continue;
        }
        word += d;
        j += 1;
      }
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';' || c === '|' || c === '&') {
      end();
      const rest = text.slice(i).trim();
      return rest ? { words, rest } : { words };
    }
    if (/\s/.test(c)) {
      end();
      i++;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  end();
  return { words };
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a word for sh: bare when safe, double quotes when it holds an expansion to keep, single quotes otherwise. */
export function quoteShellWord(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  if (word.includes('$') && !/["\\`]/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function joinShellWords(words: readonly string[]): string {
  return words.map(quoteShellWord).join(' ');
}
