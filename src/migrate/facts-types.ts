/**
 * The facts of a migration's target, as `ctcr facts --format json` prints
 * them on that host (read over ssh), and what the source needs there. A
 * versioned shape: a source reading another ctcr's facts checks `schema` and
 * `version` before a rule reads a field.
 */
import type { Gathered, HostFacts } from '../types.js';

export const FACTS_SCHEMA = 'ctcr-facts';
/** Bumped on any change a reader of the previous shape would misread. */
export const FACTS_VERSION = 1;

export interface DiskSpace {
  /** The path asked about. */
  path: string;
  /** The existing folder measured: the path, or its nearest existing parent when it does not exist yet. */
  measured: string;
  /** Bytes available to an unprivileged writer (statfs f_bavail), and to root (f_bfree). */
  availableBytes: number;
  freeBytes: number;
  totalBytes: number;
}

export interface PathFacts {
  exists: boolean;
  type?: 'dir' | 'file' | 'symlink' | 'other';
  /** realpath, when it exists. */
  realPath?: string;
}

/** What `ctcr facts` prints: one host, as the doctor sees it, plus what a migration's target must have. */
export interface MachineFacts {
  schema: typeof FACTS_SCHEMA;
  version: typeof FACTS_VERSION;
  /** The ctcr that gathered them. */
  ctcrVersion: string;
  hostname: string;
  /** The doctor's host facts (src/gather/host.ts). */
  host: HostFacts;
  /** Controllers the cgroup tree offers: cgroup.controllers of the cgroup2 root, else the enabled lines of /proc/cgroups. */
  cgroupControllers: Gathered<string[]>;
  /**
   * `criu cpuinfo dump` on this host: the image (base64 of cpuinfo.img) a
   * target checks with `criu cpuinfo check`; null when there is no CRIU.
   */
  cpuinfo: Gathered<{ image: string } | null>;
  /** `criu cpuinfo check` of another host's image (`ctcr facts --check-cpuinfo`), when one was given. */
  cpuinfoCheck?: Gathered<{ ok: boolean; exitCode?: number; output: string }>;
  /** Programs a move runs on this host (rsync, tar, ssh ...): absolute path or null. */
  moveTools: Record<string, string | null>;
  lxcpath: {
    path: string;
    /** Every entry of the lxcpath (a container, or a folder LXC would refuse to create one over). */
    names: Gathered<string[]>;
    free: Gathered<DiskSpace>;
  };
  /** The folder the images would go to (`--images-dir`), when asked. */
  imagesDir?: { path: string; free: Gathered<DiskSpace> };
  /** The paths asked about with `--path` (bind-mount sources, the rootfs). */
  paths: Record<string, PathFacts>;
}

/** What the source brings: sizes a target must have room for, and the source's CPU image. */
export interface SourceNeeds {
  /** Bytes of the container's rootfs (du -sx), when it has to be copied. */
  rootfsBytes: Gathered<number>;
  /** Memory the container's cgroup charges (memory.current): about what a dump writes. */
  memoryBytes: Gathered<number>;
  /** `criu cpuinfo dump` here (base64), sent to the target's `criu cpuinfo check`. */
  cpuinfo: Gathered<{ image: string } | null>;
  /** This host's cgroup controllers (as MachineFacts.cgroupControllers). */
  cgroupControllers: Gathered<string[]>;
  /** rsync here (the move copies with it). */
  rsync: string | null;
  /** `criu check --feature mem_dirty_track` here: pre-dumps can send only the pages dirtied since the last one. */
  memTrack?: Gathered<boolean>;
}

export interface MoveFacts {
  /** `[user@]host` as given. */
  target: string;
  /** The target's lxcpath (asked for, or the target's own default). */
  targetLxcpath: string;
  /** Where the images go on the target. */
  imagesDir: string;
  facts: Gathered<MachineFacts>;
  source: SourceNeeds;
}
