/**
 * Known kernel × CRIU incompatibilities (team notes, criu-facts.md §6, and
 * the CRIU issues cited per entry). `criu check` does not catch all of them:
 * on kernel ≥ 6.16 with CRIU ≤ 4.1.1 it still prints "Looks good." and every
 * dump of an inet/raw/packet socket fails.
 */
import { atLeast, compareVersions, parseKernelRelease, parseVersion, type VersionLike } from './version.js';
import type { VersionNumber } from '../types.js';

export type Arch = 'x86_64' | 'x86' | 'aarch64' | 'arm' | 'other';

/** `uname -m` → the arch families the matrix distinguishes. */
export function normalizeArch(machine: string): Arch {
  const m = machine.trim().toLowerCase();
  if (m === 'x86_64' || m === 'amd64') return 'x86_64';
  if (/^i[3-6]86$/.test(m) || m === 'x86') return 'x86';
  if (m === 'aarch64' || m === 'arm64') return 'aarch64';
  if (m.startsWith('arm')) return 'arm';
  return 'other';
}

/** How sure the entry is for a matching kernel/CRIU pair. */
export type Confidence =
  /** Happens whenever the versions match (and the condition, if any, holds). */
  | 'certain'
  /** Depends on how the kernel was built (config, compiler): seen on some builds of these versions. */
  | 'build-dependent'
  /** Reported, but the cause and the fixing release are not verified. */
  | 'unverified';

export interface Incompatibility {
  id: string;
  title: string;
  /** First kernel affected (inclusive). */
  kernelFrom?: string;
  /** First kernel NOT affected, for problems of old kernels. */
  kernelBefore?: string;
  arches?: readonly Arch[];
  /** First CRIU release that works; absent when no release fixes it. */
  fixedIn?: string;
  /** Every CRIU command fails (kernel feature detection), not only some process trees. */
  appliesToEverything: boolean;
  confidence: Confidence;
  reason: string;
  /** What the log or `criu check` shows. */
  symptom: string;
  /** What to do. */
  fix: string;
  references: readonly string[];
  /** For entries that hit only some process trees: the socket families that trigger it (SocketFacts.family values). */
  socketFamilies?: readonly string[];
}

