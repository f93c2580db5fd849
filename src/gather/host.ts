/**
 * Live facts about the host: kernel, CRIU, the helper programs CRIU runs,
 * cgroups, bridges, AppArmor, LXC. Every probe runs at once and settles on
 * its own: one that fails or hangs becomes `{ ok: false, reason }`, the
 * others still answer. The slowest probe (usually `criu check`) sets the time.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CriuFacts, Gathered, HostFacts, HostMount } from '../types.js';
import { findOnPath, run, settle, type ExecResult } from './exec.js';
import { parseCriuVersionInfo, parseIpVersion, parseKernelRelease, parseLxcVersion } from '../criu/version.js';
import { parseCriuCheckOutput, parseFeatureCheck } from '../criu/check.js';
import { cgroupMounts, parseMountInfo } from './procfs.js';
import { currentEuid } from './lxcpath.js';

/**
 * Features probed with `criu check --feature NAME` by default: those the
 * rules read (network-lock-unavailable, bind-mount-restore). Each probe is
 * one criu process doing CRIU's whole kernel-feature detection, and they run
 * beside `criu check`, so the list is kept to what rules use. (`--feature
 * list` was removed from CRIU in 2016, so the names are fixed here; a name
 * newer than the installed CRIU answers "Unknown feature" and is recorded in
 * `unknownFeatures`.)
 */
export const DEFAULT_CRIU_FEATURES: readonly string[] = [
  'network_lock_nftables', // `--network-lock nftables`, the way out when iptables-restore is missing (CRIU >= 3.16 with libnftables)
  'move_mount_set_group', // the mount-v2 engine, whose move_mount failures need --mntns-compat-mode (CRIU >= 3.17, kernel >= 5.15)
];

/** Programs CRIU or LXC run during a checkpoint that rules or the command builder ask about, looked up on PATH. */
export const HOST_TOOLS: readonly string[] = [
  'tar', // tmpfs contents
  'iptables-restore', // the default network lock (run by that name, not through CR_IPTABLES)
  'ip6tables-restore', // the same, for IPv6
  'lxc-checkpoint', // lxc-missing
];

/** Environment variables that change which programs CRIU runs or which options it reads. */
export const CRIU_ENV_VARS: readonly string[] = ['CR_IP_TOOL', 'CR_IPTABLES', 'CR_IP6TABLES', 'CRIU_CONFIG_FILE', 'PATH'];

export interface HostGatherOptions {
  env: NodeJS.ProcessEnv;
  /** Limit for each probe (and each program it runs). */
  timeoutMs: number;
  /** Features for `criu check --feature`; default DEFAULT_CRIU_FEATURES. */
  features?: readonly string[];
  /** Where /proc and /sys are read from (tests point these at recorded trees). */
  procDir?: string;
  sysDir?: string;
}

/** Gathers every host fact at once. Never throws. */
export async function gatherHost(opts: HostGatherOptions): Promise<HostFacts> {
  const env = opts.env;
  const proc = opts.procDir ?? '/proc';
  const sys = opts.sysDir ?? '/sys';
  const timings: Record<string, number> = {};
  // The exec'd programs time out at timeoutMs themselves; the margin lets their more precise reason win.
  const limit = opts.timeoutMs + 250;
  const timed = <T>(key: string, what: string, probe: () => Promise<T>): Promise<Gathered<T>> => {
    const started = performance.now();
    return settle(what, limit, probe).finally(() => {
      timings[key] = Math.round((performance.now() - started) * 10) / 10;
    });
  };

  const [kernel, criu, ip, tools, cgroups, bridges, apparmor, lxc, mounts] = await Promise.all([
    timed('kernel', 'kernel version', async () => gatherKernel()),
    timed('criu', 'criu', () => gatherCriu(env, opts.timeoutMs, opts.features ?? DEFAULT_CRIU_FEATURES)),
    timed('ip', 'ip tool', () => gatherIp(env, opts.timeoutMs)),
    timed('tools', 'helper programs', () => gatherTools(env)),
    timed('cgroups', 'cgroup mounts', () => gatherCgroups(proc)),
    timed('bridges', 'bridges', () => gatherBridges(sys)),
    timed('apparmor', 'AppArmor', () => gatherAppArmor(sys)),
    timed('lxc', 'LXC', () => gatherLxc(env, opts.timeoutMs)),
    timed('mounts', 'host mount table', () => gatherHostMounts(proc)),
  ]);

  const envFacts: Record<string, string | undefined> = {};
  for (const key of CRIU_ENV_VARS) envFacts[key] = env[key];
  return {
    kernel, criu, ip, tools, cgroups, bridges, apparmor, lxc, mounts,
    env: envFacts,
    euid: currentEuid(),
    timings,
  };
}

