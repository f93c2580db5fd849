/**
 * Two small live probes the doctor adds to the gatherers' facts: the host
 * paths that bind lxc.mount.entry lines name (lxc-checkpoint hands them to
 * CRIU as external mounts on restore, and CRIU's mount-v2 engine does not
 * follow a symlink there), and CRIU's own config files (an option such as
 * `network-lock nftables` there changes what a dump needs). Neither throws.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BindSourceFacts, ContainerFacts, Gathered, MountSpec } from '../types.js';
import { parseCriuConfig } from '../criu/config-file.js';
import { settle } from './exec.js';
import { isBindMount } from '../live/facts.js';

/** The distinct absolute sources of the bind `lxc.mount.entry` lines among `mounts`. */
export function bindEntrySources(mounts: readonly MountSpec[]): string[] {
  const sources = mounts.filter((m) => m.origin === 'entry' && isBindMount(m) && path.isAbsolute(m.fsname)).map((m) => m.fsname);
  return [...new Set(sources)];
}

async function describeSource(source: string): Promise<BindSourceFacts> {
  let symlink: boolean;
  try {
    symlink = (await lstat(source)).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return { source, exists: false, symlink: false };
    throw err;
  }
  // A dangling link exists as a link but leads nowhere: LXC's mount of it fails (or is skipped when optional).
  const real = await realpath(source).catch(() => undefined);
  return { source, exists: real !== undefined, symlink, ...(real !== undefined ? { realPath: real } : {}) };
}

/** lstat and realpath of each bind source. */
export function gatherBindSources(mounts: readonly MountSpec[], timeoutMs: number): Promise<Gathered<BindSourceFacts[]>> {
  return settle('bind mount sources', timeoutMs, () => Promise.all(bindEntrySources(mounts).map(describeSource)));
}

/**
 * The files CRIU reads before its command line, in its order (criu-facts.md
 * §3): /etc/criu/default.conf, $HOME/.criu/default.conf, $CRIU_CONFIG_FILE.
 * lxc-checkpoint passes no --config, so all three apply.
 */
export function criuConfigFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? os.homedir();
  const files = ['/etc/criu/default.conf', path.join(home, '.criu/default.conf')];
  if (env.CRIU_CONFIG_FILE) files.push(env.CRIU_CONFIG_FILE);
  return files;
}

export function gatherCriuConfig(env: NodeJS.ProcessEnv, timeoutMs: number, files = criuConfigFiles(env)): Promise<Gathered<{ files: string[]; argv: string[] }>> {
  return settle('CRIU config files', timeoutMs, async () => {
    const texts = await Promise.all(
      files.map((f) =>
        readFile(f, 'utf8').catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        }),
      ),
    );
    const found: string[] = [];
    const argv: string[] = [];
    texts.forEach((text, i) => {
      if (text === undefined) return;
      found.push(files[i]!);
      argv.push(...parseCriuConfig(text));
    });
    return { files: found, argv };
  });
}

/** Filesystems CRIU dumps only when they are empty (criu/filesystems.c dump_empty_fs). */
export const MUST_BE_EMPTY_FS = new Set(['mqueue', 'pstore']);

/**
 * The names in each mqueue and pstore mount of the running container (through /proc/INIT/root), so that the
 * doctor can say whether the dump would find them empty. Undefined when the container is not running or its
 * mount table is unknown; an unreadable directory is a failed fact.
 */
export function gatherMustBeEmpty(container: Pick<ContainerFacts, 'initPid' | 'mountinfo'>, timeoutMs: number, procRoot = '/proc'): Promise<ContainerFacts['mustBeEmpty']> | undefined {
  const { initPid } = container;
  const mounts = container.mountinfo.ok ? container.mountinfo.value.filter((m) => MUST_BE_EMPTY_FS.has(m.fstype)) : undefined;
  if (!initPid || !mounts) return undefined;
  return settle('mqueue and pstore contents', timeoutMs, async () => {
    const read = await Promise.allSettled(mounts.map(async (m) => ({ mountPoint: m.mountPoint, fstype: m.fstype, entries: (await readdir(path.join(procRoot, String(initPid), 'root', m.mountPoint))).sort() })));
    // The first failure in mount order, not the first to arrive: the same facts give the same reason.
    const failed = read.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return read.map((r) => (r as PromiseFulfilledResult<{ mountPoint: string; fstype: string; entries: string[] }>).value);
  });
}
