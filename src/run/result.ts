/**
 * What `ctcr checkpoint` / `ctcr restore` print: the options with their
 * reasons (--explain-options), the command (--dry-run), and the result
 * (image size, frozen and total time from CRIU's stats, the log).
 */
import type { CriuCommand, PlannedOption } from '../criu/command.js';
import { joinShellWords } from '../criu/shell-words.js';
import type { RunOutcome } from './runner.js';

const ROUTE_TEXT: Record<PlannedOption['route'], string> = {
  argv: 'criu argv',
  'config-file': 'config file',
  'lxc-checkpoint': 'by LXC',
};

/** One block per option: the option, how it reaches CRIU, and why (with the rule id of the finding that asked). */
export function formatOptions(command: CriuCommand): string {
  const out: string[] = [`CRIU ${command.criuVersion} ${command.action} through ${command.engine === 'lxc' ? 'lxc-checkpoint' : 'criu'}: options and why`];
  const width = Math.min(44, Math.max(...command.options.map((o) => o.words.join(' ').length), 10));
  for (const o of command.options) {
    const who = o.ruleId ? `${o.ruleId}: ` : o.source === 'facts' ? 'facts: ' : o.source === 'dump' ? 'dump: ' : '';
    out.push(`  ${o.words.join(' ').padEnd(width)}  [${ROUTE_TEXT[o.route]}]  ${who}${o.why}`);
  }
  if (command.skipped.length) {
    out.push('not given:');
    for (const s of command.skipped) out.push(`  ${s.words.join(' ').padEnd(width)}  ${s.ruleId ? `${s.ruleId}: ` : ''}${s.why}`);
  }
  return out.join('\n') + '\n';
}

/** The command as it would run, with its environment and config file: something to paste into a shell. */
export function formatDryRun(command: CriuCommand): string {
  const out: string[] = [];
  if (command.configFile !== undefined) {
    out.push(`# CRIU_CONFIG_FILE for this command (ctcr writes it to a temporary file and removes it afterwards):`);
    for (const line of command.configFile.replace(/\n$/, '').split('\n')) out.push(`#   ${line}`);
    out.push(`${joinShellWords(['CRIU_CONFIG_FILE=/tmp/ctcr-criu.conf', command.program, ...command.args])}`);
  } else out.push(joinShellWords([command.program, ...command.args]));
  return out.join('\n') + '\n';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export interface ResultSummary {
  action: 'dump' | 'restore';
  engine: 'lxc' | 'criu';
  container: string;
  lxcpath: string;
  dir: string;
  ok: boolean;
  criuVersion: string;
  attempts: number;
  /** ms */
  timings: {
    total: number;
    preflight: number;
    criu: number;
    frozen?: number;
    freezing?: number;
    memdump?: number;
    memwrite?: number;
    restore?: number;
    forking?: number;
  };
  imageBytes?: number;
  log: string;
  restoredPid?: number;
  statsProblem?: string;
}

export function summarize(outcome: RunOutcome, base: Omit<ResultSummary, 'ok' | 'attempts' | 'timings' | 'log'>, totalMs: number, preflightMs: number): ResultSummary {
  const d = outcome.stats?.dump;
  const r = outcome.stats?.restore;
  const us = (n: number | undefined) => (n === undefined ? undefined : n / 1000);
  const timings: ResultSummary['timings'] = { total: totalMs, preflight: preflightMs, criu: outcome.durationMs };
  if (d) Object.assign(timings, { frozen: us(d.frozenTimeUs), freezing: us(d.freezingTimeUs), memdump: us(d.memdumpTimeUs), memwrite: us(d.memwriteTimeUs) });
  if (r) Object.assign(timings, { restore: us(r.restoreTimeUs), forking: us(r.forkingTimeUs) });
  return {
    ...base,
    ok: outcome.ok,
    attempts: outcome.attempts.length,
    timings,
    ...(outcome.imageBytes !== undefined ? { imageBytes: outcome.imageBytes } : {}),
    log: outcome.logFile,
    ...(outcome.restoredPid !== undefined ? { restoredPid: outcome.restoredPid } : {}),
    ...(outcome.statsProblem ? { statsProblem: outcome.statsProblem } : {}),
  };
}

export function formatSummaryText(s: ResultSummary): string {
  const t = s.timings;
  const lines: string[] = [];
  if (s.action === 'dump') {
    const criu = [`CRIU ${seconds(t.criu)}`, t.frozen !== undefined ? `frozen ${seconds(t.frozen)}` : undefined].filter(Boolean).join(', ');
    lines.push(`✔ checkpointed ${s.container} into ${s.dir} in ${seconds(t.total)} (${criu}; checks ${seconds(t.preflight)})${s.imageBytes !== undefined ? `, images ${formatBytes(s.imageBytes)}` : ''}`);
  } else {
    const criu = [`CRIU ${seconds(t.criu)}`, t.restore !== undefined ? `restore ${seconds(t.restore)}` : undefined, t.forking !== undefined ? `forking ${seconds(t.forking)}` : undefined].filter(Boolean).join(', ');
    lines.push(`✔ restored ${s.container} from ${s.dir} in ${seconds(t.total)} (${criu}; checks ${seconds(t.preflight)})${s.restoredPid ? `, init PID ${s.restoredPid}` : ''}`);
  }
  if (s.attempts > 1) lines.push(`  after ${s.attempts} attempts`);
  lines.push(`  log: ${s.log}`);
  if (s.statsProblem) lines.push(`  no CRIU stats: ${s.statsProblem}`);
  return lines.join('\n') + '\n';
}
