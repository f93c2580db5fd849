/**
 * Issue 15.8: deleting a line of a file with LF-CR (`\n\r`) line ends must
 * take the line's whole EOL. Taking only the LF left a lone CR next to the
 * following blank line's LF, which read as one CRLF: two blank lines merged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLxcDocument } from '../../src/config/lxc-document.js';
import { appendLine, eolOf, insertLineAfter, lineSpan, removeEntryLine } from '../../src/config/line-edits.js';
import { fstabMounts } from '../../src/config/mounts.js';
import type { TextEdit } from '../../src/types.js';

const apply = (text: string, e: TextEdit) => text.slice(0, e.start) + e.text + text.slice(e.end);

for (const eol of ['\n', '\r\n', '\n\r', '\r']) {
  const name = JSON.stringify(eol);
  describe(`line edits in a file with ${name} line ends`, () => {
    const lines = ['lxc.a = 1', '', 'lxc.b = 2', '', '', 'lxc.c = 3'];
    const text = lines.join(eol) + eol;

    it('reads one EOL per line', () => {
      const doc = parseLxcDocument('/m.conf', text);
      assert.deepEqual(doc.lines.map((l) => l.eol), lines.map(() => eol));
      assert.equal(eolOf(text), eol);
      assert.deepEqual(doc.entries.map((e) => e.line), [1, 3, 6]);
    });

    it('deletes a line with its EOL and keeps every blank line around it', () => {
      const doc = parseLxcDocument('/m.conf', text);
      doc.entries.forEach((entry, i) => {
        const expected = lines.filter((l) => l !== ['lxc.a = 1', 'lxc.b = 2', 'lxc.c = 3'][i]).join(eol) + eol;
        assert.equal(JSON.stringify(apply(text, removeEntryLine(doc, entry))), JSON.stringify(expected), `deleting ${entry.key}`);
      });
    });

    it('deletes a last line without EOL with the EOL before it', () => {
      const t = lines.join(eol);
      const doc = parseLxcDocument('/m.conf', t);
      assert.equal(JSON.stringify(apply(t, removeEntryLine(doc, doc.entries[2]))), JSON.stringify(lines.slice(0, -1).join(eol)));
    });

    it('inserts and appends with the file own EOL', () => {
      const doc = parseLxcDocument('/m.conf', text);
      const inserted = apply(text, insertLineAfter(doc, doc.entries[0], 'lxc.x = 9'));
      assert.equal(JSON.stringify(inserted), JSON.stringify(['lxc.a = 1', 'lxc.x = 9', ...lines.slice(1)].join(eol) + eol));
      assert.equal(JSON.stringify(apply(text, appendLine(doc, 'lxc.x = 9'))), JSON.stringify(text + 'lxc.x = 9' + eol));
    });

    it('counts fstab lines as the span finder does', () => {
      const fstab = ['proc proc proc defaults 0 0', '', 'sys sys sysfs defaults 0 0'].join(eol) + eol;
      const mounts = fstabMounts({ path: "/f", text: fstab, missing: false } as Parameters<typeof fstabMounts>[0]);
      assert.deepEqual(mounts.map((m) => m.location.line), [1, 3]);
      assert.equal(fstab.slice(lineSpan(fstab, 3)!.start, lineSpan(fstab, 3)!.end), 'sys sys sysfs defaults 0 0');
    });
  });
}
