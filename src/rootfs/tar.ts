/**
 * A streaming tar indexer: fed the archive's bytes chunk by chunk, it keeps
 * one small record per member (type, mode, size, link target) and skips file
 * data by arithmetic, so an archive of any size is read in constant memory
 * and at the speed of the decompressor.
 *
 * Formats: v7, ustar (name prefix), GNU (`L`/`K` long names, old sparse
 * `S` with extension blocks, base-256 numbers), pax (`x`/`g` records:
 * path, linkpath, size, GNU.sparse.name/realsize). Member names are
 * normalised to rootfs-absolute paths (`./etc/x` -> `/etc/x`); as in an
 * extraction, a later member replaces an earlier one of the same name and
 * parent directories exist even when the archive does not list them.
 */
import { InputError } from '../errors.js';
import {
  S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG,
  pathComponents, type RootfsNode, type RootfsView,
} from './resolve.js';

const BLOCK = 512;
/** Largest long-name or pax header accepted: real ones are a few hundred bytes. */
const MAX_META_SIZE = 1 << 20;
/** Hard links followed at most this deep when one names another. */
const MAX_HARDLINK_DEPTH = 16;

/** One archive member as indexed. */
export interface TarMember extends RootfsNode {
  /** For a hard link: the rootfs path of the member it names. */
  hardLinkTarget?: string;
}

const IMPLIED_DIR: TarMember = Object.freeze({ type: 'dir', mode: S_IFDIR | 0o755, size: 0 }) as TarMember;

type PaxRecords = Map<string, string>;

export class TarIndexer {
  /** Rootfs path -> member. */
  readonly members = new Map<string, TarMember>([['/', IMPLIED_DIR]]);
  /** Bytes of the tar stream consumed so far. */
  offset = 0;
  /** True once the end-of-archive zero block was read; later bytes are ignored. */
  ended = false;
  memberCount = 0;

  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Bytes of member data and padding still to skip. */
  private skip = 0;
  /** A long-name or pax header's data being collected. */
  private meta: Buffer | null = null;
  private metaFill = 0;
  private metaType = 0;
  private metaStart = 0;
  private metaPadding = 0;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: PaxRecords | undefined;
  private readonly globalPax: PaxRecords = new Map();
  /** Set while the extension blocks of a GNU sparse member are being read. */
  private sparse: { dataSize: number } | undefined;
  /** The name of the last member read, for error messages. */
  private lastName = '';

  /**
   * @param source names the archive in errors (the file path).
   * @param streamLabel says what the offsets count, e.g. "of the decompressed stream".
   */
  constructor(private readonly source: string, private readonly streamLabel = '') {}

