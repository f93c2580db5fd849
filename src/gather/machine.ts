/**
 * The facts `ctcr facts` prints: the doctor's host facts plus what a
 * migration's target must have (its CPU image for `criu cpuinfo check`, free
 * disk, the names taken in its lxcpath, the paths a container needs). Every
 * probe settles on its own, as in host.ts.
 */
import { lstat, mkdtemp, readdir, readFile, realpath, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Gathered, HostFacts } from '../types.js';
import { FACTS_SCHEMA, FACTS_VERSION, type DiskSpace, type MachineFacts, type PathFacts } from '../migrate/facts-types.js';
import { findOnPath, run, settle } from './exec.js';
import { VERSION } from '../version.js';

/** Programs a move runs on either host. */
export const MOVE_TOOLS: readonly string[] = ['rsync', 'tar', 'ssh', 'lxc-start', 'lxc-info', 'lxc-checkpoint'];

export interface MachineGatherOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  host: Promise<HostFacts>;
  lxcpath: string;
  imagesDir?: string;
  paths?: readonly string[];
  /** Another host's cpuinfo.img, to check with `criu cpuinfo check` here. */
  checkCpuinfo?: Buffer;
  procDir?: string;
}

export async function gatherMachine(opts: MachineGatherOptions): Promise<MachineFacts> {
  const limit = opts.timeoutMs + 250;
  const [host, cgroupControllers, cpuinfo, cpuinfoCheck, moveTools, names, free, imagesFree, paths] = await Promise.all([
    opts.host,
    settle('cgroup controllers', limit, () => gatherControllers(opts.procDir ?? '/proc')),
    settle('criu cpuinfo dump', limit, () => dumpCpuinfo(opts.env, opts.timeoutMs)),
    opts.checkCpuinfo ? settle('criu cpuinfo check', limit, () => checkCpuinfo(opts.checkCpuinfo!, opts.env, opts.timeoutMs)) : undefined,
    Promise.all(MOVE_TOOLS.map((t) => findOnPath(t, opts.env))).then((found) => Object.fromEntries(MOVE_TOOLS.map((t, i) => [t, found[i]!]))),
    settle(`entries of ${opts.lxcpath}`, limit, () => lxcpathEntries(opts.lxcpath)),
    settle(`free disk of ${opts.lxcpath}`, limit, () => diskSpace(opts.lxcpath)),
    opts.imagesDir !== undefined ? settle(`free disk of ${opts.imagesDir}`, limit, () => diskSpace(opts.imagesDir!)) : undefined,
    Promise.all((opts.paths ?? []).map((p) => pathFacts(p))),
  ]);
  return {
    schema: FACTS_SCHEMA,
    version: FACTS_VERSION,
    ctcrVersion: VERSION,
    hostname: os.hostname(),
    host,
    cgroupControllers,
    cpuinfo,
    ...(cpuinfoCheck ? { cpuinfoCheck } : {}),
    moveTools,
    lxcpath: { path: opts.lxcpath, names, free },
    ...(opts.imagesDir !== undefined && imagesFree ? { imagesDir: { path: opts.imagesDir, free: imagesFree } } : {}),
    paths: Object.fromEntries((opts.paths ?? []).map((p, i) => [p, paths[i]!])),
  };
}

/** cgroup.controllers of the cgroup2 root when it is mounted, else the controllers /proc/cgroups lists as enabled (v1). */
export async function gatherControllers(proc: string): Promise<string[]> {
  const v2 = await readFile('/sys/fs/cgroup/cgroup.controllers', 'utf8').catch(() => undefined);
  if (v2 !== undefined) return v2.trim().split(/\s+/).filter(Boolean).sort();
  const text = await readFile(path.join(proc, 'cgroups'), 'utf8');
  // #subsys_name hierarchy num_cgroups enabled
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/)).filter((f) => f[3] === '1').map((f) => f[0]!).sort();
}

/** `criu cpuinfo dump` into a scratch folder: the image, base64. Null when there is no criu. */
export async function dumpCpuinfo(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ image: string } | null> {
  const criu = await findOnPath('criu', env);
  if (!criu) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-cpuinfo-'));
  try {
    const r = await run(criu, ['cpuinfo', 'dump', '-D', dir], { env, timeoutMs });
    if (!r.ok) throw new Error(`${r.reason}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
    return { image: (await readFile(path.join(dir, 'cpuinfo.img'))).toString('base64') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkCpuinfo(image: Buffer, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ ok: boolean; exitCode?: number; output: string }> {
  const criu = await findOnPath('criu', env);
  if (!criu) throw new Error('no criu on PATH');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ctcr-cpuinfo-'));
  try {
    await writeFile(path.join(dir, 'cpuinfo.img'), image);
    const r = await run(criu, ['cpuinfo', 'check', '-D', dir], { env, timeoutMs });
    if (r.timedOut || r.exitCode === undefined) throw new Error(r.reason);
    return { ok: r.exitCode === 0, exitCode: r.exitCode, output: [r.stdout.trim(), r.stderr.trim()].filter(Boolean).join('\n') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function lxcpathEntries(lxcpath: string): Promise<string[]> {
  try {
    return (await readdir(lxcpath)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** statfs of the path, or of its nearest existing parent (a folder a move will create). */
export async function diskSpace(p: string): Promise<DiskSpace> {
  let measured = path.resolve(p);
  for (;;) {
    try {
      const s = await statfs(measured);
      return { path: p, measured, availableBytes: s.bavail * s.bsize, freeBytes: s.bfree * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (err) {
      const parent = path.dirname(measured);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === measured) throw err;
      measured = parent;
    }
  }
}

async function pathFacts(p: string): Promise<PathFacts> {
  try {
    const s = await lstat(p);
    const type = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : s.isSymbolicLink() ? 'symlink' : 'other';
    const real = await realpath(p).catch(() => undefined);
    return { exists: true, type, ...(real ? { realPath: real } : {}) };
  } catch {
    return { exists: false };
  }
}

