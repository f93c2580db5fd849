/**
 * What a migration's source brings to the target, gathered here: the size of
 * the container's rootfs (copied when not shared), the memory its cgroup
 * charges (about what a dump writes), this host's CPU image for the target's
 * `criu cpuinfo check`, and whether rsync is here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Gathered } from '../types.js';
import type { SourceNeeds } from '../migrate/facts-types.js';
import { findOnPath, run, settle } from './exec.js';
import { dumpCpuinfo, gatherControllers } from './machine.js';
import { parseFeatureAnswer } from './host.js';

export interface SourceNeedsOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  rootfs?: string;
  initPid?: number | null;
  cgroupRoot?: string;
  /** The CPU image when already being dumped (the target's check needs it before the rest is known). */
  cpuinfo?: Promise<SourceNeeds['cpuinfo']>;
}

/** `criu cpuinfo dump` here, settled. */
export function sourceCpuinfo(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SourceNeeds['cpuinfo']> {
  return settle('criu cpuinfo dump', timeoutMs + 250, () => dumpCpuinfo(env, timeoutMs));
}

export async function gatherSourceNeeds(opts: SourceNeedsOptions): Promise<SourceNeeds> {
  const limit = opts.timeoutMs + 250;
  const [rootfsBytes, memoryBytes, cpuinfo, cgroupControllers, rsync, memTrack] = await Promise.all([
    settle('rootfs size', limit, () => rootfsSize(opts.rootfs, opts.env, opts.timeoutMs)),
    settle('container memory', limit, () => memoryOf(opts.initPid, opts.cgroupRoot ?? '/sys/fs/cgroup')),
    opts.cpuinfo ?? sourceCpuinfo(opts.env, opts.timeoutMs),
    settle('cgroup controllers', limit, () => gatherControllers('/proc')),
    findOnPath('rsync', opts.env),
    settle('criu check --feature mem_dirty_track', limit, () => memDirtyTrack(opts.env, opts.timeoutMs)),
  ]);
  return { rootfsBytes, memoryBytes, cpuinfo, cgroupControllers, rsync, memTrack };
}

/** `criu check --feature mem_dirty_track`: whether pre-dumps can track the pages dirtied since the last one (soft-dirty bits). */
async function memDirtyTrack(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  const criu = await findOnPath('criu', env);
  if (!criu) throw new Error('no criu on PATH');
  const answer = parseFeatureAnswer('mem_dirty_track', await run(criu, ['check', '--feature', 'mem_dirty_track'], { env, timeoutMs }));
  if (answer.kind === 'undetermined') throw new Error(answer.reason);
  return answer.kind === 'supported';
}

/** `du -sx --block-size=1`: the bytes the rootfs takes on disk (one filesystem: bind mounts into it are not copied). */
async function rootfsSize(rootfs: string | undefined, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number> {
  if (!rootfs) throw new Error('the container has no rootfs directory');
  const r = await run('du', ['-sx', '--block-size=1', rootfs], { env, timeoutMs });
  const bytes = Number(/^(\d+)\s/.exec(r.stdout)?.[1]);
  if (!r.ok || !Number.isFinite(bytes)) throw new Error(`${r.reason || 'du printed no size'}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`);
  return bytes;
}

/** memory.current (cgroup v2) or memory.usage_in_bytes (v1) of the init's memory cgroup. */
export async function memoryOf(initPid: number | null | undefined, cgroupRoot: string): Promise<number> {
  if (!initPid) throw new Error('the container is not running');
  const text = await readFile(`/proc/${initPid}/cgroup`, 'utf8');
  const candidates: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[2]!.split(',').includes('memory')) candidates.push(path.join(cgroupRoot, 'memory', m[3]!, 'memory.usage_in_bytes'));
    else if (m[1] === '0' && m[2] === '') candidates.push(path.join(cgroupRoot, m[3]!, 'memory.current'), path.join(cgroupRoot, 'unified', m[3]!, 'memory.current'));
  }
  for (const file of candidates) {
    const value = await readFile(file, 'utf8').then((t) => Number(t.trim()), () => NaN);
    if (Number.isFinite(value)) return value;
  }
  throw new Error(`no memory accounting for PID ${initPid} (looked at ${candidates.join(', ') || 'no memory cgroup'})`);
}

export type { Gathered };
