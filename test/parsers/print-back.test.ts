import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLxcDocument, printLxcDocument } from '../../src/config/lxc-document.js';
import { FIXTURES, allFixtureConfigs } from './fixtures.js';

const files = allFixtureConfigs();

describe('every fixture config prints back byte for byte', () => {
  it('finds the fixture corpus', () => {
    const names = files.map((f) => path.relative(FIXTURES, f));
    for (const expected of ['configs/real/03-lxc1.0-ubuntu-common.conf', 'configs/crlf.conf', 'containers/seed/config', 'configs/include-dir/conf.d/README']) {
      assert.ok(names.includes(expected), `${expected} not globbed`);
    }
  });

  for (const file of files) {
    it(path.relative(FIXTURES, file), () => {
      const bytes = readFileSync(file);
      // Fixtures must be valid UTF-8, else reading them as text would already change bytes.
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      const doc = parseLxcDocument(file, text);
      assert.ok(Buffer.from(printLxcDocument(doc), 'utf8').equals(bytes));
      assert.equal(doc.lines.length, text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0));
      // Every line is accounted for, in order, without gaps.
      let offset = 0;
      for (const line of doc.lines) {
        assert.equal(line.start, offset);
        offset = line.end + line.eol.length;
      }
      assert.equal(offset, text.length);
    });
  }
});
