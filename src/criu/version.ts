/**
 * Version numbers of CRIU, iproute2, LXC and the kernel, parsed from what
 * the tools print. Parsers return null for text they cannot read; they never
 * throw on input.
 */
import type { VersionNumber } from '../types.js';

/** A version, or a literal such as "4.2" written in ctcr's own tables. */
export type VersionLike = VersionNumber | string;

const DOTTED = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/;

function make(major: number, minor: number, patch: number, text: string): VersionNumber {
  return { major, minor, patch, text };
}

/** `4.2`, `4.1.1`, `v3.17`, `5.0.2`, `6` → a version; anything else → null. Trailing text (`-rc1`, `~git`) is ignored. */
export function parseVersion(text: string): VersionNumber | null {
  const t = text.trim();
  const m = DOTTED.exec(t);
  if (!m) return null;
  // "4.2abc" is not a version; "4.2-rc1", "4.2~git", "4.2+dfsg" are.
  const rest = t.slice(m[0].length);
  if (rest !== '' && !/^[-~+_ (]/.test(rest)) return null;
  return make(Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), t);
}

function toVersion(v: VersionLike): VersionNumber {
  if (typeof v !== 'string') return v;
  const parsed = parseVersion(v);
  // Literals come from ctcr's own tables: a bad one is a bug, not bad input.
  if (!parsed) throw new TypeError(`not a version literal: '${v}'`);
  return parsed;
}

/** Negative, zero or positive, like a sort comparator. String arguments must be valid versions (they are ctcr's literals). */
export function compareVersions(a: VersionLike, b: VersionLike): number {
  const x = toVersion(a);
  const y = toVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** True when `v` is `min` or newer. */
export function atLeast(v: VersionLike, min: VersionLike): boolean {
  return compareVersions(v, min) >= 0;
}

/** `4.2`, `4.1.1`: the patch level only when non-zero, as CRIU prints its own versions. */
export function formatVersion(v: VersionLike): string {
  const x = toVersion(v);
  return x.patch ? `${x.major}.${x.minor}.${x.patch}` : `${x.major}.${x.minor}`;
}

/**
 * `criu --version` output: `Version: 4.2` (+ `GitID: v4.2-12-gabc` on git
 * builds). Falls back to the GitID the way LXC does. Also reads the log line
 * `Version: 3.16.1 (gitid 0af5702)`.
 */
export function parseCriuVersionOutput(output: string): VersionNumber | null {
  const version = /^\s*(?:\(\s*[\d.]+\)\s*)?Version:\s*(\S+)/m.exec(output);
  if (version) {
    const v = parseVersion(version[1]!);
    if (v) return v;
  }
  const git = /^\s*GitID:\s*v(\d+(?:\.\d+){0,2})/m.exec(output);
  return git ? parseVersion(git[1]!) : null;
}

/** `criu --version` with the `GitID:` line builds from git print (`v4.2-12-gabcdef`), kept as `gitId`. */
export function parseCriuVersionInfo(output: string): { version: VersionNumber; gitId?: string } | null {
  const version = parseCriuVersionOutput(output);
  if (!version) return null;
  const git = /^\s*GitID:\s*(\S+)/m.exec(output);
  return git ? { version, gitId: git[1]! } : { version };
}

/**
 * iproute2 release dates as printed by old `ip -V` (`iproute2-ssYYMMDD`).
 * 3.6.0, 3.7.0 and 3.10.0 are from the team notes; 2.6.19 (061214),
 * 2.6.27 (081027), 2.6.38 (110317) and 5.4.0 (191125) are the SNAPSHOT.h
 * values of stored iproute2 trees; 4.15.0 (Ubuntu 18.04) and 5.5.0 (Ubuntu
 * 20.04) are the strings those distributions print. The others are release
 * dates from memory, unverified, kept because they sit between verified points.
 * A snapshot between two entries maps to the older one.
 */
export const IPROUTE2_SNAPSHOTS: readonly { snapshot: string; version: string }[] = [
  { snapshot: '061214', version: '2.6.19' },
  { snapshot: '081027', version: '2.6.27' },
  { snapshot: '110317', version: '2.6.38' },
  { snapshot: '121001', version: '3.6.0' },
  { snapshot: '121211', version: '3.7.0' },
  { snapshot: '130221', version: '3.8.0' },
  { snapshot: '130430', version: '3.9.0' },
  { snapshot: '130716', version: '3.10.0' },
  { snapshot: '130903', version: '3.11.0' },
  { snapshot: '131122', version: '3.12.0' },
  { snapshot: '140411', version: '3.14.0' },
  { snapshot: '140804', version: '3.16.0' },
  { snapshot: '150210', version: '3.19.0' },
  { snapshot: '150413', version: '4.0.0' },
  { snapshot: '151103', version: '4.3.0' },
  { snapshot: '161212', version: '4.9.0' },
  { snapshot: '180129', version: '4.15.0' },
  { snapshot: '191125', version: '5.4.0' },
  { snapshot: '200127', version: '5.5.0' },
];

/** The iproute2 version CRIU's LXC page (2014) asks for. */
export const IPROUTE2_MIN_FOR_CRIU = '3.6.0';

/** `130716` → 3.10.0 (text keeps `ss130716`); dates before the oldest known snapshot → null. */
export function iproute2SnapshotVersion(snapshot: string): VersionNumber | null {
  if (!/^\d{6}$/.test(snapshot)) return null;
  // YYMMDD: iproute2 snapshots start in the 2000s; 9x years are 199x.
  const fullDate = (yymmdd: string) => (Number(yymmdd.slice(0, 2)) >= 90 ? '19' : '20') + yymmdd;
  let found: { snapshot: string; version: string } | undefined;
  for (const entry of IPROUTE2_SNAPSHOTS) if (fullDate(entry.snapshot) <= fullDate(snapshot)) found = entry;
  if (!found) return null;
  const v = parseVersion(found.version)!;
  return { ...v, text: `ss${snapshot}` };
}

/**
 * `ip -V` in both formats: `ip utility, iproute2-ss130716` (date snapshot,
 * up to about 5.5) and `ip utility, iproute2-6.1.0, libbpf 1.1.0`. BusyBox's
 * `ip` prints no version → null.
 */
export function parseIpVersion(output: string): VersionNumber | null {
  const ss = /iproute2-ss(\d{6})/.exec(output);
  if (ss) return iproute2SnapshotVersion(ss[1]!);
  const dotted = /iproute2-v?(\d+\.\d+(?:\.\d+)?)/.exec(output);
  return dotted ? parseVersion(dotted[1]!) : null;
}

/** `lxc-start --version` / `lxc-checkpoint --version`: `5.0.2`, `4.0.12`, `6.0.0~git2+...`. */
export function parseLxcVersion(output: string): VersionNumber | null {
  const first = output.trim().split(/\s+/)[0] ?? '';
  return parseVersion(first);
}

/** `uname -r`: `6.18.44-fc-v669`, `6.1.0-18-amd64`, `6.13.0-0.rc0.2024...fc42.x86_64`, `6.13-rc1` → major.minor.patch; text keeps the release. */
export function parseKernelRelease(release: string): VersionNumber | null {
  const t = release.trim();
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?=$|[-+_.~a-z])/i.exec(t);
  if (!m) return null;
  return make(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), t);
}
