/**
 * CRIU's statistics images, `stats-dump` and `stats-restore`, which every
 * dump and restore writes into its work directory (the images directory
 * unless -W). Layout (criu/image.c img_write_magic, criu/protobuf.c
 * pb_write_one, criu/include/magic.h): a u32 head magic (IMG_SERVICE_MAGIC;
 * IMG_COMMON_MAGIC accepted too), the u32 STATS_MAGIC, then one entry: a u32
 * byte count and a protobuf `stats_entry` (images/stats.proto). All integers
 * little-endian, as CRIU writes them on the machines it runs on.
 * Times are microseconds (criu/stats.c encode_time).
 */
export const IMG_COMMON_MAGIC = 0x54564319;
export const IMG_SERVICE_MAGIC = 0x55105940;
export const STATS_MAGIC = 0x57093306;

/** `dump_stats_entry`; fields CRIU added after the ones named here (page_pipes, shpages_*) are skipped. */
export interface DumpStats {
  freezingTimeUs: number;
  frozenTimeUs: number;
  memdumpTimeUs: number;
  memwriteTimeUs: number;
  pagesScanned: number;
  pagesSkippedParent: number;
  pagesWritten: number;
  irmapResolveUs?: number;
  pagesLazy: number;
}

/** `restore_stats_entry`. */
export interface RestoreStats {
  pagesCompared: number;
  pagesSkippedCow: number;
  forkingTimeUs: number;
  restoreTimeUs: number;
  pagesRestored?: number;
}

export interface CriuStats {
  dump?: DumpStats;
  restore?: RestoreStats;
}

export class StatsImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsImageError';
  }
}

/** Reads protobuf wire format: varints, and skipping of the other wire types. */
class Reader {
  pos: number;
  constructor(private readonly buf: Uint8Array, start: number, readonly end: number) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number; exact up to 2^53, which counters and µs times stay below. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new StatsImageError('varint runs past the end of the message');
      const byte = this.buf[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new StatsImageError('varint longer than 10 bytes');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.advance(this.varint());
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new StatsImageError(`unsupported protobuf wire type ${wireType}`);
    }
  }

  advance(n: number): void {
    if (this.pos + n > this.end) throw new StatsImageError('field runs past the end of the message');
    this.pos += n;
  }

  /** Each field of the message: number, wire type, and a callback that reads or skips its value. */
  *fields(): Generator<{ field: number; wireType: number }> {
    while (!this.done()) {
      const key = this.varint();
      yield { field: Math.floor(key / 8), wireType: key % 8 };
    }
  }
}

function readMessage<T>(buf: Uint8Array, start: number, end: number, fields: Record<number, keyof T>): Partial<Record<keyof T, number>> {
  const r = new Reader(buf, start, end);
  const out: Partial<Record<keyof T, number>> = {};
  for (const { field, wireType } of r.fields()) {
    const name = fields[field];
    if (name !== undefined && wireType === 0) out[name] = r.varint();
    else r.skip(wireType);
  }
  return out;
}

const DUMP_FIELDS: Record<number, keyof DumpStats> = {
  1: 'freezingTimeUs',
  2: 'frozenTimeUs',
  3: 'memdumpTimeUs',
  4: 'memwriteTimeUs',
  5: 'pagesScanned',
  6: 'pagesSkippedParent',
  7: 'pagesWritten',
  8: 'irmapResolveUs',
  9: 'pagesLazy',
};

const RESTORE_FIELDS: Record<number, keyof RestoreStats> = {
  1: 'pagesCompared',
  2: 'pagesSkippedCow',
  3: 'forkingTimeUs',
  4: 'restoreTimeUs',
  5: 'pagesRestored',
};

function dumpStats(m: Partial<Record<keyof DumpStats, number>>): DumpStats {
  return {
    freezingTimeUs: m.freezingTimeUs ?? 0,
    frozenTimeUs: m.frozenTimeUs ?? 0,
    memdumpTimeUs: m.memdumpTimeUs ?? 0,
    memwriteTimeUs: m.memwriteTimeUs ?? 0,
    pagesScanned: m.pagesScanned ?? 0,
    pagesSkippedParent: m.pagesSkippedParent ?? 0,
    pagesWritten: m.pagesWritten ?? 0,
    ...(m.irmapResolveUs !== undefined ? { irmapResolveUs: m.irmapResolveUs } : {}),
    pagesLazy: m.pagesLazy ?? 0,
  };
}

function restoreStats(m: Partial<Record<keyof RestoreStats, number>>): RestoreStats {
  return {
    pagesCompared: m.pagesCompared ?? 0,
    pagesSkippedCow: m.pagesSkippedCow ?? 0,
    forkingTimeUs: m.forkingTimeUs ?? 0,
    restoreTimeUs: m.restoreTimeUs ?? 0,
    ...(m.pagesRestored !== undefined ? { pagesRestored: m.pagesRestored } : {}),
  };
}

function u32(buf: Uint8Array, at: number): number {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(at, true);
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Decodes a stats image. Throws StatsImageError naming what is wrong. */
export function parseStatsImage(buf: Uint8Array): CriuStats {
  if (buf.length < 8) throw new StatsImageError(`too short for a stats image (${buf.length} bytes)`);
  let pos = 0;
  const first = u32(buf, 0);
  if (first === IMG_SERVICE_MAGIC || first === IMG_COMMON_MAGIC) pos = 4;
  const magic = u32(buf, pos);
  if (magic !== STATS_MAGIC) throw new StatsImageError(`magic ${hex(magic)} is not the stats magic ${hex(STATS_MAGIC)}`);
  pos += 4;
  if (pos + 4 > buf.length) throw new StatsImageError('no entry after the magic');
  const size = u32(buf, pos);
  pos += 4;
  if (pos + size > buf.length) throw new StatsImageError(`entry of ${size} bytes but only ${buf.length - pos} follow`);
  const end = pos + size;
  const r = new Reader(buf, pos, end);
  const stats: CriuStats = {};
  for (const { field, wireType } of r.fields()) {
    if ((field === 1 || field === 2) && wireType === 2) {
      const length = r.varint();
      const start = r.pos;
      r.advance(length);
      if (field === 1) stats.dump = dumpStats(readMessage<DumpStats>(buf, start, start + length, DUMP_FIELDS));
      else stats.restore = restoreStats(readMessage<RestoreStats>(buf, start, start + length, RESTORE_FIELDS));
    } else r.skip(wireType);
  }
  return stats;
}
