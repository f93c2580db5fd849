import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMG_COMMON_MAGIC, IMG_SERVICE_MAGIC, STATS_MAGIC, StatsImageError, parseStatsImage } from '../../src/criu/stats.js';
import { readStatsFile } from '../../src/run/images.js';
import { FIXTURES_DIR } from '../criu/fixtures.js';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => readFileSync(path.join(FIXTURES_DIR, 'run', name));

// --- an independent encoder: protobuf wire format as the spec writes it ------------------

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

const field = (num: number, wire: number) => varint(num * 8 + wire);
const uintField = (num: number, value: number) => [...field(num, 0), ...varint(value)];
const bytesField = (num: number, bytes: number[]) => [...field(num, 2), ...varint(bytes.length), ...bytes];

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function image(entry: number[], head: number | null = IMG_SERVICE_MAGIC): Uint8Array {
  return Uint8Array.from([...(head === null ? [] : u32le(head)), ...u32le(STATS_MAGIC), ...u32le(entry.length), ...entry]);
}

// --- recorded images ---------------------------------------------------------------------

test('a stats-dump CRIU 4.2.1 wrote on the lab (hand-decoded from its hex dump)', () => {
  // 0a 23 | 08 86ae06 | 10 91b007 | 18 d011 | 20 f504 | 28 a701 | 30 00 | 38 75 | 40 00 | 48 00 | 50 1c ...
  const stats = parseStatsImage(fixture('stats-dump-criu4.2.1-b.img'));
  assert.equal(stats.restore, undefined);
  assert.deepEqual(stats.dump, {
    freezingTimeUs: 6 + 46 * 128 + 6 * 16384,
    frozenTimeUs: 17 + 48 * 128 + 7 * 16384,
    memdumpTimeUs: 80 + 17 * 128,
    memwriteTimeUs: 117 + 4 * 128,
    pagesScanned: 39 + 128,
    pagesSkippedParent: 0,
    pagesWritten: 117,
    irmapResolveUs: 0,
    pagesLazy: 0,
  });
});

test('a stats-restore CRIU 4.2.1 wrote on the lab (hand-decoded)', () => {
  // 12 0d | 08 37 | 10 0c | 18 891e | 20 a1a408 | 28 69
  const stats = parseStatsImage(fixture('stats-restore-criu4.2.1-b.img'));
  assert.equal(stats.dump, undefined);
  assert.deepEqual(stats.restore, {
    pagesCompared: 55,
    pagesSkippedCow: 12,
    forkingTimeUs: 9 + 30 * 128,
    restoreTimeUs: 33 + 36 * 128 + 8 * 16384,
    pagesRestored: 105,
  });
});

test('the other recorded images decode to plausible figures', () => {
  const dump = parseStatsImage(fixture('stats-dump-criu4.2.1.img')).dump!;
  assert.ok(dump.frozenTimeUs > 0 && dump.frozenTimeUs < 10_000_000, `frozen ${dump.frozenTimeUs} µs`);
  assert.ok(dump.pagesWritten <= dump.pagesScanned);
  const restore = parseStatsImage(fixture('stats-restore-criu4.2.1.img')).restore!;
  assert.ok(restore.restoreTimeUs > restore.forkingTimeUs);
});

// --- encoded images ----------------------------------------------------------------------

test('fields CRIU added later (page_pipes, shpages_*) and unknown wire types are skipped', () => {
  const dump = [
    ...uintField(1, 300),
    ...uintField(2, 2 ** 40), // beyond 32 bits: decoded exactly
    ...uintField(5, 7),
    ...uintField(7, 5),
    ...uintField(10, 99), // page_pipes
    ...[...field(20, 1), 1, 2, 3, 4, 5, 6, 7, 8], // a fixed64 field
    ...[...field(21, 5), 1, 2, 3, 4], // a fixed32 field
    ...bytesField(22, [1, 2, 3]),
  ];
  const stats = parseStatsImage(image([...bytesField(1, dump), ...uintField(9, 1)]));
  assert.equal(stats.dump!.freezingTimeUs, 300);
  assert.equal(stats.dump!.frozenTimeUs, 2 ** 40);
  assert.equal(stats.dump!.pagesScanned, 7);
  assert.equal(stats.dump!.pagesWritten, 5);
  assert.equal(stats.dump!.irmapResolveUs, undefined, 'absent optional field stays absent');
});

test('images with the common head magic, or none, are read too', () => {
  const entry = bytesField(2, [...uintField(3, 11), ...uintField(4, 22)]);
  for (const head of [IMG_COMMON_MAGIC, null]) {
    const stats = parseStatsImage(image(entry, head));
    assert.equal(stats.restore!.forkingTimeUs, 11);
    assert.equal(stats.restore!.restoreTimeUs, 22);
  }
});

test('damaged images are refused with what is wrong', () => {
  const good = image(bytesField(1, uintField(2, 5)));
  assert.throws(() => parseStatsImage(good.subarray(0, 6)), (e: unknown) => e instanceof StatsImageError && /too short/.test((e as Error).message));
  const wrongMagic = Uint8Array.from(good);
  wrongMagic[4] ^= 0xff;
  assert.throws(() => parseStatsImage(wrongMagic), /not the stats magic/);
  assert.throws(() => parseStatsImage(good.subarray(0, good.length - 1)), /only \d+ follow/);
  const runaway = image([...field(1, 2), 50, 1]); // length 50, 1 byte present
  assert.throws(() => parseStatsImage(runaway), /past the end/);
  const badWire = image([...field(3, 3)]); // start-group: not in CRIU's images
  assert.throws(() => parseStatsImage(badWire), /wire type 3/);
});

test('readStatsFile: a missing or damaged file is a problem in words, not an exception', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-stats-'));
  try {
    assert.match((await readStatsFile(dir, 'dump')).problem ?? '', /stats-dump: not written/);
    writeFileSync(path.join(dir, 'stats-restore'), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    assert.match((await readStatsFile(dir, 'restore')).problem ?? '', /not the stats magic/);
    writeFileSync(path.join(dir, 'stats-dump'), fixture('stats-dump-criu4.2.1-b.img'));
    assert.equal((await readStatsFile(dir, 'dump')).stats?.dump?.pagesWritten, 117);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
