/**
 * The lab as a whole: ensureLab() (idempotent `up`), labDown(), labStatus().
 * Every step records what it created in the state file before moving on.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeInfo, deleteBridge, ensureBridge, type BridgeInfo } from './bridge.js';
import { labCanRun } from './can-run.js';
import { cgroupContainerNames, cgroupPids, containerRef, containerState, createLabContainer, destroyLabContainer, listContainers, reapCgroups, refreshInitPid, type CreateOptions, type LabContainer } from './container.js';
import { criuVersion, isOurWrapper, selectCriu } from './criu-select.js';
import { writeWrapper } from './criu-prefix.js';
import { writeLabDefaultConfig } from './default-conf.js';
import { run, which } from './exec.js';
import { withLabLock } from './lock.js';
import { installedVersion, ensurePackages } from './packages.js';
import { APT_PACKAGES, LAB_BRIDGE, LAB_DEFAULT_CONF, LAB_LXCPATH, LAB_OPT, LAB_ROOT, LAB_STATE_FILE } from './paths.js';
import { newState, readState, writeState, type CriuChoice, type LabState } from './state.js';
import { stopSshHost, TARGET_LXCPATH } from './ssh-host.js';

export type Log = (msg: string) => void;
const quiet: Log = () => undefined;

export interface LabInfo {
  root: string;
  lxcpath: string;
  bridge: string;
  defaultConfig: string;
  criu: CriuChoice;
  /** The `criu` that LXC will run (first on PATH). */
  criuOnPath: string;
  aptInstalled: string[];
}

let memo: LabInfo | undefined;

/** LXC's parking cgroups; the lab notes which existed before it so `down` removes only new ones. */
function pivotDirs(): string[] {
  const roots = ['/sys/fs/cgroup'];
  try {
    for (const d of readdirSync('/sys/fs/cgroup')) roots.push(join('/sys/fs/cgroup', d));
  } catch {
    /* no cgroupfs */
  }
  return roots.map((r) => join(r, 'lxc.pivot')).filter((p) => existsSync(p));
}

/** A directory on root's PATH ahead of /usr/sbin, so the wrapper wins over a packaged criu. */
function wrapperDir(): string {
  const path = (process.env.PATH ?? '').split(':');
  return ['/usr/local/sbin', '/usr/local/bin'].find((d) => path.includes(d)) ?? '/usr/local/sbin';
}

async function criuStillGood(s: LabState): Promise<boolean> {
  const c = s.criu;
  if (!c || !existsSync(c.path)) return false;
  if (c.prefix && (!existsSync(c.prefix) || !s.wrapper || !isOurWrapper(s.wrapper.path))) return false;
  return (await criuVersion(c.path)) === c.version;
}

async function installWrapper(s: LabState, choice: CriuChoice, save: () => void): Promise<CriuChoice> {
  if (!choice.prefix) return choice; // a preinstalled criu that works: use as is
  const path = join(wrapperDir(), 'criu');
  let backup = s.wrapper?.path === path ? s.wrapper.backup : undefined;
  if (existsSync(path) && !isOurWrapper(path)) {
    backup = `${path}.pre-ctcr-lab`;
    renameSync(path, backup); // somebody else's file: put back on `down`
  }
  s.wrapper = { path, backup };
  save();
  writeWrapper(path, readFileSync(choice.path, 'utf8'));
  return { ...choice, path };
}

function info(s: LabState): LabInfo {
  return {
    root: LAB_ROOT,
    lxcpath: LAB_LXCPATH,
    bridge: LAB_BRIDGE,
    defaultConfig: LAB_DEFAULT_CONF,
    criu: s.criu!,
    criuOnPath: which('criu') ?? '',
    aptInstalled: s.aptInstalled,
  };
}

