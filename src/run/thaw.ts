/**
 * Thaws a container that a killed CRIU left frozen. CRIU (and LXC's
 * --freeze-cgroup) freeze the container's cgroup: the v1 freezer
 * (freezer.state) on hybrid and v1 hosts, cgroup.freeze on v2. The
 * container's real cgroups are read from its init's /proc/PID/cgroup; without
 * an init (restore) LXC's default name lxc.payload.NAME is used.
 *
 * Synchronous on purpose: it also runs from a SIGINT/SIGTERM handler just
 * before ctcr exits.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ThawTarget {
  name: string;
  initPid?: number | null;
  /** Default /sys/fs/cgroup (tests point it elsewhere only where no real cgroup can be used). */
  cgroupRoot?: string;
}

export interface FreezerDir {
  kind: 'v1' | 'v2';
  dir: string;
}

export interface ThawResult {
  /** The freezer cgroups looked at, outermost first. */
  dirs: FreezerDir[];
  /** Those that were frozen (or freezing) and were told to thaw. */
  thawed: string[];
  /** Writes that failed, with why. */
  errors: string[];
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** The cgroup paths (relative to each hierarchy's root) of a process: the v1 freezer's and the v2 one's. */
export function cgroupPathsOf(procCgroup: string): { freezer?: string; unified?: string } {
  const out: { freezer?: string; unified?: string } = {};
  for (const line of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[2]!.split(',').includes('freezer')) out.freezer = m[3];
    else if (m[1] === '0' && m[2] === '') out.unified = m[3];
  }
  return out;
}

/** Each ancestor of a cgroup path below the root, outermost first, the path itself last ("/a/b" -> "/a", "/a/b"). */
function ancestry(p: string): string[] {
  const parts = p.split('/').filter(Boolean);
  return parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}

/** The freezer cgroups of the container that exist on this host, outermost first. */
export function freezerDirs(target: ThawTarget): FreezerDir[] {
  const root = target.cgroupRoot ?? '/sys/fs/cgroup';
  const v1Root = path.join(root, 'freezer');
  // Hybrid hosts mount v2 at /sys/fs/cgroup/unified; pure v2 at /sys/fs/cgroup itself.
  const v2Root = existsSync(path.join(root, 'unified', 'cgroup.procs')) ? path.join(root, 'unified') : existsSync(path.join(root, 'cgroup.procs')) ? root : undefined;
  const fromInit = target.initPid ? cgroupPathsOf(read(`/proc/${target.initPid}/cgroup`) ?? '') : {};
  const fallback = `/lxc.payload.${target.name}`;
  const dirs: FreezerDir[] = [];
  const add = (kind: 'v1' | 'v2', base: string | undefined, rel: string | undefined, file: string) => {
    if (!base) return;
    for (const p of ancestry(rel && rel !== '/' ? rel : fallback)) {
      const dir = path.join(base, p);
      if (existsSync(path.join(dir, file))) dirs.push({ kind, dir });
    }
  };
  add('v1', existsSync(v1Root) ? v1Root : undefined, fromInit.freezer, 'freezer.state');
  add('v2', v2Root, fromInit.unified, 'cgroup.freeze');
  return dirs;
}

/** Whether one freezer cgroup is (still) frozen. */
export function isFrozen(d: FreezerDir): boolean {
  if (d.kind === 'v1') return (read(path.join(d.dir, 'freezer.state')) ?? '').trim() !== 'THAWED';
  const events = read(path.join(d.dir, 'cgroup.events')) ?? '';
  return (read(path.join(d.dir, 'cgroup.freeze')) ?? '').trim() === '1' || /^frozen 1$/m.test(events);
}

/** Thaws every frozen freezer cgroup of the container, outermost first. */
export function thawContainer(target: ThawTarget): ThawResult {
  const dirs = freezerDirs(target);
  const thawed: string[] = [];
  const errors: string[] = [];
  for (const d of dirs) {
    if (!isFrozen(d)) continue;
    const file = path.join(d.dir, d.kind === 'v1' ? 'freezer.state' : 'cgroup.freeze');
    try {
      writeFileSync(file, d.kind === 'v1' ? 'THAWED' : '0');
      thawed.push(file);
    } catch (err) {
      errors.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { dirs, thawed, errors };
}

/** Thaws, then waits (up to waitMs) until no freezer cgroup of the container is frozen. */
export async function thawAndVerify(target: ThawTarget, waitMs = 3000): Promise<ThawResult & { running: boolean; stillFrozen: string[] }> {
  const result = thawContainer(target);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const stillFrozen = result.dirs.filter(isFrozen).map((d) => d.dir);
    if (!stillFrozen.length || Date.now() > deadline) return { ...result, running: stillFrozen.length === 0 && result.dirs.length > 0, stillFrozen };
    thawContainer(target);
    await new Promise((r) => setTimeout(r, 50));
  }
}
