/**
 * `criu check` and `criu check --feature NAME` output (team notes,
 * criu-facts.md §5). Exit code 0 only for "Looks good."; "Looks good but
 * some kernel features are missing" and every failure exit 1. The doctor's
 * gatherer runs the command; this reads what it printed.
 */
import { isNoise, parseCriuLog } from './log-lines.js';
import { diagnoseLine, findRootError, type CriuLogDiagnosis } from './log.js';
import { NO_SIGNATURES, type SignatureTable } from './signatures.js';

export type CriuCheckVerdict = 'looks-good' | 'looks-good-but' | 'failed';

export interface CriuCheckResult {
  verdict: CriuCheckVerdict;
  /** True only for "Looks good." with exit code 0 (or no exit code given). */
  ok: boolean;
  /** Error and warning lines CRIU printed, noise excluded. */
  problems: string[];
  /** Why it failed, for `failed` (and for `looks-good-but` when an error line says). */
  diagnosis?: CriuLogDiagnosis;
}

/**
 * stdout and stderr of `criu check [--extra|--all]`, in any order, and its exit code when known.
 * With the rules' signatures the diagnosis names a cause; without, it names only the root line.
 */
export function parseCriuCheckOutput(output: string, exitCode?: number, signatures: SignatureTable = NO_SIGNATURES): CriuCheckResult {
  const log = parseCriuLog(output);
  const problems = log.lines
    .filter((l) => (l.level === 'error' || l.level === 'warn') && !isNoise(l))
    .map((l) => l.message);
  const goodBut = /Looks good but/.test(output);
  const good = !goodBut && /^\s*Looks good\.\s*$/m.test(output);
  const verdict: CriuCheckVerdict = goodBut ? 'looks-good-but' : good && (exitCode === undefined || exitCode === 0) ? 'looks-good' : 'failed';
  const root = verdict === 'looks-good' ? undefined : findRootError(log, signatures);
  return {
    verdict,
    ok: verdict === 'looks-good',
    problems,
    ...(root ? { diagnosis: diagnoseLine(log, root, signatures) } : {}),
  };
}

export interface FeatureCheckResult {
  supported: boolean;
  /** The CRIU version does not know the feature name (older than the feature). */
  unknownFeature: boolean;
  /** Set when criu failed before it could probe (criuCannotProbe): the answer is not a "no". */
  cannotProbe?: string;
}

/**
 * Why criu could not answer at all (as opposed to answering "no"): the
 * kernel-features detection it runs before every command failed, or it lacks
 * privileges. Null when the output shows no such failure.
 */
export function criuCannotProbe(output: string): string | null {
  const lines = output.split('\n').map((l) => l.trim());
  const fatal = lines.findIndex((l) => /Could not initialize kernel features detection|Running as non-root requires|needs to have the CAP_SYS_ADMIN/.test(l));
  if (fatal < 0) return null;
  // "Could not initialize..." is a cascade line: the cause is the first error before it, leaving out
  // the RLIMIT_NOFILE complaint some machines print on every run (harmless).
  const cause = lines.slice(0, fatal).find((l) => /^Error\b/.test(l) && !/RLIMIT_NOFILE/.test(l));
  return cause ?? lines[fatal];
}

/**
 * `criu check --feature NAME`: `NAME is supported` and exit 0, otherwise exit 1; `Unknown feature NAME` on older CRIU
 * (the name is checked before the kernel-features detection); `cannotProbe` when criu failed before probing.
 */
export function parseFeatureCheck(feature: string, output: string, exitCode: number): FeatureCheckResult {
  const unknownFeature = new RegExp(`Unknown feature ${feature.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(output);
  const saysSupported = new RegExp(`^\\s*${feature.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is supported\\s*$`, 'm').test(output);
  const supported = exitCode === 0 && saysSupported;
  const cannotProbe = supported || unknownFeature ? null : criuCannotProbe(output);
  return { supported, unknownFeature, ...(cannotProbe ? { cannotProbe } : {}) };
}
