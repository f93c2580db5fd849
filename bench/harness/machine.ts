/** The machine a run was measured on, for the report: figures only compare within one kind of machine. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  os: string;
  node: string;
  /** Tools the measurements compare with, first line of their version output; null when absent. */
  tools: Record<string, string | null>;
  /** 1-minute load average when the run started: a busy machine shows here. */
  loadAtStart: number;
}

function firstLine(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return null;
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    // CRIU prints a harmless rlimit error on every run on this machine kind.
    .filter((l) => l && !/RLIMIT_NOFILE/.test(l));
  return text[0] ?? null;
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1]!;
  } catch {
    /* not Linux, or a minimal image */
  }
  return `${os.type()} ${os.release()}`;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    os: osName(),
    node: process.version,
    tools: {
      tar: firstLine('tar', ['--version']),
      gzip: firstLine('gzip', ['--version']),
      criu: firstLine('criu', ['--version']),
      lxc: firstLine('lxc-start', ['--version']),
      time: firstLine('/usr/bin/time', ['--version']),
    },
    loadAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function machineLines(m: Machine): string[] {
  const tools = Object.entries(m.tools)
    .map(([k, v]) => `${k} ${v ?? '(not installed)'}`)
    .join('; ');
  return [
    `CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memoryGiB} GiB`,
    `OS: ${m.os}, kernel ${m.kernel}; Node ${m.node}`,
    `Tools: ${tools}`,
    `Load average (1 min) at start: ${m.loadAtStart}`,
  ];
}