  /** Feeds the next bytes of the archive. */
  push(chunk: Buffer): void {
    const length = chunk.length;
    let pos = 0;
    while (pos < length && !this.ended) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, length - pos);
        this.skip -= n;
        pos += n;
        this.offset += n;
        continue;
      }
      if (this.meta) {
        const n = Math.min(this.meta.length - this.metaFill, length - pos);
        chunk.copy(this.meta, this.metaFill, pos, pos + n);
        this.metaFill += n;
        pos += n;
        this.offset += n;
        if (this.metaFill === this.meta.length) this.finishMeta();
        continue;
      }
      if (this.headerFill === 0 && length - pos >= BLOCK) {
        // The common case: a whole header in this chunk, read where it lies.
        this.offset += BLOCK;
        this.readBlock(chunk, pos, this.offset - BLOCK);
        pos += BLOCK;
        continue;
      }
      const n = Math.min(BLOCK - this.headerFill, length - pos);
      chunk.copy(this.header, this.headerFill, pos, pos + n);
      this.headerFill += n;
      pos += n;
      this.offset += n;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.readBlock(this.header, 0, this.offset - BLOCK);
      }
    }
  }

  /** Bytes of member data the indexer will skip next: a reader that can seek may jump over them (see `skipped`). */
  get pendingSkip(): number {
    return this.ended ? 0 : this.skip;
  }

  /** Tells the indexer that `n` (at most `pendingSkip`) bytes were jumped over without being pushed. */
  skipped(n: number): void {
    if (n < 0 || n > this.pendingSkip) throw new RangeError(`cannot skip ${n} of ${this.pendingSkip} bytes`);
    this.skip -= n;
    this.offset += n;
  }

  /** Called at the end of the stream: throws when the archive stopped in the middle of something. */
  finish(): void {
    if (this.ended) return;
    if (this.offset === 0) throw this.error('empty file: not a tar archive');
    const inside = this.meta || this.skip > 0 || this.headerFill > 0 || this.sparse || this.longName !== undefined || this.longLink !== undefined || this.pax;
    // Like GNU tar, an archive that stops cleanly between members is accepted without its end-of-archive blocks.
    if (inside) {
      const missing = this.meta ? this.meta.length - this.metaFill + this.metaPadding : this.skip > 0 ? this.skip : this.headerFill > 0 ? BLOCK - this.headerFill : 0;
      throw this.error(`truncated tar archive: it ends at byte ${this.offset}${this.streamLabel}${this.lastName ? ` in or after member '${this.lastName}'` : ''}${missing ? ` (${missing} more bytes expected)` : ''}`);
    }
  }

  /** A view answering lstat from the index, hard links resolved to the member they name. */
  view(): RootfsView {
    return { lstat: (p) => this.lookUp(p) };
  }

  lookUp(rootfsPath: string): RootfsNode | null {
    let member = this.members.get(rootfsPath);
    for (let depth = 0; member?.hardLinkTarget !== undefined; depth++) {
      // A hard link to a member the archive lacks (or a chain too deep): an empty file, as the header says.
      const target = depth < MAX_HARDLINK_DEPTH ? this.members.get(member.hardLinkTarget) : undefined;
      if (!target) return { type: 'file', mode: (member.mode & 0o7777) | S_IFREG, size: member.size };
      member = target;
    }
    return member ?? null;
  }

  private error(message: string): InputError {
    return new InputError(message, { file: this.source });
  }

  private where(at: number): string {
    return `at byte ${at}${this.streamLabel}${this.lastName ? ` (after member '${this.lastName}')` : ''}`;
  }

  private readBlock(buf: Buffer, off: number, at: number): void {
    if (this.sparse) {
      this.readSparseExtension(buf, off);
      return;
    }
    if (buf[off] === 0 && isZeroBlock(buf, off)) {
      // End of archive. GNU tar writes two zero blocks and accepts one.
      if (this.longName !== undefined || this.longLink !== undefined || this.pax) {
        throw this.error(`tar archive ends right after an extended header ${this.where(at)}`);
      }
      this.ended = true;
      return;
    }
    if (!checksumMatches(buf, off)) {
      throw this.error(this.memberCount === 0 && at === 0 ? 'not a tar archive (no valid tar header at byte 0)' : `corrupt tar header (bad checksum) ${this.where(at)}`);
    }
    const typeflag = buf[off + 156];
    const headerSize = readNumber(buf, off + 124, 12);
    if (headerSize === undefined) throw this.error(`corrupt tar header (bad size field) ${this.where(at)}`);
    let size = headerSize;
    const paxSize = this.paxValue('size');
    if (paxSize !== undefined) {
      if (!/^\d{1,15}$/.test(paxSize)) throw this.error(`bad pax size '${paxSize}' ${this.where(at)}`);
      size = Number(paxSize);
    }

    switch (typeflag) {
      case 0x4c: // 'L' GNU long name
      case 0x4b: // 'K' GNU long link name
      case 0x78: // 'x' pax extended header
      case 0x67: // 'g' pax global header
        this.startMeta(typeflag, headerSize, at);
        return;
      case 0x56: // 'V' volume label: no member
        this.skip = padded(size);
        return;
    }

    const magicUstar = isUstar(buf, off);
    let name = this.paxValue('GNU.sparse.name') ?? this.paxValue('path') ?? this.longName ?? readString(buf, off, 100);
    if (this.paxValue('GNU.sparse.name') === undefined && this.paxValue('path') === undefined && this.longName === undefined && magicUstar === 'ustar') {
      const prefix = readString(buf, off + 345, 155);
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    const linkName = this.paxValue('linkpath') ?? this.longLink ?? readString(buf, off + 157, 100);
    const permissions = (readNumber(buf, off + 100, 8) ?? 0o644) & 0o7777;
    const realSizeText = this.paxValue('GNU.sparse.realsize') ?? this.paxValue('GNU.sparse.size');
    this.longName = undefined;
    this.longLink = undefined;
    this.pax = undefined;
    this.memberCount++;
    this.lastName = name;

    let member: TarMember;
    let dataSize = size;
    switch (typeflag) {
      case 0x31: // '1' hard link
        member = { type: 'file', mode: S_IFREG | permissions, size: 0, hardLinkTarget: normaliseMemberName(linkName) ?? '' };
        break;
      case 0x32: // '2' symlink
        member = { type: 'symlink', mode: S_IFLNK | permissions, size: Buffer.byteLength(linkName), linkTarget: linkName };
        break;
      case 0x33: // '3' character device
        member = { type: 'other', mode: S_IFCHR | permissions, size: 0 };
        break;
      case 0x34: // '4' block device
        member = { type: 'other', mode: S_IFBLK | permissions, size: 0 };
        break;
      case 0x36: // '6' FIFO
        member = { type: 'other', mode: S_IFIFO | permissions, size: 0 };
        break;
      case 0x35: // '5' directory: GNU tar never skips data after one
        member = { type: 'dir', mode: S_IFDIR | permissions, size: 0 };
        dataSize = 0;
        break;
      case 0x44: // 'D' GNU dump directory: a directory whose data lists its names
        member = { type: 'dir', mode: S_IFDIR | permissions, size: 0 };
        break;
      case 0x53: { // 'S' GNU old sparse file: real size in the header, maybe extension blocks
        const realSize = readNumber(buf, off + 483, 12) ?? size;
        member = { type: 'file', mode: S_IFREG | permissions, size: realSize };
        if (buf[off + 482] !== 0) this.sparse = { dataSize: size };
        break;
      }
      default:
        // '0', NUL, '7' and unknown types are regular files (POSIX: unknown types read as files);
        // a v7 file whose name ends in '/' is a directory.
        if ((typeflag === 0 || typeflag === 0x30) && name.endsWith('/')) {
          member = { type: 'dir', mode: S_IFDIR | permissions, size: 0 };
        } else {
          const realSize = realSizeText !== undefined && /^\d{1,15}$/.test(realSizeText) ? Number(realSizeText) : size;
          member = { type: 'file', mode: S_IFREG | permissions, size: realSize };
        }
    }
    if (this.sparse) this.sparse.dataSize = dataSize;
    else this.skip = padded(dataSize);
    this.add(name, member);
  }

  private readSparseExtension(buf: Buffer, off: number): void {
    // Each extension block holds 21 sparse entries and an "is extended" flag at byte 504.
    if (buf[off + 504] === 0) {
      this.skip = padded(this.sparse!.dataSize);
      this.sparse = undefined;
    }
  }

  private startMeta(typeflag: number, size: number, at: number): void {
    if (size > MAX_META_SIZE) {
      throw this.error(`${typeflag === 0x78 || typeflag === 0x67 ? 'pax' : 'GNU long-name'} header of ${size} bytes is too large ${this.where(at)}`);
    }
    this.metaType = typeflag;
    this.metaStart = at + BLOCK;
    this.metaPadding = padded(size) - size;
    this.meta = Buffer.allocUnsafe(size);
    this.metaFill = 0;
    if (size === 0) this.finishMeta();
  }

  private finishMeta(): void {
    const data = this.meta!;
    this.meta = null;
    this.skip = this.metaPadding;
    switch (this.metaType) {
      case 0x4c:
        this.longName = readString(data, 0, data.length);
        break;
      case 0x4b:
        this.longLink = readString(data, 0, data.length);
        break;
      case 0x78:
        this.pax = parsePax(data, (msg) => this.error(`${msg} in pax header ${this.where(this.metaStart)}`), this.pax);
        break;
      case 0x67:
        parsePax(data, (msg) => this.error(`${msg} in pax global header ${this.where(this.metaStart)}`), this.globalPax);
        break;
    }
  }

  /** A pax value for the next member: its own `x` records, else the global `g` ones; an empty value unsets. */
  private paxValue(key: string): string | undefined {
    const value = this.pax?.get(key) ?? this.globalPax.get(key);
    return value === '' ? undefined : value;
  }

  private add(name: string, member: TarMember): void {
    const rootfsPath = normaliseMemberName(name);
    // Names with `..` are skipped, as GNU tar does when extracting.
    if (rootfsPath === undefined) return;
    // The root is a directory whatever a member named `.` claims; only a directory member may set its mode.
    if (rootfsPath === '/' && member.type !== 'dir') return;
    this.members.set(rootfsPath, member);
    for (let parent = parentOf(rootfsPath); parent !== '/' && !this.members.has(parent); parent = parentOf(parent)) {
      this.members.set(parent, IMPLIED_DIR);
    }
  }
}

