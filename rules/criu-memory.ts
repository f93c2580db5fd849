/** CRIU failed dumping or restoring memory pages (an error from its memory or pagemap code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-memory',
  severity: 'error',
  summary: "CRIU failed dumping or restoring memory pages (an error from its memory or pagemap code).",
  scope: 'log',
  docs: {
    why: "CRIU's memory code (mem.c, pagemap.c, page-pipe.c, page-xfer.c, shmem.c, hugetlb.c, uffd.c, aio.c) reads the tasks' pages through the parasite and /proc/PID/pagemap, writes them to pages-*.img (or a page server), and maps them back on restore; it fails on memory it cannot read, a full disk, a lost page server or a pre-dump chain that does not match.",
    fix: "Check free space in the images directory and the memory limits of the restore host; with --prev-images-dir or --track-mem, the parent images must be the ones of the previous pre-dump (ctcr checkpoint keeps them together); with --page-server or --lazy-pages, the page server's own log. /proc/sys/kernel/yama/ptrace_scope and the soft-dirty bit (CONFIG_MEM_SOFT_DIRTY) matter for pre-dumps.",
  },
  logArea: {
    name: "memory and page dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bmappings?\b|\bpagemap\b|\bpages?\b|\bvmas?\b|\bmemory\b|\baio\b|\bshmem\b/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'aio.c',
      'criu/aio.c',
      'criu/hugetlb.c',
      'criu/mem.c',
      'criu/page-pipe.c',
      'criu/page-read.c',
      'criu/page-xfer.c',
      'criu/pagemap-cache.c',
      'criu/pagemap.c',
      'criu/rst-malloc.c',
      'criu/shmem.c',
      'criu/uffd.c',
      'mem.c',
      'page-pipe.c',
      'page-read.c',
      'page-xfer.c',
      'pagemap-cache.c',
      'rst-malloc.c',
      'shmem.c',
    ],
  },
});
