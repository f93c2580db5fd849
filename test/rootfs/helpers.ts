/**
 * Test helpers for the rootfs readers: a seeded PRNG, a sample rootfs built
 * on disk, and a tiny tar writer for archives the system tar will not make
 * (pax global headers, base-256 sizes, broken checksums...).
 */
import { mkdir, mkdtemp, symlink, writeFile, chmod, link, open } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

/** mulberry32: small, fast, and the same sequence for the same seed, so a fuzz failure reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `ctcr-${prefix}-`));
}

export const LONG_DIR = '/usr/share/' + 'd'.repeat(120);
export const LONG_FILE = LONG_DIR + '/' + 'f'.repeat(130);

/**
 * A rootfs with the shapes the rules ask about: a merged /usr (`/sbin ->
 * usr/sbin`), absolute and relative links, links that try to leave the
 * rootfs, loops, dangling links, long names, a hard link, a FIFO and a
 * sparse file. Also a file beside the rootfs that no answer may reach.
 */
export async function buildSampleRootfs(base: string): Promise<string> {
  const root = path.join(base, 'rootfs');
  const at = (p: string) => path.join(root, p);
  await writeFile(path.join(base, 'outside-secret'), 'host data\n');
  for (const d of ['usr/sbin', 'usr/bin', 'usr/lib/systemd', 'etc', 'var/run', LONG_DIR]) await mkdir(at(d), { recursive: true });
  await chmod(root, 0o755);
  await writeFile(at('usr/sbin/udevd'), 'udevd binary\n', { mode: 0o755 });
  await writeFile(at('usr/lib/systemd/systemd-udevd'), 'systemd-udevd binary, a little longer\n', { mode: 0o755 });
  await writeFile(at('usr/bin/real'), 'real file\n', { mode: 0o750 });
  await link(at('usr/bin/real'), at('usr/bin/hard'));
  await writeFile(at('etc/hostname'), 'container\n');
  await writeFile(at(LONG_FILE), 'long name\n');
  // Merged /usr, relative links.
  await symlink('usr/sbin', at('sbin'));
  await symlink('usr/lib', at('lib'));
  await symlink('usr/bin', at('bin'));
  await symlink('usr', at('dir-link'));
  // Absolute link: relative to the rootfs root, not the host's.
  await symlink('/usr/sbin/udevd', at('usr/bin/abs-link'));
  // `..` beyond the root stays at the root.
  await symlink('../../../../../../sbin/udevd', at('usr/bin/up-link'));
  await symlink('../../outside-secret', at('escape-rel'));
  await symlink('/../../../etc/hostname', at('escape-abs'));
  await symlink('../../../../../../../../etc/passwd', at('escape-host'));
  await symlink(LONG_FILE, at('long-link'));
  await symlink('loop-b', at('loop-a'));
  await symlink('loop-a', at('loop-b'));
  await symlink('self', at('self'));
  await symlink('/nonexistent/file', at('dangling'));
  await symlink('chain2', at('chain1'));
  await symlink('/chain3', at('chain2'));
  await symlink('etc/hostname', at('chain3'));
  // 40 links in a row resolve (the kernel's MAXSYMLINKS); 41 do not.
  for (let i = 0; i < 40; i++) await symlink(i === 39 ? '/etc/hostname' : `hop${i + 1}`, at(`hop${i}`));
  for (let i = 0; i < 41; i++) await symlink(i === 40 ? '/etc/hostname' : `far${i + 1}`, at(`far${i}`));
  execFileSync('mkfifo', [at('var/run/fifo')]);
  // A sparse file with more data segments than an old GNU sparse header holds (4), so extension blocks are written.
  const sparse = await open(at('sparse.img'), 'w');
  for (let i = 0; i < 10; i++) await sparse.write(Buffer.alloc(4096, 0x61 + i), 0, 4096, i * 65536);
  await sparse.truncate(10 * 65536 + 4096);
  await sparse.close();
  return root;
}

/** Paths asked of the sample rootfs. */
export const SAMPLE_PATHS = [
  '/sbin/udevd', '/lib/systemd/systemd-udevd', '/usr/lib/systemd/systemd-udevd', '/sbin', '/bin/abs-link',
  '/usr/bin/up-link', '/escape-rel', '/escape-abs', '/escape-host', '/outside-secret', '/loop-a', '/self', '/dangling',
  '/dangling/x', '/etc/hostname/x', '/nonexistent', '/', '/usr/..', '/usr/bin/../sbin/./udevd', '/bin/../etc/hostname',
  '/dir-link/sbin/udevd', LONG_FILE, '/long-link', '/usr/bin/hard', '/usr/bin/real', '/var/run/fifo', '/sparse.img',
  '/chain1', 'etc/hostname', '/hop0', '/far0', '/../../etc/hostname',
];

// ---------------------------------------------------------------------------
// A minimal tar writer.

export interface MemberSpec {
  name: string;
  /** Typeflag character ('0', '1', '2', '5', 'x', 'g', 'L', 'K', ...). */
  type?: string;
  data?: Buffer | string;
  linkname?: string;
  mode?: number;
  /** ustar name prefix. */
  prefix?: string;
  format?: 'ustar' | 'gnu' | 'v7';
  /** Size field written as GNU base-256 instead of octal. */
  base256Size?: boolean;
  /** Overrides the size field (the data written stays `data`). */
  sizeField?: number;
  /** Spoils the checksum. */
  badChecksum?: boolean;
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

export function tarHeader(spec: MemberSpec): Buffer {
  const header = Buffer.alloc(512);
  const data = spec.data === undefined ? Buffer.alloc(0) : Buffer.from(spec.data);
  header.write(spec.name, 0, 100, 'utf8');
  writeOctal(header, 100, 8, spec.mode ?? 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  const size = spec.sizeField ?? data.length;
  if (spec.base256Size) {
    header[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      header[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else {
    writeOctal(header, 124, 12, size);
  }
  writeOctal(header, 136, 12, 0);
  header.write(spec.type ?? '0', 156, 1, 'latin1');
  header.write(spec.linkname ?? '', 157, 100, 'utf8');
  const format = spec.format ?? 'ustar';
  if (format === 'ustar') header.write('ustar\x0000', 257, 8, 'latin1');
  if (format === 'gnu') header.write('ustar  \x00', 257, 8, 'latin1');
  if (spec.prefix) header.write(spec.prefix, 345, 155, 'utf8');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  writeOctal(header, 148, 7, spec.badChecksum ? sum + 1 : sum);
  header[155] = 0x20;
  return header;
}

/** Recomputes the checksum of the header at the start of `block` after a test edited it. */
export function fixChecksum(block: Buffer): Buffer {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += block[i];
  writeOctal(block, 148, 7, sum);
  block[155] = 0x20;
  return block;
}

/** A member: header, data, padding to 512 bytes. */
export function tarMember(spec: MemberSpec): Buffer {
  const data = spec.data === undefined ? Buffer.alloc(0) : Buffer.from(spec.data);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([tarHeader(spec), data, padding]);
}

/** pax records text: each `<len> key=value\n` with len counting itself. */
export function paxRecords(records: Record<string, string>): string {
  let out = '';
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
    out += length + body;
  }
  return out;
}

export const END_OF_ARCHIVE = Buffer.alloc(1024);

export function tarArchive(...members: (MemberSpec | Buffer)[]): Buffer {
  return Buffer.concat([...members.map((m) => (Buffer.isBuffer(m) ? m : tarMember(m))), END_OF_ARCHIVE]);
}