/** Brings the lab up (idempotent): packages, a working CRIU, the bridge, the default config. */
export async function ensureLab(opts: { log?: Log } = {}): Promise<LabInfo> {
  const log = opts.log ?? quiet;
  const can = labCanRun();
  if (!can.ok) throw new Error(`the lab cannot run here: ${can.reason}`);
  if (memo && existsSync(LAB_STATE_FILE) && existsSync(memo.criu.path)) return memo;
  return withLabLock(async () => {
    const t0 = performance.now();
    const s = readState() ?? newState();
    const save = () => writeState(s);
    s.pivotsBefore ??= pivotDirs();
    save();

    const installed = await ensurePackages(APT_PACKAGES, log);
    s.aptInstalled = [...new Set([...s.aptInstalled, ...installed])];
    save();

    if (!(await criuStillGood(s))) {
      log('choosing a CRIU that works on this kernel');
      try {
        s.criu = await installWrapper(s, await selectCriu(s, save, log), save);
      } catch (e) {
        const candidates = (e as { candidates?: CriuChoice['candidates'] }).candidates;
        if (candidates) s.criu = { version: '', path: '', candidates };
        save();
        throw e;
      }
      save();
    }
    const onPath = which('criu');
    if (onPath !== s.criu!.path) log(`warning: criu on PATH is ${onPath ?? 'missing'}, not ${s.criu!.path}`);

    const created = await ensureBridge(LAB_BRIDGE);
    s.bridge = { name: LAB_BRIDGE, created: created || s.bridge?.created === true };
    save();

    await writeLabDefaultConfig(LAB_DEFAULT_CONF, LAB_BRIDGE);
    mkdirSync(LAB_LXCPATH, { recursive: true });
    s.upMs = performance.now() - t0;
    save();
    memo = info(s);
    return memo;
  });
}

/** A fresh, uniquely named, running container with the stock busybox config (lab brought up first). */
export async function createContainer(opts: CreateOptions = {}): Promise<LabContainer> {
  await ensureLab();
  return createLabContainer(opts);
}

export async function destroyContainer(c: Pick<LabContainer, 'name' | 'lxcpath'>): Promise<void> {
  await destroyLabContainer(c);
}

/**
 * Processes of the lab's containers: LXC monitors of its lxcpath, and whatever
 * is in the containers' cgroups (lxc.payload.<name>, lxc.monitor.<name>). Only
 * these; never a process that merely mentions the lxcpath (a user's ctcr run).
 */
export function labProcesses(names: string[] = existsSync(LAB_LXCPATH) ? readdirSync(LAB_LXCPATH) : []): Array<{ pid: number; cmdline: string }> {
  const pids = new Set<number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').startsWith(`[lxc monitor] ${LAB_LXCPATH} `)) pids.add(Number(e));
    } catch {
      /* exited */
    }
  }
  const roots = ['/sys/fs/cgroup', ...(existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup').map((d) => join('/sys/fs/cgroup', d)) : [])];
  for (const r of roots) for (const n of names) for (const kind of ['payload', 'monitor']) for (const p of cgroupPids(join(r, `lxc.${kind}.${n}`))) pids.add(p);
  pids.delete(process.pid);
  return [...pids].sort((a, b) => a - b).map((pid) => {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      /* exited */
    }
    return { pid, cmdline };
  });
}

export interface DownReport {
  removed: string[];
  kept: string[];
  ms: number;
}

