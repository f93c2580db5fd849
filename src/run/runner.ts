/**
 * Runs a built CRIU command (through lxc-checkpoint or criu itself): writes
 * the CRIU config file it needs for that one command and removes it after,
 * shows progress, retries the transient failure CRIU's LXC page names
 * (netlink data pending) a bounded number of times with backoff, saying so,
 * and reads the result: CRIU's stats, the images' size, the log; on failure
 * the diagnosis of its own log.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { keeperExitCode, type CriuCommand } from '../criu/command.js';
import type { CriuStats } from '../criu/stats.js';
import { explainCriuLog, type CriuLogExplanation } from '../criu/log.js';
import type { SignatureTable } from '../criu/signatures.js';
import { imageBytes, readPidFile, readStatsFile } from './images.js';
import { phaseOfLines, type ProgressSink } from './progress.js';
import { spawnProgram, type SpawnResult, type Spawner } from './spawn.js';
import { thawAndVerify, thawContainer, type ThawTarget } from './thaw.js';

/** How long CRIU may run by default before ctcr ends it and thaws the container (seconds). */
export const DEFAULT_CRIU_TIMEOUT_S = 120;

/** What the watchdog did when CRIU ran past its deadline. */
export interface WatchdogOutcome {
  timeoutMs: number;
  /** The freezer files written THAWED / 0. */
  thawed: string[];
  /** No freezer cgroup of the container is frozen any more. */
  running: boolean;
  stillFrozen: string[];
  errors: string[];
  /** How many freezer cgroups of the container exist (0: nothing to thaw, e.g. a restore that created none). */
  cgroups: number;
}

/** Root causes that go away by themselves: worth another attempt. */
export const TRANSIENT_RULES: ReadonlySet<string> = new Set(['netlink-pending-data']);

export interface RunRequest {
  command: CriuCommand;
  /** The environment CRIU gets (CRIU_CONFIG_FILE is set on top when the command has a config file). */
  env: NodeJS.ProcessEnv;
  progress: ProgressSink;
  /** The rules' CRIU log signatures (signatureTable), to explain a failure with. */
  signatures: SignatureTable;
  spawn?: Spawner;
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a transient failure (default 3). */
  maxRetries?: number;
  /** First backoff delay; doubled each retry (default 250 ms). */
  baseDelayMs?: number;
  /** CRIU's deadline (default DEFAULT_CRIU_TIMEOUT_S): then its whole process group is killed and the container thawed. */
  timeoutMs?: number;
  /** The container to thaw when CRIU is killed (deadline, or SIGINT/SIGTERM of ctcr); none: nothing is thawed. */
  container?: ThawTarget;
  /** Where the config file is written (default the OS temp dir). */
  tmpDir?: string;
}

export interface Attempt {
  attempt: number;
  result: SpawnResult;
  durationMs: number;
  /** The log of a failed attempt that was retried, moved aside. */
  keptLog?: string;
  explanation?: CriuLogExplanation;
}

export interface RunOutcome {
  ok: boolean;
  attempts: Attempt[];
  /** Wall time from the first start to the last exit, retries and backoff included. */
  durationMs: number;
  logFile: string;
  stats?: CriuStats;
  statsProblem?: string;
  imageBytes?: number;
  /** Criu engine restore: the restored init's host PID (--pidfile). */
  restoredPid?: number;
  /** On failure: the diagnosis of the last attempt's log (or of lxc-checkpoint's own error lines). */
  explanation?: CriuLogExplanation;
  /** Which text the explanation is of: the log file, or the program's stderr. */
  explained?: 'log' | 'stderr';
  /** Set when CRIU ran past its deadline and was killed. */
  watchdog?: WatchdogOutcome;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Follows a growing log file and reports the phase it shows. */
function followLog(file: string, action: 'dump' | 'restore', onPhase: (phase: string) => void): () => Promise<void> {
  let offset = 0;
  let partial = '';
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const poll = async () => {
    let handle;
    try {
      handle = await open(file, 'r');
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        const text = partial + buf.subarray(0, bytesRead).toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        const phase = phaseOfLines(action, lines);
        if (phase) onPhase(phase);
      }
    } catch {
      /* not created yet */
    } finally {
      await handle?.close();
    }
  };
  const timer = setInterval(() => {
    if (!stopped) busy = busy.then(poll);
  }, 100);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await busy;
  };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

/** Explains a failed attempt: its log, else the program's own error output (lxc-checkpoint refuses before running CRIU). */
export async function explainFailure(command: CriuCommand, result: SpawnResult, signatures: SignatureTable): Promise<{ explanation: CriuLogExplanation; explained: 'log' | 'stderr' }> {
  const log = await readText(command.logFile);
  const fromLog = log ? explainCriuLog(log, signatures) : undefined;
  if (fromLog && fromLog.diagnoses.length) return { explanation: fromLog, explained: 'log' };
  const output = [result.stderr, result.stdout, result.error ?? ''].filter((t) => t.trim() !== '').join('\n');
  const fromStderr = explainCriuLog(output, signatures);
  if (fromStderr.diagnoses.length || !fromLog) return { explanation: fromStderr, explained: 'stderr' };
  return { explanation: fromLog, explained: 'log' };
}

