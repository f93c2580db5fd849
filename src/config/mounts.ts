/**
 * The mounts a config asks LXC to make: fstab lines (`lxc.mount.fstab`),
 * `lxc.mount.entry` lines and `lxc.mount.auto` tokens, as one list.
 */
import type { ConfigEntry, FstabFacts, LxcConfig, MountSpec } from '../types.js';
import { InputError } from '../errors.js';
import { listEntries } from './query.js';
import { textTable } from '../util/table.js';

interface FstabFields {
  fsname: string;
  target: string;
  fstype: string;
  options: string[];
}

/** fstab escapes spaces and tabs as octal (`\040`). */
function unescapeField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** One fstab line's fields; undefined for blank and comment lines. */
export function parseFstabLine(line: string): FstabFields | undefined | 'invalid' {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const fields = trimmed.split(/[ \t]+/);
  if (fields.length < 3) return 'invalid';
  return {
    fsname: unescapeField(fields[0]),
    target: unescapeField(fields[1]),
    fstype: fields[2],
    options: fields[3] ? fields[3].split(',') : ['defaults'],
  };
}

export function fstabMounts(fstab: FstabFacts): MountSpec[] {
  if (fstab.text === undefined) return [];
  const mounts: MountSpec[] = [];
  fstab.text.split(/\r\n|\n\r|\r|\n/).forEach((line, i) => {
    const fields = parseFstabLine(line);
    if (fields === undefined) return;
    const column = line.length - line.trimStart().length + 1;
    if (fields === 'invalid') {
      throw new InputError(`fstab line needs at least 3 fields (source, target, type): '${line.trim()}'`, { file: fstab.path, line: i + 1, column });
    }
    mounts.push({ origin: 'fstab', ...fields, location: { file: fstab.path, line: i + 1, column }, entry: fstab.entry });
  });
  return mounts;
}

function entryMount(entry: ConfigEntry): MountSpec {
  const fields = parseFstabLine(entry.value);
  if (fields === undefined || fields === 'invalid') {
    throw new InputError(`lxc.mount.entry needs at least 3 fields (source, target, type): '${entry.value}'`, entry);
  }
  return { origin: 'entry', ...fields, location: { file: entry.file, line: entry.line, column: entry.column }, entry };
}

/** What each `lxc.mount.auto` token mounts (lxc-facts.md §3). */
const AUTO_MOUNTS = textTable<{ target: string; fstype: string }>({
  proc: { target: 'proc', fstype: 'proc' },
  sys: { target: 'sys', fstype: 'sysfs' },
  cgroup: { target: 'sys/fs/cgroup', fstype: 'cgroup' },
  'cgroup-full': { target: 'sys/fs/cgroup', fstype: 'cgroup' },
  cgroup2: { target: 'sys/fs/cgroup', fstype: 'cgroup2' },
  shmounts: { target: 'dev/.lxc-mounts', fstype: 'tmpfs' },
});

function autoMounts(entry: ConfigEntry): MountSpec[] {
  return entry.value
    .split(/[ \t]+/)
    .filter(Boolean)
    .map((token) => {
      const base = token.split(':')[0];
      const known = AUTO_MOUNTS[base] ?? { target: '', fstype: '' };
      return {
        origin: 'auto' as const,
        fsname: token,
        target: known.target,
        fstype: known.fstype,
        options: token.split(':').slice(1),
        location: { file: entry.file, line: entry.line, column: entry.valueStart - entry.lineStart + 1 + entry.value.indexOf(token) },
        entry,
      };
    });
}

/** Every mount the config declares, in the order LXC mounts them: auto, fstab, entries. */
export function configMounts(config: LxcConfig, fstabs: FstabFacts[]): MountSpec[] {
  return [
    ...listEntries(config, 'lxc.mount.auto').flatMap(autoMounts),
    ...fstabs.flatMap(fstabMounts),
    ...listEntries(config, 'lxc.mount.entry').map(entryMount),
  ];
}
