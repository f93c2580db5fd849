/**
 * A root filesystem tarball of at least a given size, for the image-gate
 * benchmark, built with the system's `tar -czf` from this machine's own
 * files (never downloaded): the skeleton of a rootfs (merged-/usr symlinks,
 * empty /dev /proc /sys), /etc without secrets, /usr/bin, /usr/sbin,
 * /usr/share and as much of /usr/lib as it takes. Cached across runs, keyed
 * by the size asked for; never part of the repository.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RootfsTarball {
  file: string;
  bytes: number;
  /** Members as `tar -tzf` lists them. */
  members: number;
  /** Host paths (relative to /) that went in. */
  sources: string[];
  /** True when this run built it, false when it came from the cache. */
  built: boolean;
  buildMs?: number;
}

/** Where generated inputs are kept between runs: big and slow to make, never committed. */
export function benchCacheDir(): string {
  const dir = process.env.CTCR_BENCH_CACHE ?? path.join(os.tmpdir(), 'ctcr-bench-cache');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Gzip ratio of system files (0.41 measured on this machine kind), only to choose how much to pack on the first try. */
const ASSUMED_RATIO = 0.4;
/** Left out of /etc: a cached file in /tmp must not carry the machine's secrets. */
const SECRET_PATTERNS = ['etc/shadow*', 'etc/gshadow*', 'etc/ssh/ssh_host_*', 'etc/ssl/private', 'etc/sudoers*', 'etc/security/opasswd', '*.key', '*.pem'];
/** The skeleton: stored as they are on this machine (symlinks stay symlinks) or as empty directories. */
const SKELETON = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'dev', 'proc', 'sys', 'tmp', 'run', 'mnt', 'media', 'srv', 'home', 'root', 'boot', 'opt', 'var'];
const ALWAYS = ['etc', 'usr/sbin'];
/** Where the rest comes from, an entry at a time. */
const POOLS = ['usr/share', 'usr/bin', 'usr/lib'];

function apparentSizes(rels: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (rels.length === 0) return out;
  const r = spawnSync('du', ['-s', '-b', ...rels], { cwd: '/', encoding: 'utf8', maxBuffer: 1 << 24 });
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^(\d+)\t(.+)$/.exec(line);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}

/** Entries of a host directory as paths relative to /, sorted by name so the choice is stable on one machine. */
function entriesOf(rel: string): string[] {
  try {
    return readdirSync(path.join('/', rel)).sort().map((n) => `${rel}/${n}`);
  } catch {
    return [];
  }
}

/**
 * The host paths to pack so that the compressed archive comes to a little
 * over `wantBytes`: /etc, /usr/sbin, then entries of /usr/share, /usr/bin and
 * /usr/lib in turn (a rootfs has all three), each taken while it fits the
 * budget of raw bytes (`wantBytes` over the assumed gzip ratio, times
 * `factor`, plus 15% so that the archive lands above the size asked for).
 */
export function chooseSources(wantBytes: number, factor = 1): string[] {
  const budget = (wantBytes / ASSUMED_RATIO) * factor * 1.15;
  const first = ALWAYS.filter((r) => existsSync(path.join('/', r)));
  const pools = POOLS.map(entriesOf);
  const sizes = apparentSizes([...first, ...pools.flat()]);
  const sources = [...first];
  let raw = first.reduce((sum, r) => sum + (sizes.get(r) ?? 0), 0);
  // Round-robin over the pools, so the image holds some of each.
  const cursors = pools.map(() => 0);
  for (let progress = true; progress && raw < budget; ) {
    progress = false;
    pools.forEach((pool, i) => {
      while (cursors[i]! < pool.length && raw < budget) {
        const entry = pool[cursors[i]!++]!;
        const size = sizes.get(entry) ?? 0;
        if (raw + size > budget * 1.1) continue; // too big for what is left: try the next, smaller one may fit
        sources.push(entry);
        raw += size;
        progress = true;
        break;
      }
    });
  }
  return sources;
}

function tarCreate(out: string, sources: string[]): void {
  const skeletonLinks = SKELETON.filter((d) => {
    try {
      return lstatSync(path.join('/', d)).isSymbolicLink();
    } catch {
      return false;
    }
  });
  const skeletonDirs = SKELETON.filter((d) => !skeletonLinks.includes(d) && existsSync(path.join('/', d)));
  const args = [
    '-czf', out,
    '--ignore-failed-read', '--warning=no-file-changed', '--warning=no-file-removed',
    ...SECRET_PATTERNS.map((p) => `--exclude=${p}`),
    '-C', '/',
    '--no-recursion', ...skeletonDirs, ...skeletonLinks,
    '--recursion', ...sources,
  ];
  const r = spawnSync('tar', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  // GNU tar exits 1 when a file changed while it was read: the archive is still whole.
  if (r.error || (r.status !== 0 && r.status !== 1)) {
    throw new Error(`tar -czf failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  }
}

function countMembers(file: string): number {
  const r = spawnSync('tar', ['-tzf', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`tar -tzf ${file} failed: ${(r.stderr ?? '').trim()}`);
  return r.stdout.split('\n').filter(Boolean).length;
}

/** The cached tarball of at least `minMiB` MiB, built if absent. */
export function ensureRootfsTarball(minMiB: number, log: (m: string) => void = () => undefined): RootfsTarball {
  const want = minMiB * 1024 * 1024;
  const dir = benchCacheDir();
  const file = path.join(dir, `rootfs-${minMiB}MiB.tar.gz`);
  const manifest = `${file}.json`;
  if (existsSync(file) && existsSync(manifest)) {
    try {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as RootfsTarball;
      if (statSync(file).size === m.bytes && m.bytes >= want) return { ...m, file, built: false };
    } catch {
      /* unreadable manifest: build again */
    }
  }
  const t0 = performance.now();
  const partial = `${file}.${process.pid}.partial`;
  let factor = 1;
  for (let attempt = 1; attempt <= 4; attempt++) {
    const sources = chooseSources(want, factor);
    log(`building a ${minMiB} MiB rootfs tarball from this machine's files (attempt ${attempt}: ${sources.length} paths)`);
    try {
      tarCreate(partial, sources);
      chmodSync(partial, 0o600);
      const bytes = statSync(partial).size;
      if (bytes >= want) {
        renameSync(partial, file);
        const result: RootfsTarball = { file, bytes, members: countMembers(file), sources, built: true, buildMs: performance.now() - t0 };
        writeFileSync(manifest, JSON.stringify(result, null, 2) + '\n', { mode: 0o600 });
        return result;
      }
      // Compressed smaller than guessed: pack proportionally more.
      factor *= (want / Math.max(bytes, 1)) * 1.1;
    } finally {
      rmSync(partial, { force: true });
    }
  }
  throw new Error(`could not build a rootfs tarball of ${minMiB} MiB from this machine's files (not enough files under /usr?)`);
}
