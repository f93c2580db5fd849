/** Text mutations the fuzz tests share. */
import { randomInt } from '../rootfs/helpers.js';

/** One edit of `text` at `at`: 0 inserts `piece`, 1 deletes 1 to 20 characters, 2 replaces one character with `piece`. */
export function editText(random: () => number, kind: number, text: string, at: number, piece: string): string {
  switch (kind) {
    case 0:
      return text.slice(0, at) + piece + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + randomInt(random, 20));
    default:
      return text.slice(0, at) + piece + text.slice(at + 1);
  }
}
