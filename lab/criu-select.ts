/**
 * Picks a CRIU that really works on the running kernel. `criu check` alone is
 * not enough: trixie's 4.1.1 says "Looks good." on kernel >= 6.16 yet cannot
 * dump any inet/packet socket (getsockopt SO_PASSCRED became unix/netlink-only).
 * So each candidate must pass `criu check` AND a trial dump of a small process
 * holding a socket. Candidates, in order: a criu already on PATH, then the
 * system's suite, then newer suites (trixie, sid; CTCR_LAB_CRIU_SUITES overrides).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { aptUpdate, candidateVersion, dependencyClosure, download, privateApt } from './apt-private.js';
import { systemCodename } from './apt-sources.js';
import { locate, unpack, wrapperText, writeWrapper } from './criu-prefix.js';
import { rootErrorText } from './criu-log.js';
import { run, which } from './exec.js';
import { LAB_APT_DIR, LAB_OPT, LAB_TMP, WRAPPER_MARKER } from './paths.js';
import type { CriuCandidate, CriuChoice, LabState } from './state.js';

type Log = (msg: string) => void;

export function candidateSuites(): string[] {
  const env = process.env.CTCR_LAB_CRIU_SUITES?.split(',').map((s) => s.trim()).filter(Boolean);
  const list = env?.length ? env : [systemCodename(), 'trixie', 'sid'];
  return [...new Set(list)];
}

export function isOurWrapper(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes(WRAPPER_MARKER);
  } catch {
    return false;
  }
}

export async function criuVersion(criu: string): Promise<string | undefined> {
  const r = await run(criu, ['--version'], { timeoutMs: 20_000 });
  return /Version:\s*(\S+)/.exec(r.stdout + r.stderr)?.[1];
}

function socketFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return 0;
  }
}

/**
 * Dumps a busybox httpd listening on 127.0.0.1 (an inet socket; nothing is
 * sent). It runs in its own session (spawn detached = setsid) with stdio on
 * files, so no --shell-job is needed. The dump kills it; we make sure anyway.
 */
