/**
 * Reading CRIU's logs (dump.log, restore.log, check output) for the lab.
 * Deliberately not src/criu/log.ts: the ground-truth tests hold ctcr's
 * explanation of a failure against this small, separate reading of the
 * same log, which a bug in ctcr's parser cannot also bend.
 */

/** Printed on every run on this machine kind and harmless. */
const NOISE = [/rlimit: Can't setup RLIMIT_NOFILE/, /Can't keep kdat cache/];

/** `Error (criu/tty.c:2399): tty: ...`, optionally after a `(00.123)` timestamp or a `1: ` pid prefix. */
const ERROR_LINE = /^\s*(?:\(\s*[\d.]+\)\s*)?(?:\d+:\s*)?Error \(([^)]*)\):\s*(.*)$/;

export interface CriuError {
  /** `criu/tty.c:2399` */
  where: string;
  message: string;
  line: string;
}

/** CRIU's own error lines (not the `Error: ...` lines of tools it runs, such as `ip`), noise removed. */
export function criuErrors(log: string): CriuError[] {
  const out: CriuError[] = [];
  for (const raw of log.split('\n')) {
    const m = ERROR_LINE.exec(raw);
    if (!m) continue;
    if (NOISE.some((n) => n.test(raw))) continue;
    out.push({ where: m[1]!, message: m[2]!.trim(), line: raw.trim() });
  }
  return out;
}

/** The first real error: the cause; the lines after it are consequences ("Dumping FAILED."). */
export function rootError(log: string): CriuError | undefined {
  return criuErrors(log)[0];
}

/** Root error as one line of text for reports, or the last non-empty line when CRIU wrote no error line. */
export function rootErrorText(log: string): string {
  const e = rootError(log);
  if (e) return e.line;
  const lines = log.trim().split('\n').filter((l) => l.trim() && !NOISE.some((n) => n.test(l)));
  return lines.at(-1)?.trim() ?? '(no output)';
}
