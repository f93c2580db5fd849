import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLxcDocument, printLxcDocument } from '../../src/config/lxc-document.js';
import { InputError } from '../../src/errors.js';
import { fixture } from './fixtures.js';

function parseFixture(...parts: string[]) {
  const file = fixture(...parts);
  return parseLxcDocument(file, readFileSync(file, 'utf8'));
}

function values(doc: ReturnType<typeof parseLxcDocument>): [string, string][] {
  return doc.entries.map((e) => [e.key, e.value]);
}

describe('parseLxcDocument', () => {
  it('strips only what LXC strips (space and tab, lxc_char_left_gc/right_gc): Unicode blanks stay in keys and values, offsets match', () => {
    const text = 'lxc.tty.max =\u00a04\u00a0\nlxc.uts.name\u2003= web\u3000\n\u00a0lxc.pty.max = 1\n\vlxc.arch = x86_64\nlxc.init.cmd = \t/sbin/init\ufeff \t\n';
    const doc = parseLxcDocument('u.conf', text);
    assert.deepEqual(values(doc), [
      ['lxc.tty.max', '\u00a04\u00a0'],
      ['lxc.uts.name\u2003', 'web\u3000'],
      ['lxc.init.cmd', '/sbin/init\ufeff'],
    ]);
    for (const e of doc.entries) {
      assert.equal(text.slice(e.keyStart, e.keyEnd), e.key);
      assert.equal(text.slice(e.valueStart, e.valueEnd), e.value);
    }
    // A line that starts with a Unicode blank or \v is not an lxc. line for LXC (a "martian option", ignored).
    assert.deepEqual(doc.lines.map((l) => l.kind), ['entry', 'entry', 'other', 'other', 'entry']);
  });

  it('strips one pair of matching outer quotes and keeps everything after = (no inline comments)', () => {
    const doc = parseFixture('configs', 'quoted-values.conf');
    assert.deepEqual(values(doc), [
      ['lxc.uts.name', 'web-01'],
      ['lxc.apparmor.profile', 'unconfined'],
      ['lxc.environment', 'GREETING="hello world"'],
      ['lxc.environment', 'MOTD=Welcome # part of the value: LXC has no inline comments'],
      ['lxc.init.cmd', '/sbin/init --log-level=info'],
      ['lxc.hook.pre-start', '/usr/local/bin/prepare "db01"'],
      ['lxc.log.file', `"/var/log/lxc/mismatched.log'`],
      ['lxc.mount.entry', 'tmpfs tmp tmpfs defaults 0 0'],
      ['lxc.tty.max', '0'],
      ['lxc.console.path', 'none'],
      ['lxc.net.0.type', 'veth'],
      ['lxc.net.0.link', 'lxcbr0'],
    ]);
    assert.deepEqual(doc.lines.map((l) => l.kind), ['comment', ...Array(12).fill('entry'), 'comment']);
  });

  it('records offsets that slice out the key and the raw value', () => {
    const doc = parseFixture('configs', 'quoted-values.conf');
    for (const e of doc.entries) {
      assert.equal(doc.text.slice(e.keyStart, e.keyEnd), e.key);
      assert.ok(e.lineStart <= e.keyStart && e.keyEnd < e.valueStart && e.valueEnd <= e.lineEnd && e.lineEnd <= e.lineEndWithEol);
      const raw = doc.text.slice(e.valueStart, e.valueEnd);
      assert.ok(raw === e.value || raw === `"${e.value}"` || raw === `'${e.value}'`, `${e.key}: ${raw}`);
    }
    const tab = doc.entries.find((e) => e.key === 'lxc.tty.max')!;
    assert.equal(tab.column, 2);
    const spaced = doc.entries.find((e) => e.key === 'lxc.net.0.link')!;
    assert.equal(doc.text.slice(spaced.valueStart, spaced.valueEnd), 'lxcbr0');
    assert.equal(doc.text.slice(spaced.lineStart, spaced.lineEnd), 'lxc.net.0.link=   lxcbr0   ');
  });

  it('keeps CRLF as the end of line, out of keys and values', () => {
    const doc = parseFixture('configs', 'crlf.conf');
    assert.ok(doc.lines.every((l) => l.eol === '\r\n'));
    assert.ok(doc.entries.every((e) => !e.value.includes('\r') && !e.key.includes('\r')));
    assert.equal(doc.entries.find((e) => e.key === 'lxc.tty.max')?.value, '0');
    assert.equal(doc.entries[0].lineEndWithEol - doc.entries[0].lineEnd, 2);
  });

  it('reads a last line without a newline', () => {
    const doc = parseFixture('configs', 'no-trailing-newline.conf');
    const last = doc.lines[doc.lines.length - 1];
    assert.equal(last.eol, '');
    assert.equal(last.end, doc.text.length);
    assert.deepEqual(values(doc).at(-1), ['lxc.start.auto', '1']);
  });

  it('treats lone CR as a line break and keeps NUL inside a line', () => {
    const text = 'lxc.uts.name = a\rlxc.tty.max = 0\r\n\rlxc.pty.max = 1\0x\n';
    const doc = parseLxcDocument('mem.conf', text);
    assert.deepEqual(doc.lines.map((l) => l.eol), ['\r', '\r\n', '\r', '\n']);
    assert.deepEqual(values(doc), [['lxc.uts.name', 'a'], ['lxc.tty.max', '0'], ['lxc.pty.max', '1\0x']]);
    assert.equal(printLxcDocument(doc), text);
  });

  it('ignores lines that do not start with lxc. and classifies comments after blanks', () => {
    const doc = parseLxcDocument('mem.conf', '  # indented\n\t\nfoo = bar\nLXC.tty = 1\nlxc.tty.max = 1\n');
    assert.deepEqual(doc.lines.map((l) => l.kind), ['comment', 'blank', 'other', 'other', 'entry']);
    assert.equal(doc.entries.length, 1);
  });

  it('rejects an lxc. line without = with an InputError naming file, line and column', () => {
    const text = '# a comment\nlxc.uts.name = ok\n  lxc.foo\n';
    assert.throws(
      () => parseLxcDocument('/etc/lxc/broken.conf', text),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.deepEqual({ file: err.location?.file, line: err.location?.line, column: err.location?.column }, { file: '/etc/lxc/broken.conf', line: 3, column: 3 });
        assert.match(err.format(), /^\/etc\/lxc\/broken\.conf:3:3: 'lxc\.foo' has no '='/);
        return true;
      },
    );
  });

  it('accepts an empty value and an empty key after lxc.', () => {
    const doc = parseLxcDocument('mem.conf', 'lxc.cap.drop =\nlxc.net=\n');
    assert.deepEqual(values(doc), [['lxc.cap.drop', ''], ['lxc.net', '']]);
  });

  it('parses an empty file to no lines', () => {
    const doc = parseLxcDocument('empty.conf', '');
    assert.deepEqual(doc.lines, []);
    assert.equal(printLxcDocument(doc), '');
  });
});
