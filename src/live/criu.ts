/** What the live rules ask of CRIU's version against this kernel. */
import type { HostFacts, VersionNumber } from '../types.js';
import { knownIncompatibilities, type Incompatibility } from '../criu/compat.js';
import { compareVersions, formatVersion } from '../criu/version.js';
import { known } from './facts.js';

/**
 * The oldest CRIU that has no known certain incompatibility with this kernel
 * (null when none is known): what to install when CRIU is missing.
 */
export function minimumCriuFor(kernel: VersionNumber, arch: string): { version: string; because: Incompatibility[] } | null {
  const applying = knownIncompatibilities({ kernel, arch, criu: '0.0' }).filter((e) => e.fixedIn && e.confidence === 'certain');
  if (applying.length === 0) return null;
  const newest = applying.reduce((a, b) => (compareVersions(a.fixedIn!, b.fixedIn!) >= 0 ? a : b));
  return { version: newest.fixedIn!, because: applying.filter((e) => e.fixedIn === newest.fixedIn) };
}

/** `kernel 6.18 needs CRIU 4.2 or newer (...)`, or '' when nothing is known. */
export function minimumCriuText(host: HostFacts): string {
  const kernel = known(host.kernel);
  if (!kernel) return '';
  const min = minimumCriuFor(kernel.version, kernel.arch);
  if (!min) return '';
  return `kernel ${formatVersion(kernel.version)} (${kernel.arch}) needs CRIU ${min.version} or newer: ${min.because.map((e) => e.title).join(' / ')}`;
}

