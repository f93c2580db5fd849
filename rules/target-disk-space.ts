/** The migration target has less free disk than the rootfs copy and the images need. */
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import type { DiskSpace } from '../src/migrate/facts-types.js';
import { known } from '../src/live/facts.js';
import { bytesText, onTarget, rootfsPlan, targetLocation, targetOf } from '../src/migrate/target-facts.js';

/** Room kept on top of the estimates: images carry more than the charged memory (page maps, fds, ghost files). */
export const DISK_MARGIN = { ratio: 0.1, bytes: 64 * 1024 * 1024 };
const needed = (bytes: number) => Math.ceil(bytes * (1 + DISK_MARGIN.ratio)) + DISK_MARGIN.bytes;
/** Two measurements of one filesystem (statfs gives no id to compare): the same size and the same room left. */
const sameFs = (a: DiskSpace, b: DiskSpace) => a.totalBytes === b.totalBytes && Math.abs(a.availableBytes - b.availableBytes) < 16 * 1024 * 1024;

export default defineRule({
  id: 'target-disk-space',
  severity: 'error',
  summary: 'The migration target has less free disk than the rootfs copy and the images need.',
  scope: 'target',
  messages: {
    notEnoughSpace: 'the target lacks the free space the rootfs copy and the images need',
  },
  docs: {
    why:
      'A dump writes about the memory the container\'s cgroup charges (memory.current), and the copied rootfs takes what it takes here. ' +
      'When the target\'s disk fills during the copy of the images, the restore cannot start after the source was frozen and dumped. ' +
      'ctcr compares the free space of the target\'s lxcpath and images folder (statfs, as an unprivileged writer) with those sizes plus ' +
      `${DISK_MARGIN.ratio * 100}% and ${DISK_MARGIN.bytes / 1024 / 1024} MiB, summed when both are on one filesystem.`,
    fix: 'Free space on the target, or point --target-images-dir (and the target lxcpath) at a filesystem with room.',
    reference: 'statfs(2); criu images (pages-*.img hold the dumped memory)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t) return [];
    const { move } = t;
    const plan = rootfsPlan(snapshot, t.move, t.facts);
    const rootfs = plan?.kind === 'copy' ? known(move.source.rootfsBytes) ?? 0 : 0;
    const memory = known(move.source.memoryBytes) ?? 0;
    const lxcFree = known(t.facts.lxcpath.free);
    const imgFree = t.facts.imagesDir ? known(t.facts.imagesDir.free) : undefined;
    const reports: Report[] = [];
    const location = targetLocation(t.move);
    const short = (free: DiskSpace, want: number, what: string) => {
      if (free.availableBytes >= needed(want)) return;
      reports.push({ messageId: 'notEnoughSpace', message: onTarget(t.move, `${bytesText(free.availableBytes)} free on ${free.measured}, ${what} need about ${bytesText(needed(want))}: free space there or choose another folder`), location });
    };
    if (lxcFree && imgFree && sameFs(lxcFree, imgFree)) short(lxcFree, rootfs + memory, `the rootfs copy (${bytesText(rootfs)}) and the images (${bytesText(memory)})`);
    else {
      if (lxcFree && rootfs > 0) short(lxcFree, rootfs, `the rootfs copy (${bytesText(rootfs)})`);
      if (imgFree) short(imgFree, memory, `the images (${bytesText(memory)} of memory)`);
    }
    return reports;
  },
});
