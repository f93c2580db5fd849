/** Lab containers: LXC's stock busybox template in the lab's own lxcpath. */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { failureText, run, runOk, type RunResult } from './exec.js';
import { CONTAINER_PREFIX, LAB_DEFAULT_CONF, LAB_LXCPATH } from './paths.js';
import { waitForStableTree } from './proc.js';

export interface LabContainer {
  name: string;
  lxcpath: string;
  configPath: string;
  rootfs: string;
  /** Host PID of the container's init; 0 when stopped. Refresh after restore with refreshInitPid(). */
  initPid: number;
}

export interface CreateOptions {
  /** Default: a fresh unique name `ctcrlab-<time>-<random>`. */
  name?: string;
  /** Start it (default true). */
  start?: boolean;
  /** After start, wait until its process tree stops changing (default true). */
  settle?: boolean;
}

export function uniqueName(): string {
  return `${CONTAINER_PREFIX}${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Runs an lxc-* tool on the container (`-P lxcpath -n name` first). Output goes
 * through files: lxc-start and lxc-checkpoint -r leave a monitor process behind
 * that may hold inherited stdio open for the container's lifetime.
 */
export function lxcTool(c: Pick<LabContainer, 'name' | 'lxcpath'>, tool: string, args: string[] = [], timeoutMs = 60_000): Promise<RunResult> {
  return run(tool, ['-P', c.lxcpath, '-n', c.name, ...args], { timeoutMs, outputToFiles: true });
}

export function rootfsOf(configPath: string, fallback: string): string {
  try {
    const m = /^\s*lxc\.rootfs\.path\s*=\s*(.+)$/m.exec(readFileSync(configPath, 'utf8'));
    if (m) return m[1]!.trim().replace(/^dir:/, '');
  } catch {
    /* not created yet */
  }
  return fallback;
}

export function containerRef(name: string, lxcpath = LAB_LXCPATH): LabContainer {
  const configPath = join(lxcpath, name, 'config');
  return { name, lxcpath, configPath, rootfs: rootfsOf(configPath, join(lxcpath, name, 'rootfs')), initPid: 0 };
}

export async function containerState(c: Pick<LabContainer, 'name' | 'lxcpath'>): Promise<string> {
  const r = await lxcTool(c, 'lxc-info', ['-s', '-H'], 20_000);
  return r.ok ? r.stdout.trim() : 'UNKNOWN';
}

export async function refreshInitPid(c: LabContainer): Promise<number> {
  const r = await lxcTool(c, 'lxc-info', ['-p', '-H'], 20_000);
  c.initPid = Number(r.stdout.trim()) || 0;
  return c.initPid;
}

export async function startContainer(c: LabContainer, settle = true): Promise<void> {
  const r = await lxcTool(c, 'lxc-start', [], 60_000);
  if (!r.ok) throw new Error(failureText(r));
  const w = await lxcTool(c, 'lxc-wait', ['-s', 'RUNNING', '-t', '30'], 40_000);
  if (!w.ok) throw new Error(`${c.name} did not reach RUNNING: ${failureText(w)}`);
  if (!(await refreshInitPid(c))) throw new Error(`${c.name}: lxc-info reports no init PID`);
  if (settle) await waitForStableTree(c.initPid);
}

export async function stopContainer(c: LabContainer): Promise<void> {
  if ((await containerState(c)) !== 'STOPPED') await lxcTool(c, 'lxc-stop', ['-k'], 60_000);
  c.initPid = 0;
}

/** Creates a container from the stock busybox template; on any failure it removes what it made. */
export async function createLabContainer(opts: CreateOptions = {}): Promise<LabContainer> {
  const c = containerRef(opts.name ?? uniqueName());
  try {
    await runOk('lxc-create', ['-P', c.lxcpath, '-n', c.name, '-t', 'busybox', '-f', LAB_DEFAULT_CONF], { timeoutMs: 120_000 });
    c.rootfs = rootfsOf(c.configPath, c.rootfs);
    if (opts.start !== false) await startContainer(c, opts.settle !== false);
    return c;
  } catch (e) {
    await destroyLabContainer(c).catch(() => undefined);
    throw e;
  }
}

/** LXC's per-container cgroups, left behind when a container dies uncleanly (e.g. a failed restore). */
export function leftoverCgroups(name: string): string[] {
  const roots = ['/sys/fs/cgroup', ...safeList('/sys/fs/cgroup').map((d) => join('/sys/fs/cgroup', d))];
  const out: string[] = [];
  for (const r of roots) for (const n of [`lxc.payload.${name}`, `lxc.monitor.${name}`]) if (existsSync(join(r, n))) out.push(join(r, n));
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Names of lab containers (by prefix) that still have LXC cgroups, whether or not their folder exists. */
export function cgroupContainerNames(): string[] {
  const names = new Set<string>();
  for (const r of ['/sys/fs/cgroup', ...safeList('/sys/fs/cgroup').map((d) => join('/sys/fs/cgroup', d))]) {
    for (const e of safeList(r)) {
      const m = /^lxc\.(?:payload|monitor)\.(.+)$/.exec(e);
      if (m && m[1]!.startsWith(CONTAINER_PREFIX)) names.add(m[1]!);
    }
  }
  return [...names];
}

/** Every process in the cgroup `dir` and its children. */
export function cgroupPids(dir: string): number[] {
  const pids: number[] = [];
  try {
    pids.push(...readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) pids.push(...cgroupPids(join(dir, e.name)));
  } catch {
    /* gone */
  }
  return pids;
}

/**
 * Kills what is still in the container's cgroups and removes them. Processes can
 * outlive LXC's view of a container: after a restore LXC may report it STOPPED
 * while the restored tree still runs.
 */
export async function reapCgroups(name: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const pids = leftoverCgroups(name).flatMap(cgroupPids).filter((p) => p !== process.pid);
    if (!pids.length) break;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const cg of leftoverCgroups(name)) rmCgroup(cg);
}

/** rmdir a cgroup tree deepest first (cgroupfs only removes empty directories). */
function rmCgroup(dir: string): void {
  for (const e of safeList(dir)) {
    const p = join(dir, e);
    try {
      if (readdirSync(p)) rmCgroup(p);
    } catch {
      /* a file, not a child cgroup */
    }
  }
  try {
    rmdirSync(dir);
  } catch {
    /* busy or gone */
  }
}

export async function destroyLabContainer(c: Pick<LabContainer, 'name' | 'lxcpath'>): Promise<void> {
  let last: RunResult | undefined;
  for (let i = 0; i < 3; i++) {
    if (!existsSync(join(c.lxcpath, c.name))) break;
    await lxcTool(c, 'lxc-stop', ['-k'], 60_000);
    last = await lxcTool(c, 'lxc-destroy', ['-f'], 60_000);
    if (last.ok) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  await reapCgroups(c.name);
  const dir = join(c.lxcpath, c.name);
  // lxc-destroy refuses a folder without a config (a create that died early): remove it ourselves, if nothing is mounted there
  if (existsSync(dir) && !existsSync(join(dir, 'config')) && !readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${dir}`)) {
    rmSync(dir, { recursive: true, force: true });
  }
  if (existsSync(join(c.lxcpath, c.name))) throw new Error(`could not destroy ${c.name}: ${last ? failureText(last) : ''}`);
}

export async function listContainers(lxcpath = LAB_LXCPATH): Promise<string[]> {
  if (!existsSync(lxcpath)) return [];
  const r = await run('lxc-ls', ['-P', lxcpath, '-1']);
  const listed = r.ok ? r.stdout.split(/\s+/).filter(Boolean) : [];
  // a half-created container may have a folder but no config yet: lxc-ls does not list it
  const dirs = safeList(lxcpath).filter((d) => d.startsWith(CONTAINER_PREFIX));
  return [...new Set([...listed, ...dirs])].sort();
}