// ---------------------------------------------------------------------------

function gatherKernel(): ValueOf<HostFacts['kernel']> {
  const release = os.release();
  const version = parseKernelRelease(release);
  if (!version) throw new Error(`cannot read a version in kernel release "${release}"`);
  return { release, version, arch: os.machine() };
}

/** First lines of a failed program's output, for a reason that says what it printed. */
function outputExcerpt(r: ExecResult, lines = 3): string {
  const text = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return text.length ? `: ${text.slice(0, lines).join(' | ')}` : '';
}

export type FeatureAnswer = { kind: 'supported' } | { kind: 'unsupported'; detail: string } | { kind: 'unknown-feature' } | { kind: 'undetermined'; reason: string };

/** The answer of a run of `criu check --feature NAME`: no answer when it timed out or did not exit; else what its output says (parseFeatureCheck). */
export function parseFeatureAnswer(feature: string, r: ExecResult): FeatureAnswer {
  if (r.timedOut || r.exitCode === undefined) return { kind: 'undetermined', reason: r.reason };
  const output = `${r.stdout}\n${r.stderr}`;
  const check = parseFeatureCheck(feature, output, r.exitCode);
  if (check.supported) return { kind: 'supported' };
  if (check.unknownFeature) return { kind: 'unknown-feature' };
  if (check.cannotProbe) return { kind: 'undetermined', reason: check.cannotProbe };
  return { kind: 'unsupported', detail: output.trim() };
}

async function gatherCriu(env: NodeJS.ProcessEnv, timeoutMs: number, features: readonly string[]): Promise<CriuFacts | null> {
  const criuPath = await findOnPath('criu', env);
  if (!criuPath) return null;
  // Without CRIU_CONFIG_FILE: that file belongs to one command (a restore-only option in it makes
  // `criu check` fail), and the command builder carries its valid options over. It is still read as a
  // fact (criuConfig), and recorded in env.
  const { CRIU_CONFIG_FILE: _oneCommandsFile, ...checkEnv } = env;
  const opts = { env: checkEnv, timeoutMs };
  const [versionRun, checkRun, ...featureRuns] = await Promise.all([
    run(criuPath, ['--version'], opts),
    run(criuPath, ['check'], opts),
    ...features.map((f) => run(criuPath, ['check', '--feature', f], opts)),
  ]);
  if (!versionRun.ok) throw new Error(`${versionRun.reason}${outputExcerpt(versionRun)}`);
  const parsed = parseCriuVersionInfo(versionRun.stdout);
  if (!parsed) throw new Error(`cannot read a version in the output of ${criuPath} --version: "${versionRun.stdout.trim()}"`);
  if (checkRun.timedOut || checkRun.exitCode === undefined) throw new Error(checkRun.reason);

  const checkOutput = [checkRun.stdout.trim(), checkRun.stderr.trim()].filter((t) => t !== '').join('\n');
  const facts: CriuFacts = {
    path: criuPath,
    version: parsed.version,
    ...(parsed.gitId ? { gitId: parsed.gitId } : {}),
    checkOk: parseCriuCheckOutput(checkOutput, checkRun.exitCode).ok,
    checkOutput,
    checkExitCode: checkRun.exitCode,
    features: {},
  };
  const unknown: string[] = [];
  const errors: Record<string, string> = {};
  features.forEach((name, i) => {
    const answer = parseFeatureAnswer(name, featureRuns[i]);
    if (answer.kind === 'supported') facts.features[name] = true;
    else if (answer.kind === 'unsupported') facts.features[name] = false;
    else if (answer.kind === 'unknown-feature') {
      facts.features[name] = false;
      unknown.push(name);
    } else errors[name] = answer.reason;
  });
  if (unknown.length) facts.unknownFeatures = unknown;
  if (Object.keys(errors).length) facts.featureErrors = errors;
  return facts;
}

