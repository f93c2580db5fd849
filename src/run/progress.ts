/**
 * Progress while CRIU works: one line on stderr, rewritten in place, with the
 * phase and the elapsed time. Only on a terminal and never in CI (CI=true),
 * where it would fill the log; there the runner stays quiet until the result.
 * Phases come from CRIU's log as it grows (at -v4 it names each step); at
 * CRIU's default level the phase is the action.
 */

export interface ProgressSink {
  /** The current phase, e.g. `dump: freezing`. */
  phase(text: string): void;
  /** A line that must stay (a retry notice): printed above the progress line. */
  note(line: string): void;
  /** Removes the progress line. */
  stop(): void;
}

const PHASES: Record<'dump' | 'restore', readonly { pattern: RegExp; phase: string }[]> = {
  dump: [
    { pattern: /Dumping processes \(pid/, phase: 'freezing' },
    { pattern: /Seized task/, phase: 'seizing tasks' },
    { pattern: /net: Lock network/, phase: 'locking the network' },
    { pattern: /Dumping task \(pid/, phase: 'dumping tasks' },
    { pattern: /Dumping pages/, phase: 'dumping memory' },
    { pattern: /Dumping mountpoints|mnt: Dumping mountpoints|Dumping mnt ns/, phase: 'dumping mounts' },
    { pattern: /Writing stats/, phase: 'writing stats' },
    { pattern: /Dumping finished successfully/, phase: 'done' },
    { pattern: /Dumping FAILED/, phase: 'failed' },
  ],
  restore: [
    { pattern: /net: Restoring netdev|Restoring processes|Reading image tree/, phase: 'reading images' },
    { pattern: /Forking task with/, phase: 'forking tasks' },
    { pattern: /Restoring namespaces/, phase: 'restoring namespaces' },
    { pattern: /mnt: Restoring mount namespace/, phase: 'restoring mounts' },
    { pattern: /Restore on-core sigactions|Restoring children/, phase: 'restoring tasks' },
    { pattern: /Restore finished successfully/, phase: 'done' },
    { pattern: /Restoring FAILED/, phase: 'failed' },
  ],
};

/** The phase the latest of `lines` shows, or undefined when none says. */
export function phaseOfLines(action: 'dump' | 'restore', lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const hit = PHASES[action].find((p) => p.pattern.test(lines[i]!));
    if (hit) return hit.phase;
  }
  return undefined;
}

export function progressWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
  return Boolean(stream.isTTY) && !ci;
}

/** A sink that prints nothing (not a terminal, CI), except notes. */
export function quietProgress(say: (line: string) => void): ProgressSink {
  return { phase: () => undefined, note: say, stop: () => undefined };
}

/** The terminal sink: `⠹ dump: freezing  0.4 s`, redrawn every 100 ms. */
export function terminalProgress(stream: NodeJS.WriteStream, label: string, now: () => number = () => performance.now()): ProgressSink {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const started = now();
  let phase = '';
  let frame = 0;
  let shown = false;
  const draw = () => {
    const elapsed = ((now() - started) / 1000).toFixed(1);
    const line = `${frames[frame++ % frames.length]} ${label}${phase ? `: ${phase}` : ''}  ${elapsed} s`;
    stream.write(`\r\x1b[2K${line}`);
    shown = true;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    phase(text) {
      if (text !== phase) {
        phase = text;
        draw();
      }
    },
    note(line) {
      clear();
      stream.write(line + '\n');
      draw();
    },
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}
