import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TarIndexer, normaliseMemberName, readNumber } from '../../src/rootfs/tar.js';
import { answerPaths } from '../../src/rootfs/resolve.js';
import { InputError } from '../../src/errors.js';
import { END_OF_ARCHIVE, fixChecksum, paxRecords, prng, randomInt, tarArchive, tarMember } from './helpers.js';

function index(archive: Buffer, chunkSizes?: () => number): TarIndexer {
  const indexer = new TarIndexer('test.tar');
  if (!chunkSizes) {
    indexer.push(archive);
  } else {
    for (let pos = 0; pos < archive.length;) {
      const n = Math.max(1, chunkSizes());
      indexer.push(archive.subarray(pos, pos + n));
      pos += n;
    }
  }
  indexer.finish();
  return indexer;
}

function indexError(archive: Buffer): InputError {
  try {
    index(archive);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an InputError');
}

describe('normaliseMemberName', () => {
  it('makes member names rootfs-absolute', () => {
    assert.equal(normaliseMemberName('./etc/x'), '/etc/x');
    assert.equal(normaliseMemberName('etc//x/'), '/etc/x');
    assert.equal(normaliseMemberName('/etc/./x'), '/etc/x');
    assert.equal(normaliseMemberName('./'), '/');
    assert.equal(normaliseMemberName('.'), '/');
    assert.equal(normaliseMemberName('etc/../../x'), undefined);
  });
});

describe('readNumber', () => {
  it('reads octal with spaces and NULs, base-256, and refuses junk', () => {
    const b = Buffer.alloc(12);
    b.write(' 0000755 \0', 0, 'latin1');
    assert.equal(readNumber(b, 0, 8), 0o755);
    const big = Buffer.alloc(12);
    big[0] = 0x80;
    big.writeUIntBE(9_000_000_000, 6, 6);
    assert.equal(readNumber(big, 0, 12), 9_000_000_000);
    assert.equal(readNumber(Buffer.from('00007x9\0'), 0, 8), undefined);
    assert.equal(readNumber(Buffer.from('0000 7\0\0'), 0, 8), undefined);
    assert.equal(readNumber(Buffer.from([0xff, 1, 2, 3, 4, 5, 6, 7]), 0, 8), undefined);
    assert.equal(readNumber(Buffer.alloc(8), 0, 8), 0);
  });
});

describe('TarIndexer', () => {
  it('reads ustar prefixes, GNU long names, pax path/linkpath and skips data by size', () => {
    const longName = 'usr/share/' + 'x'.repeat(150) + '/udevd';
    const archive = tarArchive(
      { name: 'udevd', prefix: 'usr/sbin', data: 'binary', mode: 0o755 },
      { name: '././@LongLink', type: 'L', data: longName + '\0', format: 'gnu' },
      { name: 'truncated-name', data: 'abc', format: 'gnu' },
      { name: '././@LongLink', type: 'K', data: '/' + longName + '\0', format: 'gnu' },
      { name: 'long-link', type: '2', linkname: 'short', format: 'gnu' },
      { name: 'PaxHeaders/x', type: 'x', data: paxRecords({ path: 'etc/pax-named', linkpath: '/etc/hostname' }) },
      { name: 'ignored-name', type: '2', linkname: 'ignored-target' },
      { name: 'etc/hostname', data: 'container\n' },
    );
    const indexer = index(archive);
    assert.deepEqual(indexer.lookUp('/usr/sbin/udevd'), { type: 'file', mode: 0o100755, size: 6 });
    assert.equal(indexer.lookUp('/' + longName)?.size, 3);
    assert.equal(indexer.lookUp('/truncated-name'), null);
    assert.equal(indexer.lookUp('/long-link')?.linkTarget, '/' + longName);
    assert.equal(indexer.lookUp('/etc/pax-named')?.linkTarget, '/etc/hostname');
    assert.equal(indexer.lookUp('/ignored-name'), null);
    assert.equal(indexer.memberCount, 5);
  });

  it('takes the size from a pax record and a base-256 size field', () => {
    const data = 'x'.repeat(1000);
    const archive = tarArchive(
      { name: 'PaxHeaders/big', type: 'x', data: paxRecords({ size: '1000' }) },
      // The header says 0; pax says 1000, and the data really is 1000 bytes.
      tarMember({ name: 'big', data, sizeField: 0 }),
      { name: 'b256', data: 'hello', base256Size: true },
      { name: 'after', data: 'ok' },
    );
    const indexer = index(archive);
    assert.equal(indexer.lookUp('/big')?.size, 1000);
    assert.equal(indexer.lookUp('/b256')?.size, 5);
    assert.equal(indexer.lookUp('/after')?.size, 2);
  });

  it('applies pax global records to later members until an x record unsets them', () => {
    const archive = tarArchive(
      { name: 'GlobalHead', type: 'g', data: paxRecords({ linkpath: '/global-target' }) },
      { name: 'l1', type: '2', linkname: 'own' },
      { name: 'PaxHeaders/l2', type: 'x', data: paxRecords({ linkpath: '' }) },
      { name: 'l2', type: '2', linkname: 'own' },
    );
    const indexer = index(archive);
    assert.equal(indexer.lookUp('/l1')?.linkTarget, '/global-target');
    assert.equal(indexer.lookUp('/l2')?.linkTarget, 'own');
  });

  it('resolves hard links to the member they name, later members replace earlier ones, parents are implied', async () => {
    const archive = tarArchive(
      { name: './usr/bin/real', data: 'first', mode: 0o700 },
      { name: './usr/bin/real', data: 'second!', mode: 0o755 },
      { name: './usr/bin/hard', type: '1', linkname: './usr/bin/real' },
      { name: './usr/bin/hard2', type: '1', linkname: 'usr/bin/hard' },
      { name: './usr/bin/orphan', type: '1', linkname: 'not/archived', mode: 0o600 },
      { name: '../escape', data: 'dropped' },
      { name: 'old/dir/', type: '0', format: 'v7', mode: 0o700 },
      { name: 'sbin', type: '2', linkname: 'usr/bin' },
    );
    const indexer = index(archive);
    const answers = await answerPaths(indexer.view(), ['/usr/bin/hard', '/usr/bin/hard2', '/usr/bin/orphan', '/usr', '/escape', '/old/dir', '/sbin/real']);
    assert.deepEqual(answers['/usr/bin/hard'], { path: '/usr/bin/hard', realPath: '/usr/bin/hard', type: 'file', mode: 0o100755, size: 7 });
    assert.equal(answers['/usr/bin/hard2']?.size, 7);
    assert.deepEqual(answers['/usr/bin/orphan'], { path: '/usr/bin/orphan', realPath: '/usr/bin/orphan', type: 'file', mode: 0o100600, size: 0 });
    assert.equal(answers['/usr']?.type, 'dir');
    assert.equal(answers['/escape'], null);
    assert.equal(answers['/old/dir']?.type, 'dir');
    assert.equal(answers['/sbin/real']?.realPath, '/usr/bin/real');
  });

  it('stops at the first zero block and accepts an archive without end blocks', () => {
    const one = tarMember({ name: 'a', data: 'x' });
    const lone = Buffer.concat([one, Buffer.alloc(512), tarMember({ name: 'after-end', data: 'y' })]);
    assert.equal(index(lone).lookUp('/after-end'), null);
    assert.equal(index(one).lookUp('/a')?.size, 1);
  });

  it('gives the same index however the bytes are split into chunks', () => {
    const archive = tarArchive(
      { name: 'PaxHeaders/p', type: 'x', data: paxRecords({ path: 'p/' + 'q'.repeat(300) }) },
      { name: 'ignored', data: 'z'.repeat(700) },
      { name: '././@LongLink', type: 'L', data: 'l/' + 'm'.repeat(200) + '\0', format: 'gnu' },
      { name: 'short', data: 'w'.repeat(513), format: 'gnu' },
      { name: 'etc/hostname', data: 'c\n' },
    );
    const whole = [...index(archive).members.entries()];
    const random = prng(7);
    for (const sizes of [() => 1, () => 511, () => 513, () => 1 + randomInt(random, 2000)]) {
      assert.deepEqual([...index(archive, sizes).members.entries()], whole);
    }
  });

  it('names the offset and the previous member in errors', () => {
    const first = tarMember({ name: 'etc/first', data: 'abc' });
    const bad = tarMember({ name: 'etc/second', badChecksum: true });
    const err = indexError(Buffer.concat([first, bad, END_OF_ARCHIVE]));
    assert.equal(err.location?.file, 'test.tar');
    assert.match(err.message, /corrupt tar header \(bad checksum\) at byte 1024 \(after member 'etc\/first'\)/);
    assert.match(indexError(tarMember({ name: 'x', badChecksum: true })).message, /not a tar archive/);
  });

  it('rejects malformed pax records, oversized extended headers and truncation inside them', () => {
    assert.match(indexError(tarArchive({ name: 'P', type: 'x', data: '99 path=x\n' })).message, /malformed record/);
    assert.match(indexError(tarArchive({ name: 'P', type: 'x', data: '11 pathx_y\n' })).message, /without '='/);
    assert.match(indexError(tarArchive({ name: 'P', type: 'x', data: paxRecords({ size: '-4' }) }, { name: 'f' })).message, /bad pax size/);
    assert.match(indexError(tarArchive({ name: 'L', type: 'L', sizeField: 5 << 20, format: 'gnu' })).message, /too large/);
    const pax = tarMember({ name: 'P', type: 'x', data: paxRecords({ path: 'a'.repeat(600) }) });
    assert.match(indexError(pax.subarray(0, 800)).message, /truncated tar archive: it ends at byte 800/);
    assert.match(indexError(Buffer.concat([pax, END_OF_ARCHIVE])).message, /ends right after an extended header/);
    const size = tarMember({ name: 'f', data: 'abc', sizeField: 0 });
    size.write('0000000012x', 124, 'latin1');
    assert.match(indexError(Buffer.concat([tarMember({ name: 'ok' }), fixChecksum(size)])).message, /bad size field\) at byte 512 \(after member 'ok'\)/);
  });
});
