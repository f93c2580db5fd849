/**
 * The ground-truth matrix: lab containers (stock busybox + the baseline edits)
 * each put into ONE state by test/lab/helpers/ctcr-state.c, then asked of the
 * doctor and of a raw `lxc-checkpoint` dump + restore, each under a deadline.
 *
 * Used by test/lab/matrix.test.ts (which asserts agreement and writes
 * docs/ground-truth.md) and by `node dist/test/lab/matrix-run.js` (by hand).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import {
  closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  containerState, createContainer, destroyContainer, lxcTool, processesInPidns, refreshInitPid, rootErrorText,
  startContainer, stopContainer, LAB_TMP, type LabContainer,
} from '../../lab/index.js';
import { run, which } from '../../lab/exec.js';
import { editBaseline } from './baseline-edits.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (dist/test/lab -> ../../..). */
export const repoRoot = join(here, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'src', 'cli.js');
const helperSource = join(repoRoot, 'test', 'lab', 'helpers', 'ctcr-state.c');

/** Where the helper lives inside the container, and its output file. */
const HELPER_IN_CT = '/bin/ctcr-state';
const OUT_IN_CT = '/ctcr/state.out';
/** The bind-mounted host folder of the `bind-mount-file` state, inside the container. */
const BIND_IN_CT = 'ctcr-bind';

export interface StateDef {
  id: string;
  /** What the one change is, for the table. */
  what: string;
  /** ctcr-state arguments; none: the baseline, nothing started. */
  helper?: string[];
  /** Start the helper in the foreground of lxc-attach (the attached process stays a child of lxc-attach, outside init's tree). */
  attached?: boolean;
  /** A config change on top of the baseline (made while the container is stopped). */
  config?: (text: string, c: LabContainer, scratch: string) => string;
  /** Something on the host side, set up before the helper starts; returns its cleanup. */
  host?: (c: LabContainer, scratch: string) => Promise<() => Promise<void>>;
}

const unixServer = async (c: LabContainer): Promise<() => Promise<void>> => {
  const path = join(c.rootfs, 'ctcr', 'ext.sock');
  rmSync(path, { force: true });
  const conns: Array<{ destroy(): void }> = [];
  const server: Server = createServer((s) => conns.push(s));
  await new Promise<void>((resolve, reject) => server.listen(path, resolve).once('error', reject));
  return async () => {
    for (const s of conns) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(path, { force: true });
  };
};

