/**
 * Numbers in config values, read the way the LXC that reads the key reads them: current keys with
 * lxc_safe_uint (strtoul base 0, the whole value must be the number), keys of LXC 2.0 and older often
 * with atoi (the number the value starts with, the rest ignored: `lxc.tty = 4 # ttys` is 4 there).
 */

/** lxc_safe_uint (string_utils.c): `4`, `0x4`, `04` (octal), `+4`; undefined for what LXC rejects (`4 # x`, `-1`, `4.0`, `08`). */
export function lxcSafeUint(value: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(value);
  if (!m) return undefined;
  const digits = m[1];
  const n = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : Number(digits);
  return n <= 0xffffffff ? n : undefined;
}

/** C's atoi: leading blanks, a sign, the digits that follow; 0 when there are none. */
export function cAtoi(value: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(value)!;
  const n = m[2] ? Number(m[2]) : 0;
  return m[1] === '-' ? -n : n;
}