export async function trialDump(criu: string): Promise<{ ok: boolean; detail: string }> {
  const busybox = which('busybox');
  if (!busybox) return { ok: false, detail: 'busybox not found for the trial process' };
  mkdirSync(LAB_TMP, { recursive: true });
  const dir = mkdtempSync(join(LAB_TMP, 'trial-'));
  const out = openSync(join(dir, 'trial.out'), 'w');
  const child = spawn(busybox, ['httpd', '-f', '-p', '127.0.0.1:0'], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const pid = child.pid!;
  try {
    const t0 = Date.now();
    while (socketFds(pid) === 0 && Date.now() - t0 < 5_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    if (socketFds(pid) === 0) return { ok: false, detail: 'trial process did not open its socket' };
    const img = join(dir, 'img');
    mkdirSync(img);
    const r = await run(criu, ['dump', '-t', String(pid), '-D', img, '-o', 'dump.log'], { timeoutMs: 60_000 });
    const log = existsSync(join(img, 'dump.log')) ? readFileSync(join(img, 'dump.log'), 'utf8') : r.stderr;
    return r.ok
      ? { ok: true, detail: 'dumped a process holding a TCP socket' }
      : { ok: false, detail: rootErrorText(log) };
  } finally {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* the dump already killed it */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `criu check`, then the trial dump. */
export async function evaluate(criu: string): Promise<Pick<CriuCandidate, 'ok' | 'stage' | 'detail' | 'version'>> {
  const version = await criuVersion(criu);
  if (!version) return { ok: false, stage: 'check', detail: `${criu} --version printed no version`, version };
  const c = await run(criu, ['check'], { timeoutMs: 60_000 });
  const out = `${c.stdout}\n${c.stderr}`;
  if (!c.ok || !/Looks good/.test(out)) return { ok: false, stage: 'check', detail: `criu check: ${rootErrorText(out)}`, version };
  const t = await trialDump(criu);
  if (!t.ok) return { ok: false, stage: 'trial-dump', detail: `criu check passed; trial dump: ${t.detail}`, version };
  return { ok: true, stage: 'ok', detail: `criu check: Looks good.; trial dump: ${t.detail}`, version };
}

/** Fetches criu + libcompel1 + the suite's libc and their library closure into LAB_OPT/criu-<suite>. */
async function fetchSuite(suite: string, state: LabState, save: () => void, log: Log) {
  const apt = await privateApt(suite);
  log(`criu candidate ${suite}: apt update (private state)`);
  await aptUpdate(apt);
  const v = await candidateVersion(apt, 'criu');
  if (!v) throw new Error(`suite ${suite} has no criu package`);
  // libcompel1 is a separate package only from CRIU 3.18 on
  const roots = ['criu', 'libc6'];
  if (await candidateVersion(apt, 'libcompel1')) roots.push('libcompel1');
  const pkgs = await dependencyClosure(apt, roots);
  log(`criu candidate ${suite}: criu ${v}, downloading ${pkgs.length} packages: ${pkgs.join(' ')}`);
  const debs = await download(apt, pkgs);
  const prefix = join(LAB_OPT, `criu-${suite}`);
  if (!state.prefixes.includes(prefix)) state.prefixes.push(prefix);
  save(); // recorded before unpacking, so `down` removes a half-made prefix too
  await unpack(debs, prefix);
  const loc = locate(prefix);
  writeWrapper(loc.wrapper, wrapperText(loc, `criu ${v} from suite ${suite}, unpacked in ${prefix}`));
  return loc;
}

export async function selectCriu(state: LabState, save: () => void, log: Log): Promise<CriuChoice> {
  const candidates: CriuCandidate[] = [];
  const onPath = which('criu');
  if (onPath && !isOurWrapper(onPath)) {
    const t0 = performance.now();
    const e = await evaluate(onPath);
    candidates.push({ name: `preinstalled:${onPath}`, ...e, ms: performance.now() - t0 });
    log(`criu candidate ${onPath}: ${e.ok ? 'OK' : 'rejected'}: ${e.detail}`);
    if (e.ok) return { version: e.version!, path: onPath, candidates };
  }
  try {
    for (const suite of candidateSuites()) {
      const t0 = performance.now();
      let loc;
      try {
        loc = await fetchSuite(suite, state, save, log);
      } catch (err) {
        // the tool's own words (apt's "E: ..."), not the long command line before them
        const lines = (err as Error).message.split('\n');
        const detail = (lines.length > 1 ? lines.slice(1) : lines).join(' | ').slice(0, 400);
        candidates.push({ name: `suite:${suite}`, suite, ok: false, stage: 'download', detail, ms: performance.now() - t0 });
        log(`criu candidate ${suite}: rejected: ${detail}`);
        continue;
      }
      const e = await evaluate(loc.wrapper);
      candidates.push({ name: `suite:${suite}`, suite, ...e, ms: performance.now() - t0 });
      log(`criu candidate ${suite} (${e.version ?? '?'}): ${e.ok ? 'OK' : 'rejected'}: ${e.detail}`);
      if (e.ok) {
        return {
          version: e.version!, path: loc.wrapper, suite, prefix: loc.prefix,
          loader: loc.loader, libraryPath: loc.libraryPath, candidates,
        };
      }
      rmSync(loc.prefix, { recursive: true, force: true });
      state.prefixes = state.prefixes.filter((p) => p !== loc.prefix);
      save();
    }
  } finally {
    rmSync(LAB_APT_DIR, { recursive: true, force: true }); // lists are ~20 MB a suite; only the prefix is needed
  }
  const why = candidates.map((c) => `${c.name}: ${c.stage}: ${c.detail}`).join('\n  ');
  const err = new Error(`no CRIU candidate works on this kernel:\n  ${why}`);
  (err as Error & { candidates?: CriuCandidate[] }).candidates = candidates;
  throw err;
}
