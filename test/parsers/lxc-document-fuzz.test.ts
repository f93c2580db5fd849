/**
 * Fuzzing the config parser with mutated fixture configs: it either returns
 * a document that prints back byte for byte (with consistent offsets), or
 * throws InputError. Seeded, so a failure names the iteration to replay.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLxcDocument, printLxcDocument } from '../../src/config/lxc-document.js';
import { InputError } from '../../src/errors.js';
import { allFixtureConfigs } from './fixtures.js';
import { prng, randomInt } from '../rootfs/helpers.js';
import { editText } from '../helpers/mutate.js';

const SEED = 1393372800; // 26 February 2014, the seed page's revision date
const ITERATIONS = 2000;
const PIECES = ['\r', '\n', '\r\n', '\0', '=', '#', '"', "'", ' ', '\t', 'lxc.', 'lxc.net.0.', '\u00e9', '\u4e2d', '\u{1f600}', '\ufeff', '\u2028', '\ud800'];

function mutate(random: () => number, text: string): string {
  let out = text;
  const edits = 1 + randomInt(random, 6);
  for (let i = 0; i < edits; i++) {
    const at = randomInt(random, out.length + 1);
    const piece = random() < 0.7 ? PIECES[randomInt(random, PIECES.length)] : String.fromCharCode(randomInt(random, 0x3000));
    out = editText(random, randomInt(random, 3), out, at, piece);
  }
  return out;
}

describe('parseLxcDocument fuzz', () => {
  it(`prints back or throws InputError on ${ITERATIONS} mutated configs`, () => {
    const texts = allFixtureConfigs().map((f) => readFileSync(f, 'utf8'));
    assert.ok(texts.length > 10);
    const random = prng(SEED);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const text = mutate(random, texts[randomInt(random, texts.length)]);
      const where = `seed ${SEED} iteration ${i}`;
      let doc;
      try {
        doc = parseLxcDocument('fuzz.conf', text);
      } catch (err) {
        assert.ok(err instanceof InputError, `${where}: threw ${(err as Error)?.stack ?? String(err)}`);
        assert.equal(err.location?.file, 'fuzz.conf', where);
        assert.ok(typeof err.location?.line === 'number' && err.location.line >= 1, where);
        rejected++;
        continue;
      }
      assert.equal(printLxcDocument(doc), text, where);
      for (const e of doc.entries) {
        assert.equal(text.slice(e.keyStart, e.keyEnd), e.key, where);
        assert.ok(e.key.startsWith('lxc.'), where);
        assert.ok(!/[\r\n]/.test(e.value), where);
      }
      parsed++;
    }
    // Both outcomes occur, or the mutations are not exercising the parser.
    assert.ok(parsed > 100 && rejected > 100, JSON.stringify({ parsed, rejected }));
  });
});