/** The states. One change each on top of the dumpable baseline. */
export const STATES: StateDef[] = [
  { id: 'baseline', what: 'the baseline container, nothing added' },
  { id: 'sleep', what: 'the static helper sleeping (started with lxc-attach, daemonised)', helper: ['sleep'] },
  { id: 'lxc-attached', what: 'a process still attached: child of lxc-attach, outside the init tree', helper: ['sleep'], attached: true },
  { id: 'deleted-small', what: 'a deleted 16 KiB file held open', helper: ['deleted-small'] },
  { id: 'deleted-large', what: 'a deleted 4 MiB file held open (CRIU ghost limit 1 MiB; lxc-checkpoint passes none)', helper: ['deleted-large'] },
  { id: 'deleted-exe', what: 'a process whose executable was deleted', helper: ['deleted-exe'] },
  { id: 'cwd-deleted', what: 'a process whose cwd was removed', helper: ['cwd-deleted'] },
  { id: 'pidns', what: 'a nested pid namespace (unshare + child)', helper: ['pidns'] },
  { id: 'netns', what: 'a nested net namespace', helper: ['netns'] },
  { id: 'mntns', what: 'a nested mount namespace', helper: ['mntns'] },
  { id: 'utsns', what: 'a nested uts namespace', helper: ['utsns'] },
  { id: 'ipcns', what: 'a nested ipc namespace', helper: ['ipcns'] },
  { id: 'userns', what: 'a nested user namespace', helper: ['userns'] },
  { id: 'cgroupns', what: 'a nested cgroup namespace', helper: ['cgroupns'] },
  { id: 'timens', what: 'a nested time namespace (child inside it)', helper: ['timens'] },
  { id: 'zombie', what: 'a zombie child', helper: ['zombie'] },
  { id: 'stopped', what: 'a SIGSTOPped child', helper: ['stopped'] },
  { id: 'ptraced', what: 'a child ptrace-seized by its parent', helper: ['ptraced'] },
  { id: 'flock', what: 'a flock() lock', helper: ['flock'] },
  { id: 'posix-lock', what: 'a POSIX fcntl lock', helper: ['posix-lock'] },
  { id: 'ofd-lock', what: 'an OFD lock', helper: ['ofd-lock'] },
  { id: 'inotify', what: 'an inotify watch on /tmp', helper: ['inotify'] },
  { id: 'fanotify', what: 'a fanotify mark on /tmp', helper: ['fanotify'] },
  { id: 'io-uring', what: 'an io_uring instance', helper: ['io-uring'] },
  { id: 'perf-event', what: 'a perf_event_open descriptor', helper: ['perf-event'] },
  { id: 'userfaultfd', what: 'a userfaultfd', helper: ['userfaultfd'] },
  { id: 'bpf-map', what: 'a BPF array map', helper: ['bpf-map'] },
  { id: 'eventfd', what: 'an eventfd', helper: ['eventfd'] },
  { id: 'signalfd', what: 'a signalfd', helper: ['signalfd'] },
  { id: 'timerfd', what: 'an armed timerfd', helper: ['timerfd'] },
  { id: 'epoll', what: 'an epoll watching a pipe', helper: ['epoll'] },
  { id: 'memfd', what: 'a memfd, mapped shared', helper: ['memfd'] },
  { id: 'pidfd', what: 'a pidfd of a child', helper: ['pidfd'] },
  { id: 'fifo', what: 'a FIFO opened read-write', helper: ['fifo'] },
  { id: 'pipe', what: 'a pipe with unread data', helper: ['pipe'] },
  { id: 'unix-pair', what: 'a unix socketpair with unread data', helper: ['unix-pair'] },
  { id: 'unix-external', what: 'a unix socket connected to a listener outside the container', helper: ['unix-external', '/ctcr/ext.sock'], host: unixServer },
  { id: 'tcp-listen', what: 'a listening TCP socket on 127.0.0.1', helper: ['tcp-listen'] },
  { id: 'tcp-established', what: 'an established TCP connection over the container\'s loopback', helper: ['tcp-established'] },
  { id: 'udp', what: 'a bound UDP socket', helper: ['udp'] },
  { id: 'packet-socket', what: 'an AF_PACKET socket', helper: ['packet-socket'] },
  { id: 'netlink-unread', what: 'a NETLINK_ROUTE socket with an unread answer', helper: ['netlink-unread'] },
  { id: 'mqueue', what: 'a POSIX message queue holding a message', helper: ['mqueue'] },
  { id: 'sysv-shm', what: 'a SysV shared memory segment, attached', helper: ['sysv-shm'] },
  { id: 'sysv-sem', what: 'a SysV semaphore set', helper: ['sysv-sem'] },
  { id: 'sysv-msg', what: 'a SysV message queue holding a message', helper: ['sysv-msg'] },
  { id: 'tmpfs-mount', what: 'a tmpfs mounted inside the container', helper: ['mount', 'tmpfs', '/mnt/ctcr-tmpfs'] },
  { id: 'debugfs-mount', what: 'debugfs mounted inside the container', helper: ['mount', 'debugfs', '/mnt/ctcr-debugfs'] },
  { id: 'pstore-mount', what: 'pstore mounted inside the container', helper: ['mount', 'pstore', '/mnt/ctcr-pstore'] },
  {
    id: 'bind-mount-file', what: 'a file opened on a host folder bind-mounted by the config', helper: ['open-file', `/${BIND_IN_CT}/data`],
    config: (text, _c, scratch) => {
      const src = join(scratch, 'bind-src');
      mkdirSync(src, { recursive: true });
      writeFileSync(join(src, 'data'), 'host data\n');
      return `${text.replace(/\n?$/, '\n')}lxc.mount.entry = ${src} ${BIND_IN_CT} none bind,create=dir 0 0\n`;
    },
  },
  { id: 'seccomp', what: 'a task with a seccomp filter', helper: ['seccomp'] },
  { id: 'threads', what: 'a process with 200 threads', helper: ['threads'] },
  { id: 'children', what: '50 sleeping child processes', helper: ['children'] },
  { id: 'shared-anon', what: 'shared anonymous memory between parent and child', helper: ['shared-anon'] },
];

// --- the helper binary --------------------------------------------------------------

export interface Helper { path?: string; skip?: string }

