/**
 * A test hook for crash safety: with CTCR_FAULT_AT set, the process kills
 * itself with SIGKILL at the Nth fault point it passes (a number), or at the
 * first one of that name (e.g. `temp-written`). Unset (always, outside tests),
 * a fault point does nothing. The writer calls one between every two steps
 * that leave something on disk, so a test can stop it anywhere; with
 * CTCR_FAULT_TRACE set as well, each point passed is printed on stderr (a
 * test counts a run's points with CTCR_FAULT_AT=none).
 */
let passed = 0;

export function faultPoint(step: string): void {
  const at = process.env.CTCR_FAULT_AT;
  if (!at) return;
  passed++;
  if (process.env.CTCR_FAULT_TRACE) process.stderr.write(`ctcr: fault point #${passed} ${step}\n`);
  if (at === step || at === String(passed)) process.kill(process.pid, 'SIGKILL');
}