export const INCOMPATIBILITIES: readonly Incompatibility[] = [
  {
    id: 'vdso-vvar-vclock',
    title: 'x86 kernel ≥ 6.13 maps [vvar_vclock]; CRIU before 4.1 cannot parse the vDSO',
    kernelFrom: '6.13',
    arches: ['x86_64', 'x86'],
    fixedIn: '4.1',
    appliesToEverything: true,
    confidence: 'certain',
    reason:
      'Linux e93d2521b27f ("x86/vdso: Split virtual clock pages into dedicated mapping") adds a [vvar_vclock] VMA; CRIU learned it in 8ee2eba47 (PR#2539).',
    symptom: 'vdso: Unexpected rt vDSO area bounds → Could not initialize kernel features detection. (every command, criu check included)',
    fix: 'Use CRIU 4.1 or newer.',
    references: ['https://github.com/checkpoint-restore/criu/issues/2532', 'https://github.com/checkpoint-restore/criu/pull/2539'],
  },
  {
    id: 'sockopt-passcred',
    title: 'kernel ≥ 6.16 refuses SO_PASSCRED/SO_PASSSEC on inet, raw and packet sockets; CRIU before 4.2 asks for them',
    kernelFrom: '6.16',
    fixedIn: '4.2',
    appliesToEverything: false,
    confidence: 'certain',
    reason:
      'Linux 7d8d93fdde50b restricts SO_PASS{CRED,PIDFD,SEC} to AF_UNIX/AF_NETLINK/AF_BLUETOOTH; CRIU 4b7398595 stops reading them for other families. criu check still says "Looks good.".',
    symptom: "sockets: Can't get 1:16 opt: Operation not supported (and 1:34), then Dump files ... failed",
    fix: 'Use CRIU 4.2 or newer (any TCP, UDP, raw or packet socket in the container triggers it, e.g. a DHCP client).',
    references: ['https://github.com/checkpoint-restore/criu/issues/2705', 'https://github.com/checkpoint-restore/criu/issues/2829'],
    socketFamilies: ['inet', 'inet6', 'packet'],
  },
  {
    id: 'arm64-vdso-gnu-hash',
    title: 'aarch64 kernel ≥ 6.11 vDSO has only DT_GNU_HASH; CRIU before 4.1 cannot parse it',
    kernelFrom: '6.11',
    arches: ['aarch64'],
    fixedIn: '4.1',
    appliesToEverything: true,
    confidence: 'certain',
    reason: 'Linux 48f6430505c0 ("arm64/vdso: Remove --hash-style=sysv"); CRIU 8a06ca27c.',
    symptom: 'vdso: Not all dynamic entries are present → kernel feature detection fails',
    fix: 'Use CRIU 4.1 or newer.',
    references: ['criu commit 8a06ca27c'],
  },
  {
    id: 'arm-vdso-osabi',
    title: 'ARM vDSO with EI_OSABI=3 (Linux); CRIU before 4.2 rejects its ELF header',
    kernelFrom: '6.12',
    arches: ['aarch64', 'arm'],
    fixedIn: '4.2',
    appliesToEverything: true,
    confidence: 'build-dependent',
    reason: 'The vDSO ELF header carries OSABI 3; CRIU 2d2168fc9 (#2751) accepts it.',
    symptom: 'vdso: ELF header magic mismatch (CRIU 4.2 prints "Unsupported OSABI version" for other values)',
    fix: 'Use CRIU 4.2 or newer.',
    references: ['https://github.com/checkpoint-restore/criu/issues/2751'],
  },
  {
    id: 'compat-vdso-size',
    title: "x86_64 kernels whose 32-bit vDSO exceeds 2 pages; CRIU before 3.18 reserves too little",
    kernelFrom: '5.18',
    arches: ['x86_64'],
    fixedIn: '3.18',
    appliesToEverything: true,
    confidence: 'build-dependent',
    reason:
      "CRIU maps the compat (32-bit) vDSO into a 2-page buffer during kernel feature detection; some kernel builds (5.18 zen, 6.6.72+ on COS) have a 3-page one. PR#1938 (merged 2022-07-21, after 3.17.1) makes it 4 pages.",
    symptom: "Error: Compatible vdso's size is bigger than reserved buf → Failed to fill compat vdso symtable → Could not initialize kernel features detection.",
    fix: 'Use CRIU 3.18 or newer.',
    references: ['https://github.com/checkpoint-restore/criu/issues/1916', 'https://github.com/checkpoint-restore/criu/pull/1938'],
  },
  {
    id: 'rseq-old-criu',
    title: 'glibc ≥ 2.35 registers rseq; CRIU before 3.17 cannot checkpoint it',
    kernelFrom: '4.18',
    fixedIn: '3.17',
    appliesToEverything: false,
    confidence: 'certain',
    reason: 'rseq C/R arrived in CRIU 3.17; processes of a container with glibc ≥ 2.35 (Debian 12, Ubuntu 22.04 and newer) have rseq registered.',
    symptom: 'dump or restore of such processes fails',
    fix: 'Use CRIU 3.17 or newer, or start the container with GLIBC_TUNABLES=glibc.pthread.rseq=0.',
    references: ['https://github.com/checkpoint-restore/criu/issues/2552'],
  },
  {
    id: 'rseq-old-kernel',
    title: 'kernel before 5.13 lacks PTRACE_GET_RSEQ_CONFIGURATION',
    kernelFrom: '4.18',
    kernelBefore: '5.13',
    appliesToEverything: false,
    confidence: 'certain',
    reason: 'CRIU needs PTRACE_GET_RSEQ_CONFIGURATION (kernel 5.13) to dump rseq, which glibc ≥ 2.35 registers.',
    symptom: '%d has rseq but kernel lacks get_rseq_conf feature',
    fix: 'Use kernel 5.13 or newer, or start the container with GLIBC_TUNABLES=glibc.pthread.rseq=0.',
    references: ['https://github.com/checkpoint-restore/criu/issues/2552'],
  },
  {
    id: 'guard-pages',
    title: 'kernel ≥ 6.13 guard regions (MADV_GUARD_INSTALL); CRIU before 4.2 cannot dump them',
    kernelFrom: '6.13',
    fixedIn: '4.2',
    appliesToEverything: false,
    confidence: 'certain',
    reason: 'New glibc installs guard regions for thread stacks; CRIU 4.2 (PR#2652) dumps them when the kernel reports PAGE_IS_GUARD in PAGEMAP_SCAN.',
    symptom: 'dump of processes using MADV_GUARD_INSTALL fails; CRIU 4.2 warns "ioctl(PAGEMAP_SCAN) doesn\'t support PAGE_IS_GUARD flag" on kernels without it',
    fix: 'Use CRIU 4.2 or newer (and a kernel whose PAGEMAP_SCAN reports PAGE_IS_GUARD).',
    references: ['https://github.com/checkpoint-restore/criu/issues/2626', 'https://github.com/checkpoint-restore/criu/pull/2652'],
  },
  {
    id: 'kernel-7.1-podman',
    title: 'kernel 7.1: podman checkpoint reported failing',
    kernelFrom: '7.1',
    appliesToEverything: false,
    confidence: 'unverified',
    reason: 'Reported on Fedora rawhide (April 2026) with only "Dumping FAILED." in the excerpt; a later comment says upstream resolved it, release unknown.',
    symptom: 'Dumping FAILED. without an earlier error line',
    fix: 'Try the newest CRIU; run the dump with -v4 to see the cause.',
    references: ['https://github.com/checkpoint-restore/criu/issues/3002'],
  },
];

export interface CompatQuery {
  /** `uname -r` text or a parsed version. */
  kernel: VersionLike;
  /** `uname -m`. */
  arch: string;
  criu: VersionLike;
  /** Socket families present in the container (SocketFacts.family); when absent, socket-triggered entries are returned. */
  socketFamilies?: readonly string[];
}

function kernelVersion(kernel: VersionLike): VersionNumber | null {
  return typeof kernel === 'string' ? parseKernelRelease(kernel) : kernel;
}

/**
 * The entries that apply to this kernel, arch and CRIU. An unparseable
 * kernel or CRIU version gives no entries (nothing can be said).
 */
export function knownIncompatibilities(query: CompatQuery): Incompatibility[] {
  const kernel = kernelVersion(query.kernel);
  const criu = typeof query.criu === 'string' ? parseVersion(query.criu) : query.criu;
  if (!kernel || !criu) return [];
  const arch = normalizeArch(query.arch);
  return INCOMPATIBILITIES.filter((e) => {
    if (e.arches && !e.arches.includes(arch)) return false;
    if (e.kernelFrom && compareVersions(kernel, e.kernelFrom) < 0) return false;
    if (e.kernelBefore && !(compareVersions(kernel, e.kernelBefore) < 0)) return false;
    if (e.fixedIn && atLeast(criu, e.fixedIn)) return false;
    if (e.socketFamilies && query.socketFamilies && !query.socketFamilies.some((f) => e.socketFamilies!.includes(f))) return false;
    return true;
  });
}