/** Compiles ctcr-state with the host's gcc as a static binary, once per run. */
export async function buildHelper(): Promise<Helper> {
  const gcc = which('gcc');
  if (!gcc) return { skip: 'no gcc on PATH to build test/lab/helpers/ctcr-state.c' };
  mkdirSync(LAB_TMP, { recursive: true });
  const out = join(mkdtempSync(join(LAB_TMP, 'ctcr-state-')), 'ctcr-state');
  const r = await run(gcc, ['-static', '-O2', '-Wall', '-o', out, helperSource, '-lpthread', '-lrt'], { timeoutMs: 120_000 });
  if (!r.ok) return { skip: `gcc -static failed (no static libc?): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}` };
  return { path: out };
}

// --- containers -----------------------------------------------------------------------

/** A lab container with the baseline edits and the helper in its rootfs. */
export async function baselineContainer(helper: string): Promise<LabContainer> {
  const c = await createContainer({ start: false });
  try {
    writeFileSync(c.configPath, editBaseline(readFileSync(c.configPath, 'utf8')));
    mkdirSync(join(c.rootfs, 'ctcr'), { recursive: true });
    writeFileSync(join(c.rootfs, HELPER_IN_CT.slice(1)), readFileSync(helper), { mode: 0o755 });
    return c;
  } catch (e) {
    await destroyContainer(c).catch(() => undefined);
    throw e;
  }
}

/** Back to the baseline: stopped, the helper's files gone, the baseline config. */
async function reset(c: LabContainer, baselineConfig: string): Promise<void> {
  await stopContainer(c);
  writeFileSync(c.configPath, baselineConfig);
  for (const d of ['tmp', 'ctcr']) {
    const dir = join(c.rootfs, d);
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir)) if (e.startsWith('ctcr') || d === 'ctcr') rmSync(join(dir, e), { recursive: true, force: true });
  }
  mkdirSync(join(c.rootfs, 'ctcr'), { recursive: true });
}

// --- one state ------------------------------------------------------------------------

export interface Step {
  ok: boolean;
  hang: boolean;
  ms: number;
  root: string;
  logFile: string;
  detail: string;
}

