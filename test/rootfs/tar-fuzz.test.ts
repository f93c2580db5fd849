/**
 * Fuzzing the tar reader with random and mutated archives: whatever the
 * bytes, it either indexes them or throws InputError. Seeded, so a failure
 * prints the seed and iteration that reproduce it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { TarIndexer } from '../../src/rootfs/tar.js';
import { readRootfsImage } from '../../src/rootfs/image.js';
import { answerPaths } from '../../src/rootfs/resolve.js';
import { InputError } from '../../src/errors.js';
import { SAMPLE_PATHS, buildSampleRootfs, paxRecords, prng, randomInt, tarArchive, tempDir } from './helpers.js';

const SEED = 20240226;
let base: string;
const seeds: Buffer[] = [];

before(async () => {
  base = await tempDir('tarfuzz');
  const root = await buildSampleRootfs(base);
  for (const format of ['gnu', 'pax']) {
    const out = path.join(base, `${format}.tar`);
    execFileSync('tar', [`--format=${format}`, '-S', '-C', root, '-cf', out, '.'], { stdio: 'ignore' });
    seeds.push(await readFile(out));
  }
  seeds.push(tarArchive(
    { name: 'G', type: 'g', data: paxRecords({ comment: 'global' }) },
    { name: 'P', type: 'x', data: paxRecords({ path: 'etc/' + 'n'.repeat(200), size: '3' }) },
    { name: 'x', data: 'abc' },
    { name: 'big', data: 'b', base256Size: true },
  ));
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

function mutate(random: () => number, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  const edits = 1 + randomInt(random, 8);
  for (let i = 0; i < edits; i++) {
    const at = randomInt(random, Math.max(1, bytes.length));
    switch (randomInt(random, 7)) {
      case 0: // flip a byte
        bytes[at] ^= 1 + randomInt(random, 255);
        break;
      case 1: // a digit or a terminator in a numeric field of some header
        bytes[at - (at % 512) + 124 + randomInt(random, 24)] = [0x30, 0x37, 0x39, 0x00, 0x20, 0x80, 0xff][randomInt(random, 7)];
        break;
      case 2: // a typeflag
        bytes[at - (at % 512) + 156] = 'LKxgS15D2V\0M'.charCodeAt(randomInt(random, 12)) || 0;
        break;
      case 3: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 4: // insert random bytes
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + randomInt(random, 600) }, () => randomInt(random, 256))), bytes.subarray(at)]);
        break;
      case 5: // delete a span
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + randomInt(random, 1024))]);
        break;
      case 6: // duplicate a block elsewhere
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(randomInt(random, bytes.length), randomInt(random, bytes.length) + 512), bytes.subarray(at)]);
        break;
    }
  }
  return bytes;
}

/** Feeds `bytes` in random chunks; returns 'ok' or 'input-error', and fails on anything else. */
async function feed(random: () => number, bytes: Buffer, context: string): Promise<'ok' | 'input-error'> {
  try {
    const indexer = new TarIndexer('fuzz.tar');
    for (let pos = 0; pos < bytes.length;) {
      const n = 1 + randomInt(random, 4096);
      indexer.push(bytes.subarray(pos, pos + n));
      pos += n;
    }
    indexer.finish();
    await answerPaths(indexer.view(), SAMPLE_PATHS);
    return 'ok';
  } catch (err) {
    if (err instanceof InputError) {
      assert.equal(err.location?.file, 'fuzz.tar', context);
      return 'input-error';
    }
    assert.fail(`${context}: threw ${(err as Error)?.stack ?? String(err)}`);
  }
}

describe('tar reader fuzz', () => {
  it('only ever indexes or throws InputError on mutated archives', async () => {
    const random = prng(SEED);
    const outcomes = { ok: 0, 'input-error': 0 };
    for (let i = 0; i < 1500; i++) {
      const seed = seeds[i % seeds.length];
      outcomes[await feed(random, mutate(random, seed), `seed ${SEED} iteration ${i}`)]++;
    }
    // Both outcomes happen, or the mutations are not reaching the parser.
    assert.ok(outcomes.ok > 50 && outcomes['input-error'] > 50, JSON.stringify(outcomes));
  });

  it('only ever throws InputError on random bytes', async () => {
    const random = prng(SEED + 1);
    for (let i = 0; i < 500; i++) {
      const bytes = Buffer.from(Array.from({ length: randomInt(random, 3000) }, () => randomInt(random, 256)));
      // Random bytes fail the header checksum, except for an all-zero start (an empty archive).
      await feed(random, bytes, `seed ${SEED + 1} iteration ${i}`);
    }
  });

  it('only ever reads or throws InputError on mutated gzip images', async () => {
    const random = prng(SEED + 2);
    const gz = gzipSync(seeds[0]);
    const file = path.join(base, 'fuzz.tar.gz');
    for (let i = 0; i < 150; i++) {
      const bytes = i % 3 === 0 ? gzipSync(mutate(random, seeds[0])) : mutate(random, gz);
      await writeFile(file, bytes);
      try {
        await readRootfsImage(file, ['/sbin/udevd']);
      } catch (err) {
        if (!(err instanceof InputError)) assert.fail(`seed ${SEED + 2} iteration ${i}: threw ${(err as Error)?.stack ?? String(err)}`);
        assert.equal(err.location?.file, file);
      }
    }
  });

  it('a gzip image says why it is bad, as the same archive uncompressed does (never "operation was aborted")', async () => {
    const random = prng(SEED + 3);
    const plain = path.join(base, 'reason.tar');
    const packed = path.join(base, 'reason.tar.gz');
    let compared = 0;
    for (let i = 0; i < 200; i++) {
      const bytes = mutate(random, seeds[i % seeds.length]);
      await writeFile(plain, bytes);
      await writeFile(packed, gzipSync(bytes));
      const reason = async (file: string) =>
        readRootfsImage(file, ['/sbin/udevd']).then(
          () => 'ok',
          (err: unknown) => {
            if (!(err instanceof InputError)) assert.fail(`seed ${SEED + 3} iteration ${i}: threw ${(err as Error)?.stack ?? String(err)}`);
            return err.message.replace(/ of the decompressed stream/g, '').replace(/ of the (archive|file)/g, '');
          },
        );
      const [a, b] = [await reason(plain), await reason(packed)];
      assert.doesNotMatch(b, /aborted/i, `seed ${SEED + 3} iteration ${i}`);
      if (a !== 'ok') {
        assert.notEqual(b, 'ok', `seed ${SEED + 3} iteration ${i}: plain says ${a}`);
        compared++;
      }
    }
    assert.ok(compared > 20, String(compared));
  });
});
