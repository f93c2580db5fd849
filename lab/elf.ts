/**
 * Reads an ELF executable's program interpreter (PT_INTERP), e.g.
 * `/lib64/ld-linux-x86-64.so.2`, so the private loader is found by name for
 * any architecture instead of being hard-coded.
 */
import { readFileSync } from 'node:fs';

const PT_INTERP = 3;

export function elfInterpreter(path: string): string | undefined {
  const b = readFileSync(path);
  if (b.length < 52 || b.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const phoff = is64 ? u64(0x20) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (u32(ph) !== PT_INTERP) continue;
    const off = is64 ? u64(ph + 8) : u32(ph + 4);
    const size = is64 ? u64(ph + 0x20) : u32(ph + 16);
    return b.subarray(off, off + size).toString('latin1').replace(/\0+$/, '');
  }
  return undefined;
}