export async function runCriuCommand(req: RunRequest): Promise<RunOutcome> {
  const { command } = req;
  const spawn = req.spawn ?? spawnProgram;
  const sleep = req.sleep ?? defaultSleep;
  const maxRetries = req.maxRetries ?? 3;
  const baseDelay = req.baseDelayMs ?? 250;
  const dir = path.dirname(command.logFile);
  const attempts: Attempt[] = [];
  const started = performance.now();
  const label = command.action === 'dump' ? 'checkpoint' : 'restore';

  let confDir: string | undefined;
  let killRunning: (() => void) | undefined;
  // Interrupted (Ctrl-C ends ctcr with lxc-checkpoint), the finally below does not run: these hooks remove the file.
  const removeOnExit = () => {
    if (confDir) rmSync(confDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C or a kill during a dump: end CRIU and thaw before going, or the container stays frozen.
    if (killRunning) {
      killRunning();
      if (req.container) {
        const t = thawContainer(req.container);
        process.stderr.write(`ctcr: ${signal}: killed ${command.program}; ${t.thawed.length ? `thawed ${req.container.name} (${t.thawed.join(', ')})` : `${req.container.name} was not frozen`}${t.errors.length ? `; could not thaw: ${t.errors.join('; ')}` : ''}\n`);
      }
    }
    removeOnExit();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  const env: NodeJS.ProcessEnv = { ...req.env };
  try {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (command.configFile !== undefined) {
      process.once('exit', removeOnExit);
      confDir = await mkdtemp(path.join(req.tmpDir ?? os.tmpdir(), 'ctcr-criu-'));
      const confFile = path.join(confDir, `${command.action}.conf`);
      await writeFile(confFile, command.configFile, { mode: 0o600 });
      env.CRIU_CONFIG_FILE = confFile;
    }
    for (let attempt = 1; ; attempt++) {
      req.progress.phase(`${label}: starting ${command.program === 'lxc-checkpoint' ? 'lxc-checkpoint' : 'criu'}`);
      const stopFollowing = followLog(command.logFile, command.action, (phase) => req.progress.phase(`${label}: ${phase}`));
      const t0 = performance.now();
      const timeoutMs = req.timeoutMs ?? DEFAULT_CRIU_TIMEOUT_S * 1000;
      const spawned = await spawn(command.program, command.args, {
        env,
        timeoutMs,
        group: true,
        onStart: (kill) => (killRunning = kill),
        ...(command.keeper ? { untilOutputEnds: true } : {}),
      });
      killRunning = undefined;
      // A keeper (criu engine restore) stays alive as the container's parent: criu's status is the line it printed.
      const result: SpawnResult = command.keeper ? { ...spawned, exitCode: keeperExitCode(spawned.stdout) ?? spawned.exitCode ?? 1 } : spawned;
      const durationMs = performance.now() - t0;
      await stopFollowing();
      const record: Attempt = { attempt, result, durationMs };
      attempts.push(record);
      if (result.exitCode === 0) {
        req.progress.phase(`${label}: reading stats`);
        const [stats, bytes, pid] = await Promise.all([
          readStatsFile(dir, command.action),
          command.action === 'dump' ? imageBytes(dir) : Promise.resolve(undefined),
          command.pidFile ? readPidFile(command.pidFile) : Promise.resolve(undefined),
        ]);
        return {
          ok: true,
          attempts,
          durationMs: performance.now() - started,
          logFile: command.logFile,
          ...(stats.stats ? { stats: stats.stats } : {}),
          ...(stats.problem ? { statsProblem: stats.problem } : {}),
          ...(bytes !== undefined ? { imageBytes: bytes } : {}),
          ...(pid !== undefined ? { restoredPid: pid } : {}),
        };
      }
      const { explanation, explained } = await explainFailure(command, result, req.signatures);
      record.explanation = explanation;
      if (result.timedOut) {
        const t = req.container ? await thawAndVerify(req.container) : { dirs: [], thawed: [], running: false, stillFrozen: [], errors: ['no container to thaw was named'] };
        const watchdog: WatchdogOutcome = { timeoutMs, thawed: t.thawed, running: t.running, stillFrozen: t.stillFrozen, errors: t.errors, cgroups: t.dirs.length };
        return { ok: false, attempts, durationMs: performance.now() - started, logFile: command.logFile, explanation, explained, watchdog };
      }
      const root = explanation.diagnoses[0];
      const transient = root !== undefined && TRANSIENT_RULES.has(root.ruleId) && command.action === 'dump';
      if (!transient || attempt > maxRetries) {
        if (transient) req.progress.note(`ctcr: ${command.action} failed ${attempt} times on a transient cause (${root!.ruleId}); giving up`);
        return { ok: false, attempts, durationMs: performance.now() - started, logFile: command.logFile, explanation, explained };
      }
      const delay = baseDelay * 2 ** (attempt - 1);
      const kept = command.logFile.replace(/\.log$/, `.attempt${attempt}.log`);
      try {
        await rename(command.logFile, kept);
        record.keptLog = kept;
      } catch {
        /* no log to keep */
      }
      req.progress.note(
        `ctcr: ${command.action} failed: ${root!.message} (${root!.ruleId}, usually transient); retrying in ${(delay / 1000).toFixed(2)} s (retry ${attempt} of ${maxRetries})${record.keptLog ? `; that attempt's log: ${kept}` : ''}`,
      );
      await sleep(delay);
    }
  } finally {
    process.removeListener('exit', removeOnExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (confDir) await rm(confDir, { recursive: true, force: true });
  }
}