/** `./etc/x`, `etc/x/`, `/etc//x` -> `/etc/x`; `.` -> `/`; undefined for names with `..`. */
export function normaliseMemberName(name: string): string | undefined {
  const parts = pathComponents(name);
  if (parts.includes('..')) return undefined;
  return '/' + parts.join('/');
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function isZeroBlock(buf: Buffer, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** The header checksum: the bytes' sum with the checksum field read as spaces (old tars summed signed bytes). */
function checksumMatches(buf: Buffer, off: number): boolean {
  const stored = readNumber(buf, off + 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = off; i < off + BLOCK; i++) {
    const b = i >= off + 148 && i < off + 156 ? 0x20 : buf[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** 'ustar' (POSIX, with a name prefix), 'gnu' (old GNU, no prefix) or 'v7'. */
function isUstar(buf: Buffer, off: number): 'ustar' | 'gnu' | 'v7' {
  const m = off + 257;
  if (buf[m] !== 0x75 || buf[m + 1] !== 0x73 || buf[m + 2] !== 0x74 || buf[m + 3] !== 0x61 || buf[m + 4] !== 0x72) return 'v7';
  return buf[m + 5] === 0 ? 'ustar' : 'gnu';
}

/** A NUL-terminated field as UTF-8. */
function readString(buf: Buffer, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && buf[end] !== 0) end++;
  return buf.toString('utf8', start, end);
}

/**
 * A numeric field: octal digits (leading spaces, ending at NUL or space), or
 * GNU base-256 (first byte's high bit set). Undefined when malformed,
 * negative or beyond 2^53.
 */
export function readNumber(buf: Buffer, start: number, length: number): number | undefined {
  const first = buf[start];
  if (first & 0x80) {
    if (first === 0xff) return undefined; // negative
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + buf[i];
      if (value > Number.MAX_SAFE_INTEGER) return undefined;
    }
    return value;
  }
  let i = start;
  const end = start + length;
  while (i < end && buf[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  // The rest must be terminators only.
  for (; i < end; i++) if (buf[i] !== 0 && buf[i] !== 0x20) return undefined;
  return digits === 0 ? 0 : value;
}

/** pax records: `<length> <key>=<value>\n`, length counting the whole record. */
function parsePax(data: Buffer, fail: (msg: string) => InputError, into: PaxRecords = new Map()): PaxRecords {
  let pos = 0;
  while (pos < data.length) {
    // GNU tar pads with NULs after the last record in some versions.
    if (data[pos] === 0) break;
    let lengthEnd = pos;
    let recordLength = 0;
    while (lengthEnd < data.length && data[lengthEnd] >= 0x30 && data[lengthEnd] <= 0x39 && lengthEnd - pos < 10) {
      recordLength = recordLength * 10 + (data[lengthEnd] - 0x30);
      lengthEnd++;
    }
    if (lengthEnd === pos || data[lengthEnd] !== 0x20) throw fail(`malformed record at offset ${pos}`);
    const recordEnd = pos + recordLength;
    if (recordLength <= lengthEnd - pos + 1 || recordEnd > data.length || data[recordEnd - 1] !== 0x0a) {
      throw fail(`malformed record at offset ${pos}`);
    }
    const eq = data.indexOf(0x3d, lengthEnd + 1);
    if (eq < 0 || eq >= recordEnd - 1) throw fail(`record without '=' at offset ${pos}`);
    into.set(data.toString('utf8', lengthEnd + 1, eq), data.toString('utf8', eq + 1, recordEnd - 1));
    pos = recordEnd;
  }
  return into;
}
