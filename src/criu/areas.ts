/**
 * Which CRIU subsystem an error line comes from, by the source file CRIU
 * prints with it (`Error (criu/sk-unix.c:219): ...`). The file lists live in
 * the area rules (rules/criu-*.ts `logArea`); explain falls back to them when
 * no rule's signature knows the message, so a log with an error line is
 * never left at the bare `criu-error`.
 */
import type { Rule } from '../types.js';

export interface CriuArea {
  ruleId: string;
  /** Completes "CRIU failed in ...". */
  name: string;
  /** The area's guidance: what to look at, which options, which doctor rules. */
  fix: string;
  mentions?: RegExp;
  generic?: boolean;
}

/** Source path as in CRIU's tree (`criu/sk-unix.c`, `compel/src/lib/infect.c`, v2's `sk-unix.c`) → its area. */
export type AreaTable = ReadonlyMap<string, CriuArea>;

export const NO_AREAS: AreaTable = new Map();

export function areaTable(rules: readonly Rule[]): AreaTable {
  const table = new Map<string, CriuArea>();
  for (const r of rules) {
    if (!r.logArea) continue;
    // First rule wins: a user rule cannot silently take a built-in area's file (rules load built-in first).
    const area: CriuArea = {
      ruleId: r.id,
      name: r.logArea.name,
      fix: r.docs.fix,
      ...(r.logArea.mentions ? { mentions: r.logArea.mentions } : {}),
      ...(r.logArea.generic ? { generic: true } : {}),
    };
    for (const f of r.logArea.files) if (!table.has(f)) table.set(f, area);
  }
  return table;
}

/**
 * The area of a printed source path. Distro builds print absolute paths
 * (`/usr/src/debug/criu/4.1.1+git/criu/timer.c`), so the longest suffix of
 * the path that is one of CRIU's files decides: `criu/timer.c` before a
 * bare `timer.c` of CRIU 2.
 */
export function areaOf(table: AreaTable, printed: string): { file: string; area: CriuArea } | undefined {
  const parts = printed.replace(/^\.\//, '').split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length; i++) {
    const file = parts.slice(i).join('/');
    const area = table.get(file);
    if (area) return { file, area };
  }
  return undefined;
}

/**
 * The area of an error line: its file's, except that a file serving every
 * subsystem (a `generic` area: cr-dump.c's "Dump eventpoll (pid: 1) failed",
 * the restorer's "sys_seccomp() returned -22", util.c's "Unable to restore
 * TCP_CORK") gives way to the first other area whose subject the message
 * names; so does a file no list has (a newer CRIU's).
 */
export function areaForLine(table: AreaTable, printed: string, message: string, origin: 'criu' | 'lxc' = 'criu'): { file: string; area: CriuArea } | undefined {
  // LXC's files share names with CRIU's (criu.c, cgroup.c): LXC areas list theirs as `lxc:FILE`, with `lxc:*` for the rest.
  if (origin === 'lxc') {
    const base = printed.split('/').pop()!;
    const area = table.get(`lxc:${printed}`) ?? table.get(`lxc:${base}`) ?? table.get('lxc:*');
    return area ? { file: printed, area } : undefined;
  }
  const found = areaOf(table, printed);
  if (found && !found.area.generic) return found;
  // A file CRIU did not have when these lists were made (a newer CRIU): the message's subject may still name the area.
  const subject = withoutErrno(message);
  const seen = new Set<string>();
  for (const area of table.values()) {
    if (seen.has(area.ruleId) || area.ruleId === found?.area.ruleId) continue;
    seen.add(area.ruleId);
    if (area.mentions?.test(subject)) return { file: found?.file ?? printed, area };
  }
  return found;
}

/** strerror texts end many messages and name no subsystem ("No such file or directory" is not about files). */
const ERRNO_TEXT =
  /: (?:No such file or directory|Bad file descriptor|File exists|Too many open files|File too large|Text file busy|Is a directory|Not a directory|Operation not permitted|Permission denied|Invalid argument|No such process|Device or resource busy|Resource temporarily unavailable|No space left on device|Read-only file system|Broken pipe|Protocol error|Function not implemented|Operation not supported|No such device(?: or address)?|Cannot allocate memory|Bad address|Interrupted system call|Connection refused|Address already in use|Cannot assign requested address)$/;

function withoutErrno(message: string): string {
  return message.trim().replace(ERRNO_TEXT, '');
}
