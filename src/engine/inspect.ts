/**
 * Gathers everything the doctor judges, at once: the host's facts (once per
 * run, shared by every container), and per container its files (config with
 * includes, fstab, rootfs: what `ctcr lint` reads), its live facts, the host
 * paths its bind mounts name and, when asked, a checkpoint directory. The
 * slowest probe (usually `criu check`) sets the time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Assumptions, CheckpointDirFacts, ContainerFacts, HostFacts, Snapshot } from '../types.js';
import { gatherStatic, type StaticTarget } from '../gather/static.js';
import { gatherHost } from '../gather/host.js';
import { gatherContainer, listContainers, ProcScan } from '../gather/container.js';
import { gatherCheckpointDir } from '../gather/checkpoint-dir.js';
import { gatherBindSources, gatherCriuConfig, gatherMustBeEmpty } from '../gather/doctor-probes.js';
import { describeError } from '../gather/exec.js';
import { InputError } from '../errors.js';
import { HOST_FILE } from '../live/facts.js';

export interface InspectOptions {
  lxcpath: string;
  /** Containers to inspect; undefined: every container in the lxcpath. */
  names?: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Limit for each probe. */
  timeoutMs: number;
  checkpointDir?: string;
  purpose: Snapshot['purpose'];
  /**
   * What reading the files needs from the rules and settings. A promise lets
   * the live probes start while the rules are still loading.
   */
  files?: FileOptions | Promise<FileOptions>;
  /** The same, given directly (when `files` is not). */
  assumptions?: Assumptions;
  rootfsPaths?: readonly string[];
  /** Host facts already being gathered (startHostFacts), so that they start first. */
  host?: Promise<HostFacts>;
}

export interface FileOptions {
  assumptions: Assumptions;
  /** Rootfs paths the rules ask about. */
  rootfsPaths: readonly string[];
}

export interface Inspection {
  lxcpath: string;
  /** The host facts alone: what host findings are reported on. */
  host: Snapshot;
  /** One per container, in name order: its files and live facts, with the same host facts. */
  containers: Snapshot[];
  /** Containers whose files could not be read (one input error each). */
  errors: InputError[];
  /** Said about the run (no container found...). */
  notes: string[];
}


export { resolveLxcpath } from '../gather/lxcpath.js';
import { isContainerName } from '../gather/lxcpath.js';

/** Starts gathering the host facts (the slowest probes: criu check and its feature probes). Never rejects. */
export async function startHostFacts(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<HostFacts> {
  const [host, criuConfig] = await Promise.all([gatherHost({ env, timeoutMs }), gatherCriuConfig(env, timeoutMs)]);
  return { ...host, criuConfig };
}

interface ContainerOutcome {
  snapshot?: Snapshot;
  error?: InputError;
}

async function inspectContainer(name: string, opts: InspectOptions & { files: FileOptions | Promise<FileOptions> }, host: Promise<HostFacts>, dir: Promise<CheckpointDirFacts> | undefined, scan: ProcScan): Promise<ContainerOutcome> {
  const target: StaticTarget = { label: name, configPath: path.join(opts.lxcpath, name, 'config'), expectRootfs: true };
  const live = gatherContainer(name, opts.lxcpath, { env: opts.env, timeoutMs: opts.timeoutMs, scan });
  let snapshot: Snapshot;
  try {
    const files = await opts.files;
    snapshot = await gatherStatic(target, { rootfsPaths: files.rootfsPaths, assumptions: files.assumptions, purpose: opts.purpose });
  } catch (err) {
    await live; // let its probes settle before the run goes on
    // An unreadable file (permissions, a vanished rootfs) is that container's input error, not the end of the run.
    return { error: err instanceof InputError ? err : new InputError(`cannot read the files of container ${name}: ${describeError(err)}`, { file: target.configPath }) };
  }
  const [container, bindSources, hostValue, checkpointDir] = await Promise.all([
    live,
    gatherBindSources(snapshot.mounts, opts.timeoutMs),
    host,
    dir,
  ]);
  const mustBeEmpty = await gatherMustBeEmpty(container, opts.timeoutMs);
  const facts: ContainerFacts = { ...container, bindSources, ...(mustBeEmpty ? { mustBeEmpty } : {}) };
  return { snapshot: { ...snapshot, host: hostValue, container: facts, ...(checkpointDir ? { checkpointDir } : {}) } };
}

function filesOf(opts: InspectOptions): FileOptions {
  if (!opts.assumptions) throw new TypeError('inspect() needs files, or assumptions and rootfsPaths');
  return { assumptions: opts.assumptions, rootfsPaths: opts.rootfsPaths ?? [] };
}

/** Gathers the host and the containers concurrently. Throws InputError only for a named container that does not exist. */
export async function inspect(options: InspectOptions): Promise<Inspection> {
  const opts = { ...options, files: options.files ?? filesOf(options) };
  const host = opts.host ?? startHostFacts(opts.env, opts.timeoutMs);
  const notes: string[] = [];
  let names: readonly string[];
  if (opts.names && opts.names.length > 0) {
    for (const name of opts.names) {
      if (!isContainerName(name)) throw new InputError(`'${name}' is not a container name`);
      if (!existsSync(path.join(opts.lxcpath, name, 'config'))) {
        throw new InputError(`no container '${name}' in ${opts.lxcpath} (no ${path.join(opts.lxcpath, name, 'config')}; -P names another lxcpath)`);
      }
    }
    names = [...new Set(opts.names)];
  } else {
    const listed = await listContainers(opts.lxcpath);
    if (!listed.ok) throw new InputError(`cannot list the containers of ${opts.lxcpath}: ${listed.reason}`);
    names = listed.value;
    if (names.length === 0) notes.push(`no container in ${opts.lxcpath}${existsSync(opts.lxcpath) ? '' : ' (it does not exist)'}: only the host was inspected`);
  }
  // One checkpoint directory serves the one container it is named for.
  const dir = opts.checkpointDir !== undefined ? gatherCheckpointDir(opts.checkpointDir) : undefined;
  // One pass over /proc serves every container of the run.
  const scan = names.length > 0 ? new ProcScan() : undefined;
  const outcomes = await Promise.all(names.map((name) => inspectContainer(name, opts, host, dir, scan!)));
  const hostSnapshot: Snapshot = { target: HOST_FILE, fstabs: [], mounts: [], assumptions: (await opts.files).assumptions, purpose: opts.purpose, host: await host };
  return {
    lxcpath: opts.lxcpath,
    host: hostSnapshot,
    containers: outcomes.flatMap((o) => (o.snapshot ? [o.snapshot] : [])),
    errors: outcomes.flatMap((o) => (o.error ? [o.error] : [])),
    notes,
  };
}