export interface StateResult {
  id: string;
  what: string;
  /** Set when the state could not be set up here: the state is then not judged. */
  skipped?: string;
  doctor?: { verdict: string; errors: string[]; exit: number | undefined };
  dump?: Step;
  restore?: Step;
  /** The helper process was there again after the restore. */
  helperBack?: boolean;
  /** What `ctcr explain` names for the failed step's log. */
  explained?: string[];
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startHelper(c: LabContainer, args: string[], attached: boolean): Promise<{ pid?: number; error?: string; stop?: () => void }> {
  const outHost = join(c.rootfs, OUT_IN_CT.slice(1));
  rmSync(outHost, { force: true });
  let stop: (() => void) | undefined;
  if (attached) {
    const fd = openSync(outHost, 'w');
    const child = spawn('lxc-attach', ['-P', c.lxcpath, '-n', c.name, '--', HELPER_IN_CT, ...args], { detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.unref();
    stop = () => {
      try {
        if (child.pid) process.kill(child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    };
  } else {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = await lxcTool(c, 'lxc-attach', ['--', '/bin/sh', '-c', `cd / && setsid ${HELPER_IN_CT} ${quoted} </dev/null >${OUT_IN_CT} 2>&1 &`], 30_000);
    if (!r.ok) return { error: `lxc-attach failed: ${r.stderr || r.stdout}` };
  }
  for (let i = 0; i < 100; i++) {
    const out = existsSync(outHost) ? readFileSync(outHost, 'utf8') : '';
    const m = /^ready (\d+)/m.exec(out);
    if (m) return { pid: Number(m[1]), stop };
    const e = /^error .*$/m.exec(out);
    if (e) return { error: e[0], stop };
    await sleep(100);
  }
  return { error: `no "ready" from the helper in 10 s: ${existsSync(outHost) ? readFileSync(outHost, 'utf8') : ''}`, stop };
}

/** CRIU processes working on this images folder (lxc-checkpoint leaves them behind when it is killed). */
function criuOf(dir: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('criu')) && cmd.includes(dir)) pids.push(Number(e));
    } catch {
      /* exited */
    }
  }
  return pids;
}

/** Thaws the container's cgroups (v1 freezer and v2 cgroup.freeze) after a killed dump. */
export function thaw(name: string): string[] {
  const done: string[] = [];
  const tries: Array<[string, string]> = [
    [`/sys/fs/cgroup/freezer/lxc.payload.${name}/freezer.state`, 'THAWED'],
    [`/sys/fs/cgroup/unified/lxc.payload.${name}/cgroup.freeze`, '0'],
    [`/sys/fs/cgroup/lxc.payload.${name}/cgroup.freeze`, '0'],
  ];
  for (const [file, value] of tries) {
    if (!existsSync(file)) continue;
    try {
      writeFileSync(file, value);
      done.push(file);
    } catch {
      /* not writable here */
    }
  }
  return done;
}

async function checkpoint(c: LabContainer, dir: string, action: 'dump' | 'restore', deadlineMs: number): Promise<Step> {
  const args = action === 'dump' ? ['-s', '-D', dir] : ['-r', '-D', dir];
  const t0 = performance.now();
  const r = await lxcTool(c, 'lxc-checkpoint', args, deadlineMs);
  let detail = '';
  if (r.timedOut) {
    const left = criuOf(dir);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    const thawed = thaw(c.name);
    detail = `killed after ${Math.round(deadlineMs / 1000)} s (criu pids ${left.join(',') || 'none'}), thawed ${thawed.length} cgroup(s)`;
  }
  const logFile = join(dir, `${action}.log`);
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  return {
    ok: r.ok,
    hang: r.timedOut,
    ms: performance.now() - t0,
    root: r.ok ? '' : (rootErrorText(log || r.stderr) || (r.stderr || r.stdout).trim().split('\n').pop() || `exit ${r.code}`),
    logFile: existsSync(logFile) ? logFile : '',
    detail,
  };
}

async function doctor(c: LabContainer): Promise<StateResult['doctor']> {
  const r = await run(process.execPath, [cli, 'doctor', c.name, '-P', c.lxcpath, '--format', 'json'], { timeoutMs: 120_000 });
  try {
    const j = JSON.parse(r.stdout) as { results: Array<{ target: string; verdict: string; findings: Array<{ ruleId: string; severity: string }> }> };
    const mine = j.results.find((x) => x.target === c.name);
    const host = j.results.find((x) => x.target === 'host');
    const findings = [...(host?.findings ?? []), ...(mine?.findings ?? [])].filter((f) => f.severity === 'error');
    const notReady = j.results.some((x) => x.verdict !== 'READY');
    return { verdict: notReady ? 'NOT READY' : 'READY', errors: [...new Set(findings.map((f) => f.ruleId))], exit: r.code };
  } catch {
    return { verdict: `unreadable (exit ${r.code}): ${(r.stderr || r.stdout).slice(0, 200)}`, errors: [], exit: r.code };
  }
}

async function explain(logFile: string): Promise<string[]> {
  const r = await run(process.execPath, [cli, 'explain', logFile, '--format', 'json'], { timeoutMs: 60_000 });
  const ids = new Set<string>();
  for (const m of r.stdout.matchAll(/"ruleId":\s*"([^"]+)"/g)) ids.add(m[1]!);
  return [...ids];
}

export interface RunOptions {
  dumpDeadlineMs?: number;
  restoreDeadlineMs?: number;
  log?: (line: string) => void;
}

/** Runs one state on a baseline container (which it resets first) and leaves the container stopped or running. */
export async function runState(c: LabContainer, s: StateDef, baselineConfig: string, opts: RunOptions = {}): Promise<StateResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => undefined);
  const res: StateResult = { id: s.id, what: s.what, ms: 0 };
  mkdirSync(LAB_TMP, { recursive: true });
  const scratch = mkdtempSync(join(LAB_TMP, `matrix-${s.id}-`));
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    await reset(c, baselineConfig);
    if (s.config) writeFileSync(c.configPath, s.config(baselineConfig, c, scratch));
    await startContainer(c);
    if (s.host) cleanups.push(await s.host(c, scratch));
    if (s.helper) {
      const h = await startHelper(c, s.helper, Boolean(s.attached));
      if (h.stop) cleanups.push(h.stop);
      if (h.error) {
        res.skipped = `setup failed: ${h.error}`;
        return res;
      }
      await sleep(300);
    }
    res.doctor = await doctor(c);
    const dir = join(scratch, 'images');
    mkdirSync(dir);
    res.dump = await checkpoint(c, dir, 'dump', opts.dumpDeadlineMs ?? 60_000);
    if (res.dump.ok) {
      res.restore = await checkpoint(c, dir, 'restore', opts.restoreDeadlineMs ?? 60_000);
      if (res.restore.ok) {
        const state = await containerState(c);
        if (state !== 'RUNNING') {
          res.restore.ok = false;
          res.restore.root = `lxc-checkpoint -r exited 0 but the container is ${state}`;
        } else if (s.helper) {
          await refreshInitPid(c);
          res.helperBack = processesInPidns(c.initPid).some((p) => p.comm.startsWith('ctcr-state'));
          if (!res.helperBack && !s.attached) {
            res.restore.ok = false;
            res.restore.root = 'restored, but the helper process is not in the container any more';
          }
        }
      }
    }
    const failed = res.dump.ok ? (res.restore && !res.restore.ok ? res.restore : undefined) : res.dump;
    if (failed?.logFile) res.explained = await explain(failed.logFile);
    return res;
  } finally {
    for (const f of cleanups.reverse()) await f();
    res.ms = performance.now() - t0;
    log(`${s.id}: ${describe(res)}`);
    // keep the images of failures for a look by hand only when asked
    if (!process.env.CTCR_MATRIX_KEEP) rmSync(scratch, { recursive: true, force: true });
    else log(`  kept ${scratch}`);
  }
}

