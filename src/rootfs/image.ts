/**
 * Reads facts from a rootfs image: a tar archive, plain or gzip-compressed
 * (told by its first bytes, not its name). The archive is streamed through
 * the indexer once, never extracted and never held in memory whole.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { RootfsFacts } from '../types.js';
import { InputError } from '../errors.js';
import { describeFileType, describeFsError } from '../config/load.js';
import { answerPaths } from './resolve.js';
import { TarIndexer } from './tar.js';

/** Read and decompress in large pieces: fewer, bigger chunks keep the per-chunk overhead out of the profile. */
const CHUNK = 1 << 20;

/** Compressions recognised by their magic bytes but not read. */
const UNSUPPORTED_MAGIC: { name: string; bytes: number[] }[] = [
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
  { name: 'lz4', bytes: [0x04, 0x22, 0x4d, 0x18] },
];

/** Indexes the tar archive in `file` (gzip-compressed or not). Throws InputError for unreadable or corrupt archives. */
export async function indexTarFile(file: string): Promise<TarIndexer> {
  let handle;
  try {
    // O_NONBLOCK: the open of a FIFO returns at once (it blocked until a writer came), and fstat below refuses it.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(`rootfs image cannot be read: ${describeFsError(err)}`, { file });
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError('rootfs image is a directory, not a tar archive', { file });
    // A device or FIFO has no size to read against (/dev/zero read as an empty archive): only regular files are images.
    if (!info.isFile()) throw new InputError(`rootfs image is ${describeFileType(info)}, not a regular file`, { file });
    const magic = Buffer.alloc(6);
    const { bytesRead } = await handle.read(magic, 0, magic.length, 0);
    const gzip = bytesRead >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    for (const { name, bytes } of UNSUPPORTED_MAGIC) {
      if (bytesRead >= bytes.length && bytes.every((b, i) => magic[i] === b)) {
        throw new InputError(`rootfs image is ${name}-compressed; only plain and gzip-compressed tar archives are read (decompress it first)`, { file });
      }
    }

    const indexer = new TarIndexer(file, gzip ? ' of the decompressed stream' : '');
    // The reader's own error: pipeline() rejects with a bare AbortError ("The operation was aborted") when the last stage throws.
    let readerError: unknown;
    try {
      if (gzip) {
        const raw = handle.createReadStream({ start: 0, highWaterMark: CHUNK, autoClose: false });
        await pipeline(raw, createGunzip({ chunkSize: CHUNK }), async (chunks: AsyncIterable<Buffer>) => {
          try {
            for await (const chunk of chunks) indexer.push(chunk);
          } catch (err) {
            readerError ??= err;
            throw err;
          }
        });
      } else {
        await indexPlainTar(handle, info.size, indexer);
      }
    } catch (caught) {
      const err = readerError ?? caught;
      if (err instanceof InputError) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (gzip && (code.startsWith('Z_') || /zlib|gzip|header check|unexpected end/i.test(String((err as Error).message)))) {
        throw new InputError(`corrupt gzip data in rootfs image (${(err as Error).message}) after byte ${indexer.offset} of the decompressed stream`, { file });
      }
      throw new InputError(`rootfs image cannot be read: ${describeFsError(err)}`, { file });
    }
    indexer.finish();
    return indexer;
  } finally {
    await handle.close();
  }
}

/**
 * An uncompressed archive is read at positions: member data is jumped over
 * instead of read, as GNU tar does, so a large image costs about one read
 * per megabyte of headers. A jump never goes past the end of the file, so a
 * truncated archive is still seen as truncated.
 */
async function indexPlainTar(handle: FileHandle, fileSize: number, indexer: TarIndexer): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  let position = 0;
  while (!indexer.ended) {
    const jump = Math.min(indexer.pendingSkip, Math.max(0, fileSize - position));
    if (jump > 0) {
      indexer.skipped(jump);
      position += jump;
    }
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    indexer.push(buffer.subarray(0, bytesRead));
  }
}

/** Answers, for each rootfs-absolute path, whether it exists in the tar image `file` and what it is. */
export async function readRootfsImage(file: string, paths: readonly string[]): Promise<RootfsFacts> {
  const index = await indexTarFile(file);
  return { kind: 'image', location: file, paths: await answerPaths(index.view(), paths) };
}
