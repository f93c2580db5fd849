/**
 * What the `target` rules share: the target's facts when they were read,
 * where a finding about the target host alone is reported (pseudo file
 * `target HOST`, line 0), and the side named at the start of each message.
 * Pure, like the rules.
 */
import type { Location, Snapshot } from '../types.js';
import type { MachineFacts, MoveFacts } from './facts-types.js';
import { known } from '../live/facts.js';
import { rootfsLocation } from '../config/query.js';

export const TARGET_FILE_PREFIX = 'target ';

export function targetFile(move: MoveFacts): string {
  return `${TARGET_FILE_PREFIX}${move.target}`;
}

export function targetLocation(move: MoveFacts): Location {
  return { file: targetFile(move), line: 0, column: 0 };
}

/** True for a finding about the target host alone (reported on the doctor's target entry). */
export function isTargetLocation(location: Location): boolean {
  return location.file.startsWith(TARGET_FILE_PREFIX) && location.line === 0;
}

/** The move and the target's facts, when both are there; rules are silent otherwise (target-facts-unavailable speaks). */
export function targetOf(snapshot: Snapshot): { move: MoveFacts; facts: MachineFacts } | undefined {
  const move = snapshot.move;
  const facts = known(move?.facts);
  return move && facts ? { move, facts } : undefined;
}

/** "target HOST: ..." : the side a finding is about. */
export function onTarget(move: MoveFacts, text: string): string {
  return `target ${move.target}: ${text}`;
}

export function onSource(text: string): string {
  return `source: ${text}`;
}

export function bytesText(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Where the rootfs of container `name` lives in the target's lxcpath (lxc-create's layout). */
export function targetContainerDir(move: MoveFacts, name: string): string {
  return `${move.targetLxcpath.replace(/\/+$/, '')}/${name}`;
}

/**
 * How the rootfs gets to the target. Inside the container's own folder
 * (LXCPATH/NAME/...): copied into the target's container folder. Elsewhere:
 * used in place when that path exists on the target (shared storage),
 * otherwise copied to the same path.
 */
export type RootfsPlan =
  | { kind: 'copy'; from: string; to: string; entry?: import('../types.js').ConfigEntry }
  | { kind: 'shared'; path: string; entry?: import('../types.js').ConfigEntry }
  | { kind: 'unsupported'; backend: string; entry?: import('../types.js').ConfigEntry };

export function rootfsPlan(snapshot: Snapshot, move: MoveFacts, facts: MachineFacts | undefined): RootfsPlan | undefined {
  const config = snapshot.config;
  const container = snapshot.container;
  if (!config || !container) return undefined;
  const where = rootfsLocation(config);
  if (where.backend) return { kind: 'unsupported', backend: where.backend, entry: where.entry };
  if (!where.dir) return undefined;
  const ownDir = `${container.lxcpath.replace(/\/+$/, '')}/${container.name}`;
  if (where.dir === ownDir || where.dir.startsWith(ownDir + '/')) {
    return { kind: 'copy', from: where.dir, to: targetContainerDir(move, container.name) + where.dir.slice(ownDir.length), entry: where.entry };
  }
  if (facts?.paths[where.dir]?.exists) return { kind: 'shared', path: where.dir, entry: where.entry };
  return { kind: 'copy', from: where.dir, to: where.dir, entry: where.entry };
}