export function criuDid(r: StateResult): string {
  if (r.skipped) return 'not run';
  if (!r.dump) return '?';
  if (r.dump.hang) return 'dump hang';
  if (!r.dump.ok) return 'dump failed';
  if (!r.restore) return 'dumped';
  if (r.restore.hang) return 'restore hang';
  return r.restore.ok ? 'dump + restore ok' : 'restore failed';
}

/** CRIU worked for this state: both steps succeeded. */
export const criuWorked = (r: StateResult): boolean => Boolean(r.dump?.ok && r.restore?.ok);

/** The doctor and CRIU agree: READY exactly when dump and restore both worked. */
export const agrees = (r: StateResult): boolean => (r.doctor?.verdict === 'READY') === criuWorked(r);

export function describe(r: StateResult): string {
  if (r.skipped) return `SKIPPED (${r.skipped})`;
  const failed = r.dump && !r.dump.ok ? r.dump : r.restore && !r.restore.ok ? r.restore : undefined;
  return [
    `doctor ${r.doctor?.verdict}${r.doctor?.errors.length ? ` [${r.doctor.errors.join(', ')}]` : ''}`,
    `CRIU ${criuDid(r)}`,
    failed ? `root: ${failed.root}${failed.detail ? ` (${failed.detail})` : ''}` : '',
    r.explained ? `explain: ${r.explained.join(', ') || 'nothing'}` : '',
    agrees(r) ? 'AGREE' : 'DISAGREE',
    `${(r.ms / 1000).toFixed(1)} s`,
  ].filter(Boolean).join(' | ');
}

/** Runs the states on `workers` baseline containers in parallel; destroys them afterwards. */
export async function runMatrix(helper: string, states: StateDef[], workers: number, opts: RunOptions = {}): Promise<StateResult[]> {
  const queue = [...states];
  const results: StateResult[] = [];
  const containers: LabContainer[] = [];
  try {
    await Promise.all(Array.from({ length: Math.min(workers, states.length) }, async () => {
      const c = await baselineContainer(helper);
      containers.push(c);
      const baselineConfig = readFileSync(c.configPath, 'utf8');
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          results.push(await runState(c, s, baselineConfig, opts));
        } catch (e) {
          results.push({ id: s.id, what: s.what, skipped: `harness error: ${(e as Error).message.split('\n')[0]}`, ms: 0 });
          opts.log?.(`${s.id}: harness error ${(e as Error).message}`);
        }
      }
    }));
  } finally {
    for (const c of containers) {
      await stopContainer(c).catch(() => undefined);
      await destroyContainer(c).catch(() => undefined);
    }
  }
  const order = new Map(states.map((s, i) => [s.id, i]));
  return results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** docs/ground-truth.md */
export function groundTruthMarkdown(results: StateResult[], header: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = results.map((r) => {
    const failed = r.dump && !r.dump.ok ? r.dump : r.restore && !r.restore.ok ? r.restore : undefined;
    const rule = r.doctor?.errors.join(', ') || '—';
    const did = criuDid(r) + (failed ? `: \`${esc(failed.root).slice(0, 160)}\`` : '');
    const verdict = r.skipped ? `not run (${esc(r.skipped).slice(0, 100)})` : r.doctor?.verdict ?? '?';
    const mark = r.skipped ? '' : agrees(r) ? 'yes' : '**NO**';
    return `| ${r.id} | ${esc(r.what)} | ${verdict} | ${did} | ${rule} | ${r.explained?.join(', ') || (failed ? 'nothing' : '—')} | ${mark} |`;
  });
  return [
    header,
    '',
    '| state | the one change | doctor | CRIU did | rule (doctor errors) | `ctcr explain` of the failed log | agree |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
