/**
 * A gatherer for the fixer's one live question: is this container running?
 * (LXC reads its config at start, so a fix to a running container's config
 * takes effect at its next restart.) `lxc-info` answers when it is
 * installed; otherwise the container's monitor process, which LXC names
 * `[lxc monitor] <lxcpath> <name>`, is looked for in /proc.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Gathered } from '../types.js';
import { run } from '../gather/exec.js';

async function monitorRunning(name: string, lxcpath: string): Promise<boolean> {
  const wanted = `[lxc monitor] ${path.resolve(lxcpath)} ${name}`;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    // LXC writes the title over argv[0]: compare the first NUL-terminated string.
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0')[0].trim() === wanted) return true;
  }
  return false;
}

/** The container's state (RUNNING, STOPPED, FROZEN...) or why it could not be told. */
export async function containerRunState(name: string, lxcpath: string): Promise<Gathered<string>> {
  const r = await run('lxc-info', ['-s', '-H', '-P', lxcpath, '-n', name], { timeoutMs: 10_000 });
  if (r.ok && r.stdout.trim()) return { ok: true, value: r.stdout.trim() };
  try {
    return { ok: true, value: (await monitorRunning(name, lxcpath)) ? 'RUNNING' : 'STOPPED' };
  } catch (err) {
    return { ok: false, reason: `state of ${name}: ${r.reason || (err as Error).message}` };
  }
}

/** Name and lxcpath of a container whose config is `<lxcpath>/<name>/config`, as LXC lays them out. */
export function containerOfConfig(configPath: string): { name: string; lxcpath: string } | undefined {
  if (path.basename(configPath) !== 'config') return undefined;
  const dir = path.dirname(path.resolve(configPath));
  return { name: path.basename(dir), lxcpath: path.dirname(dir) };
}
