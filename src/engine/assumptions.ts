/**
 * The CRIU and LXC versions a static run judges against: from the flags,
 * then the settings file, then the newest CRIU ctcr knows and LXC's current
 * long-term release.
 */
import type { Assumptions, VersionNumber } from '../types.js';
import { InputError } from '../errors.js';
import { parseVersion } from '../criu/version.js';
import { NEWEST_KNOWN_CRIU } from '../criu/filesystems.js';

/** LXC 6.0 is the long-term release; LXC 7.0 (which rejects lxc.cgroup.*) is judged with --lxc-version 7.0. */
export const DEFAULT_LXC_VERSION = '6.0';

export function requireVersion(text: string, what: string): VersionNumber {
  const v = parseVersion(text);
  if (!v) throw new InputError(`${what} '${text}' is not a version like 4.2 or 5.0.2`);
  return v;
}

/** The documented defaults, as text. */
export function defaultVersions(): { criu: string; lxc: string } {
  return { criu: String(NEWEST_KNOWN_CRIU), lxc: DEFAULT_LXC_VERSION };
}

/**
 * The LXC a config written in pre-2.1 keys (lxc.network.*, lxc.rootfs, lxc.utsname ...) was written for: 2.0, the
 * last long-term release that knows only those keys (2.1 reads both; 3.0 removed them).
 */
export const LEGACY_KEYS_LXC_VERSION = '2.0';

export function resolveAssumptions(criu: string | undefined, lxc: string | undefined): Assumptions {
  return {
    criuVersion: requireVersion(criu ?? defaultVersions().criu, '--criu-version'),
    lxcVersion: requireVersion(lxc ?? defaultVersions().lxc, '--lxc-version'),
    ...(lxc === undefined ? { lxcVersionDefaulted: true } : {}),
  };
}