/** The value type of a Gathered<T>. */
type ValueOf<G> = G extends { ok: true; value: infer T } ? T : never;

async function gatherIp(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ValueOf<HostFacts['ip']>> {
  // CRIU execvp()s getenv("CR_IP_TOOL") ?: "ip" (criu/net.c run_ip_tool).
  const fromEnv = env.CR_IP_TOOL !== undefined && env.CR_IP_TOOL !== '';
  const name = fromEnv ? env.CR_IP_TOOL! : 'ip';
  const ipPath = await findOnPath(name, env);
  if (!ipPath) return null;
  const r = await run(ipPath, ['-V'], { env, timeoutMs });
  if (!r.ok) throw new Error(`${r.reason}${outputExcerpt(r)}`);
  const raw = (r.stdout.trim() || r.stderr.trim());
  // Old iproute2 printed a date (iproute2-ss130716); the version is then inferred from it.
  const snapshot = /iproute2-ss(\d{6})/.exec(raw)?.[1];
  return {
    path: ipPath,
    version: parseIpVersion(raw),
    raw,
    ...(snapshot ? { snapshot } : {}),
    ...(fromEnv ? { fromEnv: true } : {}),
  };
}

async function gatherTools(env: NodeJS.ProcessEnv): Promise<Record<string, string | null>> {
  const found = await Promise.all(HOST_TOOLS.map((t) => findOnPath(t, env)));
  return Object.fromEntries(HOST_TOOLS.map((t, i) => [t, found[i]]));
}

async function gatherCgroups(proc: string): Promise<ValueOf<HostFacts['cgroups']>> {
  const text = await readFile(path.join(proc, 'self/mountinfo'), 'utf8');
  return cgroupMounts(parseMountInfo(text));
}

async function gatherHostMounts(proc: string): Promise<HostMount[]> {
  const text = await readFile(path.join(proc, 'self/mountinfo'), 'utf8');
  return parseMountInfo(text).map((m) => ({ mountPoint: m.mountPoint, root: m.root, fstype: m.fstype, source: m.source }));
}

async function gatherBridges(sys: string): Promise<string[]> {
  const netDir = path.join(sys, 'class/net');
  const names = await readdir(netDir);
  const isBridge = await Promise.all(names.map((n) => exists(path.join(netDir, n, 'bridge'))));
  return names.filter((_, i) => isBridge[i]).sort();
}

async function gatherAppArmor(sys: string): Promise<{ enabled: boolean; securityfs: boolean; moduleEnabled: boolean | null }> {
  const [securityfs, moduleEnabled] = await Promise.all([
    // What CRIU tests (criu/lsm.c: access("/sys/kernel/security/apparmor")).
    exists(path.join(sys, 'kernel/security/apparmor')),
    // What LXC tests (/sys/module/apparmor/parameters/enabled == 'Y').
    readFile(path.join(sys, 'module/apparmor/parameters/enabled'), 'utf8').then(
      (t) => t.trim() === 'Y',
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      },
    ),
  ]);
  return { enabled: securityfs, securityfs, moduleEnabled };
}

async function gatherLxc(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ValueOf<HostFacts['lxc']>> {
  const [start, info] = await Promise.all(['lxc-start', 'lxc-info'].map((t) => findOnPath(t, env)));
  const versionTool = start ?? info;
  if (!versionTool) return null;
  const versionRun = await run(versionTool, ['--version'], { env, timeoutMs });
  if (versionRun.timedOut) throw new Error(versionRun.reason);
  return { version: versionRun.ok ? parseLxcVersion(versionRun.stdout) : null, path: versionTool };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return false;
    throw err;
  });
}
