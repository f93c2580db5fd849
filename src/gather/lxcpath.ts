/**
 * Where LXC keeps its containers, found the way LXC finds it, and what a
 * container's name may be. One answer for every command: doctor, fix,
 * checkpoint, restore and lint's no-argument default all ask here.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A container name ctcr accepts: a single folder of the lxcpath. LXC itself
 * only refuses a `/`; the characters outside this set are the ones a shell
 * or a path would misread.
 */
const CONTAINER_NAME = /^[A-Za-z0-9_.+-]+$/;

export function isContainerName(name: string): boolean {
  return CONTAINER_NAME.test(name) && name !== '.' && name !== '..';
}

/** `lxc.lxcpath = X` from an LXC global config file (last one wins, trailing slashes dropped), or null. */
export function lxcpathFromGlobalConfig(text: string): string | null {
  let value: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*lxc\.lxcpath\s*=\s*(.*?)\s*$/.exec(line);
    if (m) value = m[1].replace(/\/+$/, '') || '/';
  }
  return value;
}

/** LXC's own default lxcpath: /var/lib/lxc for root, ~/.local/share/lxc otherwise (see lxc-facts §5). */
export function defaultLxcpath(env: NodeJS.ProcessEnv, euid: number | undefined): string {
  if (euid === 0 || euid === undefined) return '/var/lib/lxc';
  return path.join(env.HOME ?? os.homedir(), '.local/share/lxc');
}

export const currentEuid = (): number | undefined => (typeof process.geteuid === 'function' ? process.geteuid() : undefined);

/**
 * LXC's lxcpath without running lxc-config (one process less on every
 * command): `lxc.lxcpath` of LXC's global config (/etc/lxc/lxc.conf for
 * root, ~/.config/lxc/lxc.conf otherwise), else LXC's usual default. An LXC
 * built with another prefix has another default: -P names it then.
 */
export async function resolveLxcpath(env: NodeJS.ProcessEnv, euid = currentEuid()): Promise<string> {
  const globalConfig = euid === 0 || euid === undefined ? '/etc/lxc/lxc.conf' : path.join(env.HOME ?? os.homedir(), '.config/lxc/lxc.conf');
  const text = await readFile(globalConfig, 'utf8').catch(() => '');
  return lxcpathFromGlobalConfig(text) ?? defaultLxcpath(env, euid);
}
