/**
 * The lab's bridge. It has no uplink (no physical port, no address, no NAT), so
 * whatever the containers send (busybox's udhcpc broadcasts) stays on this machine.
 */
import { run, runOk } from './exec.js';

export interface BridgeInfo {
  name: string;
  exists: boolean;
  up: boolean;
  ports: string[];
}

export async function bridgeInfo(name: string): Promise<BridgeInfo> {
  const r = await run('ip', ['-j', 'link', 'show', 'dev', name]);
  if (!r.ok) return { name, exists: false, up: false, ports: [] };
  const link = (JSON.parse(r.stdout) as Array<{ flags?: string[] }>)[0];
  const p = await run('ip', ['-j', 'link', 'show', 'master', name]);
  const ports = p.ok ? (JSON.parse(p.stdout || '[]') as Array<{ ifname: string }>).map((l) => l.ifname) : [];
  return { name, exists: true, up: Boolean(link?.flags?.includes('UP')), ports };
}

/** Creates it if missing (returns true then) and brings it up. */
export async function ensureBridge(name: string): Promise<boolean> {
  let created = false;
  if (!(await bridgeInfo(name)).exists) {
    await runOk('ip', ['link', 'add', name, 'type', 'bridge']);
    created = true;
  }
  await runOk('ip', ['link', 'set', 'dev', name, 'up']);
  return created;
}

export async function deleteBridge(name: string): Promise<void> {
  if ((await bridgeInfo(name)).exists) await runOk('ip', ['link', 'del', 'dev', name]);
}
