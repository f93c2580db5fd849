/** How the container's rootfs gets to the migration target: copied with rsync, or used in place (shared storage); a storage backend ctcr cannot copy. */
import { defineRule } from '../src/rule.js';
import { containerLocation, known } from '../src/live/facts.js';
import { bytesText, onTarget, rootfsPlan, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-rootfs-copy',
  severity: 'info',
  summary: "Says how the container's rootfs gets to the migration target (copied or shared); an error when it cannot be copied.",
  scope: 'target',
  messages: {
    cannotCopy: 'the rootfs is on a backend ctcr cannot copy',
    shared: 'the rootfs exists on the target and is used in place as shared storage',
    copied: 'the rootfs is copied to the target with rsync',
  },
  docs: {
    why:
      'CRIU images hold the processes, not the files: the restore needs the rootfs at the path the config names on the target, with the ' +
      'same content the tasks had open. ctcr migrate copies a rootfs in the container\'s folder into the target\'s container folder with ' +
      'rsync (a first pass while the container runs, a final one after the freeze), uses a rootfs outside it in place when the same path ' +
      'exists on the target (shared storage: it must be the same files), and copies it to the same path otherwise. A block or overlay ' +
      'backend (lvm, zfs, overlay, loop) is not a folder ctcr can copy.',
    fix: 'Nothing for a copy. For a backend: replicate the volume to the target yourself (zfs send, lvm on shared storage) and use a dir rootfs, or move the container stopped.',
    reference: 'lxc-facts.md §1c (rootfs at restore: bind-mounted from rootfs.path)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t) return [];
    const plan = rootfsPlan(snapshot, t.move, t.facts);
    if (!plan) return [];
    const location = plan.entry ? { file: plan.entry.file, line: plan.entry.line, column: plan.entry.column } : containerLocation(snapshot.container!);
    if (plan.kind === 'unsupported') {
      return [{ messageId: 'cannotCopy', message: onTarget(t.move, `the rootfs is on a ${plan.backend} backend, which ctcr cannot copy: replicate it yourself or move the container stopped`), location, severity: 'error' }];
    }
    if (plan.kind === 'shared') return [{ messageId: 'shared', message: onTarget(t.move, `${plan.path} exists there: used in place as shared storage (it must hold the same files), not copied`), location }];
    const size = known(snapshot.move?.source.rootfsBytes);
    return [{ messageId: 'copied', message: onTarget(t.move, `the rootfs ${plan.from} is copied with rsync to ${plan.to}${size !== undefined ? ` (${bytesText(size)})` : ''}, once while the container runs and again after the freeze`), location }];
  },
});
