/** The processes of a container, read from /proc by PID namespace. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcInfo {
  /** Host PID. */
  pid: number;
  /** PID inside the container's PID namespace (last NSpid field). */
  nspid: number;
  ppid: number;
  comm: string;
  cmdline: string;
}

function pidns(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

export function procInfo(pid: number): ProcInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const nspid = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/).map(Number) ?? [pid];
    const ppid = Number(/^PPid:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, nspid: nspid.at(-1)!, ppid, comm, cmdline };
  } catch {
    return undefined; // exited while we looked
  }
}

/** Every process in the same PID namespace as `initPid`, sorted by in-namespace PID. */
export function processesInPidns(initPid: number): ProcInfo[] {
  const ns = pidns(initPid);
  if (!ns) return [];
  const out: ProcInfo[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pidns(pid) !== ns) continue;
    const p = procInfo(pid);
    if (p) out.push(p);
  }
  return out.sort((a, b) => a.nspid - b.nspid);
}

/** A comparable fingerprint of the tree: `nspid comm cmdline` per process. */
export function treeKey(procs: ProcInfo[]): string[] {
  return procs.map((p) => `${p.nspid}\t${p.comm}\t${p.cmdline}`);
}

/** Waits until the tree has more than init and is unchanged over `samples` reads `intervalMs` apart. */
export async function waitForStableTree(initPid: number, timeoutMs = 15_000, samples = 3, intervalMs = 200): Promise<ProcInfo[]> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let same = 0;
  for (;;) {
    const procs = processesInPidns(initPid);
    const key = treeKey(procs).join('\n');
    same = key === last && procs.length > 1 ? same + 1 : 0;
    last = key;
    if (same >= samples - 1) return procs;
    if (Date.now() > deadline) throw new Error(`process tree of PID ${initPid} did not settle: ${key.replace(/\n/g, ' | ')}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
