/**
 * A bind lxc.mount.entry whose host source is a symlink: CRIU's default
 * mount engine (mount-v2) restores external bind mounts with
 * open_tree(AT_SYMLINK_NOFOLLOW), which takes the link itself, and
 * move_mount then fails.
 */
import { defineRule } from '../src/rule.js';
import type { Report, Snapshot, TextEdit } from '../src/types.js';
import { atLeast } from '../src/criu/version.js';
import { documentOf } from '../src/config/line-edits.js';
import { criuOf, isBindMount, known, restoreSide } from '../src/live/facts.js';

/** CRIU restores mounts with mount-v2 from 3.17 when the kernel has MOVE_MOUNT_SET_GROUP (5.15). */
function mountV2(snapshot: Snapshot): boolean {
  const criu = criuOf(snapshot.host);
  if (!criu || !atLeast(criu.version, '3.17')) return false;
  const feature = criu.features.move_mount_set_group;
  if (feature !== undefined) return feature;
  const kernel = known(snapshot.host?.kernel);
  return kernel ? atLeast(kernel.version, '5.15') : true;
}

/** fstab's octal escapes for the characters that would split or end a field. */
const escapeField = (p: string) => p.replace(/[\\ \t\n]/g, (ch) => '\\' + ch.charCodeAt(0).toString(8).padStart(3, '0'));

export default defineRule({
  id: 'bind-mount-restore',
  severity: 'error',
  summary: "A bind mount's host source is a symlink: CRIU's default mount engine fails to restore it.",
  scope: 'live',
  messages: {
    symlinkSource: "a bind mount's host source is a symlink, which CRIU's default mount engine cannot restore",
  },
  fixable: true,
  docs: {
    why:
      'lxc-checkpoint marks every bind lxc.mount.entry as an external mount and, on restore, hands CRIU its source path as written ' +
      '(--ext-mount-map target:source). CRIU\'s mount-v2 engine (the default from CRIU 3.17 on kernels from 5.15) bind-mounts it with ' +
      'open_tree(..., AT_SYMLINK_NOFOLLOW), which takes a symlink itself rather than the folder it points to, and move_mount fails: ' +
      '"mnt-v2: Failed to move_mount from /lib to ...: Invalid argument". The dump works; the restore does not. On merged-/usr hosts the ' +
      'busybox template\'s `/lib lib none ro,bind` and `/lib64 lib64 none ro,bind` are such links (/lib -> usr/lib). Measured in the lab: ' +
      'with the sources changed to the real folders, the same container restores with the default engine.',
    fix:
      'Point the entry at the real folder (the fix does: /lib -> /usr/lib; the same folder is mounted, so nothing changes for the container), ' +
      'then restart the container. The fallback is CRIU\'s --mntns-compat-mode on restore (lxc-checkpoint has no switch for it; CRIU reads it ' +
      'from /etc/criu/default.conf as `mntns-compat-mode`, but it is refused on dump).',
    reference: 'criu/mount-v2.c __do_bind_mount_v2; lxc src/lxc/criu.c (--ext-mount-map for bind entries)',
  },
  logSignatures: [
    {
      pattern: /Failed to move_mount from (\S+) to (.*?)(?::\s*([A-Z][^:]*))?$/,
      explain(m) {
        return {
          message: `the mount-v2 restore engine could not bind ${m[1]} into the container${m[3] ? ` (${m[3]})` : ''}`,
          fix:
            'If the bind mount source is a symlink (merged /usr: /lib -> usr/lib), point the lxc.mount.entry at the real directory (/usr/lib). ' +
            'Otherwise restore with --mntns-compat-mode (restore only; lxc-checkpoint has no switch for it, so put "mntns-compat-mode" in a file named by CRIU_CONFIG_FILE).',
          criuOptions: ['--mntns-compat-mode'],
        };
      },
      samples: [
        { line: '(00.002660)      1: Error (criu/mount-v2.c:596): mnt-v2: Failed to move_mount from /lib to /tmp/.criu.mntns.Xq3MzB/mnt-0000000512: Invalid argument', source: 'synthesized by ctcr (not a verbatim log): line formats from CRIU\'s log.c/mount.c as seen in issue logs; the sequence from the team\'s lab notes (LXC 5.0.2 busybox container on kernel 6.18); ro bind ...' },
        { line: '(00.076009)      1: Error (criu/mount-v2.c:324): mnt-v2: Failed to move_mount from /lib to /tmp/.criu.mntns.zsk1Rh/mnt-0000000074: Invalid argument', source: 'lab: mntv2-symlink-bind-restore-criu4.2.1-linux6.18.log (this project\'s lab)' },
      ],
    },
  ],
  check(snapshot) {
    const config = snapshot.config;
    const sources = snapshot.container && known(snapshot.container.bindSources);
    if (!config || !sources || !restoreSide(snapshot) || !mountV2(snapshot)) return [];
    const bySource = new Map(sources.map((s) => [s.source, s]));
    const reports: Report[] = [];
    for (const mount of snapshot.mounts) {
      if (mount.origin !== 'entry' || !isBindMount(mount)) continue;
      const facts = bySource.get(mount.fsname);
      if (!facts?.symlink || !facts.exists || !facts.realPath) continue;
      const entry = mount.entry;
      const doc = documentOf(config, entry);
      const edits: TextEdit[] = [];
      if (doc) {
        const raw = doc.text.slice(entry.valueStart, entry.valueEnd);
        const skip = /^["']/.test(raw) ? 1 : 0;
        const token = /^[^ \t]+/.exec(raw.slice(skip))?.[0];
        if (token) edits.push({ file: doc.path, start: entry.valueStart + skip, end: entry.valueStart + skip + token.length, text: escapeField(facts.realPath) });
      }
      reports.push({
        messageId: 'symlinkSource',
        message:
          `lxc.mount.entry '${entry.value}': its source ${mount.fsname} is a symlink to ${facts.realPath}; CRIU's mount-v2 engine takes the link itself ` +
          `and the restore fails ("mnt-v2: Failed to move_mount from ${mount.fsname} to ...: Invalid argument"). Point the entry at ${facts.realPath}`,
        location: { file: entry.file, line: entry.line, column: entry.column },
        criuOptions: ['--mntns-compat-mode'],
        ...(edits.length ? { fix: { description: `mount ${facts.realPath} instead of the symlink ${mount.fsname} (the same folder)`, edits } } : {}),
      });
    }
    return reports;
  },
});