/** Removes everything the lab created (per its state file); apt packages stay. */
export async function labDown(opts: { log?: Log } = {}): Promise<DownReport> {
  const log = opts.log ?? quiet;
  const t0 = performance.now();
  return withLabLock(async () => {
    memo = undefined;
    const s = readState();
    const removed: string[] = [];
    const names = await listContainers();
    for (const name of names) {
      log(`destroying container ${name}`);
      await destroyLabContainer(containerRef(name));
      removed.push(`container ${name}`);
    }
    // The migration target's lxcpath (lab/ssh-host.ts) and its sshd.
    for (const name of await listContainers(TARGET_LXCPATH)) {
      log(`destroying container ${name} of ${TARGET_LXCPATH}`);
      await destroyLabContainer(containerRef(name, TARGET_LXCPATH));
      removed.push(`container ${name} (${TARGET_LXCPATH})`);
    }
    if (stopSshHost(s?.sshHost?.pid)) removed.push(`sshd ${s!.sshHost!.pid} (127.0.0.1:${s!.sshHost!.port})`);
    for (const p of labProcesses(names)) {
      try {
        process.kill(p.pid, 'SIGKILL');
        removed.push(`process ${p.pid} (${p.cmdline})`);
      } catch {
        /* gone */
      }
    }
    for (const name of cgroupContainerNames()) await reapCgroups(name); // containers whose folder is already gone
    if (s?.bridge?.created) {
      await deleteBridge(s.bridge.name);
      removed.push(`bridge ${s.bridge.name}`);
    }
    if (s?.wrapper && isOurWrapper(s.wrapper.path)) {
      rmSync(s.wrapper.path, { force: true });
      removed.push(`criu wrapper ${s.wrapper.path}`);
      if (s.wrapper.backup && existsSync(s.wrapper.backup)) {
        renameSync(s.wrapper.backup, s.wrapper.path);
        removed.push(`(restored the earlier ${s.wrapper.path})`);
      }
    }
    for (const p of s?.prefixes ?? []) {
      rmSync(p, { recursive: true, force: true });
      removed.push(`criu prefix ${p}`);
    }
    try {
      rmdirSync(LAB_OPT);
    } catch {
      /* not ours, not empty or absent */
    }
    const before = new Set(s?.pivotsBefore ?? pivotDirs());
    for (const p of pivotDirs()) {
      if (before.has(p)) continue;
      try {
        rmdirSync(p);
        removed.push(`cgroup ${p}`);
      } catch {
        /* still in use */
      }
    }
    if (existsSync(LAB_ROOT)) {
      rmSync(LAB_ROOT, { recursive: true, force: true });
      removed.push(`lab folder ${LAB_ROOT}`);
    }
    const kept = (s?.aptInstalled ?? []).map((p) => `apt package ${p} (installed by the lab; stays)`);
    return { removed, kept, ms: performance.now() - t0 };
  });
}

export interface ContainerStatus {
  name: string;
  state: string;
  pid: number;
  configPath: string;
  lxcpath: string;
  rootfs: string;
}

export interface LabStatus {
  up: boolean;
  root: string;
  lxcpath: string;
  stateFile: string;
  tools: Record<string, string | null>;
  packages: Record<string, string | null>;
  aptInstalledByLab: string[];
  criu: CriuChoice | null;
  criuOnPath: string | null;
  wrapper: LabState['wrapper'] | null;
  bridge: BridgeInfo;
  containers: ContainerStatus[];
  labProcesses: Array<{ pid: number; cmdline: string }>;
  lastUpMs: number | null;
}

async function firstLine(cmd: string, args: string[]): Promise<string | null> {
  if (!which(cmd)) return null;
  const r = await run(cmd, args, { timeoutMs: 20_000 });
  return (r.stdout || r.stderr).trim().split('\n')[0] || null;
}

export async function labStatus(): Promise<LabStatus> {
  const s = readState();
  const containers: ContainerStatus[] = [];
  for (const name of await listContainers()) {
    const c = containerRef(name);
    const state = await containerState(c);
    containers.push({ name, state, pid: state === 'RUNNING' ? await refreshInitPid(c) : 0, configPath: c.configPath, lxcpath: c.lxcpath, rootfs: c.rootfs });
  }
  const packages: Record<string, string | null> = {};
  for (const p of [...APT_PACKAGES, 'iproute2', 'criu']) packages[p] = (await installedVersion(p)) ?? null;
  return {
    up: Boolean(s?.criu?.path && s.bridge),
    root: LAB_ROOT,
    lxcpath: LAB_LXCPATH,
    stateFile: LAB_STATE_FILE,
    tools: {
      lxc: await firstLine('lxc-start', ['--version']),
      criu: which('criu') ? (await criuVersion('criu')) ?? null : null,
      busybox: await firstLine('busybox', []),
      iptables: await firstLine('iptables', ['--version']),
      ip: await firstLine('ip', ['-V']),
    },
    packages,
    aptInstalledByLab: s?.aptInstalled ?? [],
    criu: s?.criu ?? null,
    criuOnPath: which('criu') ?? null,
    wrapper: s?.wrapper ?? null,
    bridge: await bridgeInfo(LAB_BRIDGE),
    containers,
    labProcesses: labProcesses(),
    lastUpMs: s?.upMs ?? null,
  };
}

