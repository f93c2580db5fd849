import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readRootfsDir } from '../../src/rootfs/dir.js';
import { readRootfsImage } from '../../src/rootfs/image.js';
import { InputError } from '../../src/errors.js';
import type { RootfsEntry, RootfsFacts } from '../../src/types.js';
import { LONG_FILE, SAMPLE_PATHS, buildSampleRootfs, tempDir } from './helpers.js';

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

let base: string;
let root: string;
let dirFacts: RootfsFacts;
const images: Record<string, string> = {};

function tar(args: string[]): void {
  execFileSync('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

before(async () => {
  base = await tempDir('rootfs');
  root = await buildSampleRootfs(base);
  dirFacts = await readRootfsDir(root, SAMPLE_PATHS);
  const out = (name: string) => (images[name] = path.join(base, name));
  tar(['--format=gnu', '-S', '-C', root, '-cf', out('gnu.tar'), '.']);
  tar(['--format=pax', '-S', '-C', root, '-cf', out('pax.tar'), '.']);
  tar(['--format=gnu', '-C', root, '-czf', out('gnu.tar.gz'), '.']);
  tar(['--format=pax', '-C', root, '-czf', out('pax-gzip.img'), '.']);
  // Names without a leading `./`, in the order given.
  const top = (await readdir(root)).sort();
  tar(['--format=pax', '-C', root, '-cf', out('no-dot.tar'), ...top]);
  // A gzip archive whose name says nothing.
  tar(['--format=gnu', '-C', root, '-czf', out('rootfs.bin'), '.']);
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

function answer(facts: RootfsFacts, p: string): RootfsEntry | null {
  assert.ok(Object.hasOwn(facts.paths, p), `no answer for ${p}`);
  return facts.paths[p];
}

describe('readRootfsDir', () => {
  it('follows merged-/usr links to the real file', () => {
    const e = answer(dirFacts, '/sbin/udevd');
    assert.deepEqual(e, { path: '/sbin/udevd', realPath: '/usr/sbin/udevd', type: 'file', mode: S_IFREG | 0o755, size: 'udevd binary\n'.length });
    assert.equal(answer(dirFacts, '/lib/systemd/systemd-udevd')?.realPath, '/usr/lib/systemd/systemd-udevd');
    assert.equal(answer(dirFacts, '/usr/lib/systemd/systemd-udevd')?.realPath, '/usr/lib/systemd/systemd-udevd');
    assert.deepEqual(answer(dirFacts, '/sbin'), { path: '/sbin', realPath: '/usr/sbin', type: 'dir', mode: answer(dirFacts, '/sbin')!.mode, size: 0 });
    assert.equal(answer(dirFacts, '/dir-link/sbin/udevd')?.realPath, '/usr/sbin/udevd');
  });

  it('reads an absolute link target relative to the rootfs root', () => {
    assert.equal(answer(dirFacts, '/bin/abs-link')?.realPath, '/usr/sbin/udevd');
    assert.equal(answer(dirFacts, '/chain1')?.realPath, '/etc/hostname');
  });

  it('never climbs above the rootfs root with ..', () => {
    assert.equal(answer(dirFacts, '/usr/bin/up-link')?.realPath, '/usr/sbin/udevd');
    assert.equal(answer(dirFacts, '/escape-abs')?.realPath, '/etc/hostname');
    assert.equal(answer(dirFacts, '/escape-abs')?.size, 'container\n'.length);
    assert.equal(answer(dirFacts, '/../../etc/hostname')?.realPath, '/etc/hostname');
    assert.equal(answer(dirFacts, '/usr/..')?.realPath, '/');
  });

  it('does not reach host files through an escaping link', () => {
    // ../../outside-secret exists beside the rootfs on the host; inside the rootfs it is /outside-secret, absent.
    assert.deepEqual(answer(dirFacts, '/escape-rel'), {
      path: '/escape-rel', realPath: '/escape-rel', type: 'symlink', mode: S_IFLNK | 0o777, size: '../../outside-secret'.length, broken: 'missing',
    });
    // The host has /etc/passwd; the rootfs does not.
    assert.equal(answer(dirFacts, '/escape-host')?.broken, 'missing');
    assert.equal(answer(dirFacts, '/outside-secret'), null);
  });

  it('resolves .. on the real path, after links, as the kernel does', () => {
    // /bin is usr/bin, so /bin/.. is /usr and /usr/etc/hostname does not exist.
    assert.equal(answer(dirFacts, '/bin/../etc/hostname'), null);
    assert.equal(answer(dirFacts, '/usr/bin/../sbin/./udevd')?.realPath, '/usr/sbin/udevd');
  });

  it('reports loops and dangling links as broken links, and absent paths as null', () => {
    assert.equal(answer(dirFacts, '/loop-a')?.broken, 'loop');
    assert.equal(answer(dirFacts, '/loop-a')?.realPath, '/loop-a');
    assert.equal(answer(dirFacts, '/self')?.broken, 'loop');
    assert.equal(answer(dirFacts, '/dangling')?.broken, 'missing');
    assert.equal(answer(dirFacts, '/dangling/x'), null);
    assert.equal(answer(dirFacts, '/etc/hostname/x'), null);
    assert.equal(answer(dirFacts, '/nonexistent'), null);
  });

  it('follows 40 links like the kernel, and calls 41 a loop', () => {
    assert.equal(answer(dirFacts, '/hop0')?.realPath, '/etc/hostname');
    assert.equal(answer(dirFacts, '/far0')?.broken, 'loop');
  });

  it('answers long names, hard links, FIFOs, sparse files, the root, and paths asked without a leading slash', () => {
    assert.equal(answer(dirFacts, LONG_FILE)?.type, 'file');
    assert.equal(answer(dirFacts, '/long-link')?.realPath, LONG_FILE);
    assert.deepEqual({ ...answer(dirFacts, '/usr/bin/hard'), path: '', realPath: '' }, { ...answer(dirFacts, '/usr/bin/real'), path: '', realPath: '' });
    assert.equal(answer(dirFacts, '/usr/bin/hard')?.realPath, '/usr/bin/hard');
    assert.equal(answer(dirFacts, '/var/run/fifo')?.type, 'other');
    assert.equal(answer(dirFacts, '/sparse.img')?.size, 10 * 65536 + 4096);
    assert.deepEqual(answer(dirFacts, '/'), { path: '/', realPath: '/', type: 'dir', mode: S_IFDIR | 0o755, size: 0 });
    assert.equal(answer(dirFacts, 'etc/hostname')?.realPath, '/etc/hostname');
  });

  it('throws InputError for a rootfs that is missing or not a directory', async () => {
    await assert.rejects(readRootfsDir(path.join(base, 'nope'), ['/x']), (err: unknown) => err instanceof InputError && /cannot be read/.test(err.message));
    await assert.rejects(readRootfsDir(path.join(base, 'outside-secret'), ['/x']), (err: unknown) => err instanceof InputError && /not a directory/.test(err.message));
  });
});

describe('readRootfsImage agrees with readRootfsDir', () => {
  for (const name of ['gnu.tar', 'pax.tar', 'gnu.tar.gz', 'pax-gzip.img', 'no-dot.tar', 'rootfs.bin']) {
    it(`on ${name}`, async () => {
      const facts = await readRootfsImage(images[name], SAMPLE_PATHS);
      assert.equal(facts.kind, 'image');
      assert.equal(facts.location, images[name]);
      for (const p of SAMPLE_PATHS) {
        const fromDir = dirFacts.paths[p];
        const fromImage = facts.paths[p];
        if (p === '/usr/bin/hard' || p === '/usr/bin/real') {
          // Which of two hard-linked names tar stores as the link depends on readdir order; both read as the same file.
          assert.deepEqual({ ...fromImage, realPath: '' }, { ...fromDir, realPath: '' }, p);
          continue;
        }
        assert.deepEqual(fromImage, fromDir, p);
      }
    });
  }
});

describe('readRootfsImage errors', () => {
  async function expectInputError(content: Buffer, pattern: RegExp): Promise<InputError> {
    const file = path.join(base, `bad-${Math.random().toString(36).slice(2)}.tar`);
    await writeFile(file, content);
    let caught: unknown;
    try {
      await readRootfsImage(file, ['/etc/hostname']);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
    assert.equal(caught.location?.file, file);
    assert.match(caught.message, pattern);
    assert.ok(caught.format().startsWith(`${file}: `));
    return caught;
  }

  it('names the byte offset and the member of a truncated archive', async () => {
    const { readFile } = await import('node:fs/promises');
    const whole = await readFile(images['gnu.tar']);
    // Cut inside the data of some member: 700 bytes in is inside the first file's data or a header.
    for (const cut of [700, 1024 + 100, Math.floor(whole.length / 2) + 7]) {
      await expectInputError(whole.subarray(0, cut), new RegExp(`truncated tar archive: it ends at byte ${cut}`));
    }
  });

  it('rejects garbage, an empty file, a directory, a missing file and other compressions', async () => {
    await expectInputError(Buffer.from('this is not a tar archive at all'.repeat(40)), /not a tar archive/);
    await expectInputError(Buffer.alloc(0), /empty file/);
    await expectInputError(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]), /xz-compressed/);
    await assert.rejects(readRootfsImage(base, []), (err: unknown) => err instanceof InputError && /is a directory/.test(err.message));
    await assert.rejects(readRootfsImage(path.join(base, 'missing.tar'), []), (err: unknown) => err instanceof InputError && /no such file/.test(err.message));
  });

  it('rejects corrupt and truncated gzip data', async () => {
    const { readFile } = await import('node:fs/promises');
    const gz = await readFile(images['gnu.tar.gz']);
    await expectInputError(gz.subarray(0, Math.floor(gz.length / 2)), /corrupt gzip data|truncated/);
    const spoiled = Buffer.from(gz);
    for (let i = 20; i < 60; i++) spoiled[i] ^= 0x5a;
    await expectInputError(spoiled, /corrupt gzip data|corrupt tar header|not a tar archive/);
    await expectInputError(gzipSync(Buffer.from('plain text, gzipped')), /truncated|not a tar archive/);
  });
});
