/** CRIU failed reading or writing its image files (an error from its image code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-images',
  severity: 'error',
  summary: "CRIU failed reading or writing its image files (an error from its image code).",
  scope: 'log',
  docs: {
    why: "CRIU writes a checkpoint as protobuf image files (image.c, protobuf.c, bfd.c, img-streamer.c) and reads them back on restore; it fails on a missing, truncated or foreign image, images of an incompatible CRIU, or a directory it cannot write.",
    fix: "Check the images directory (-D, lxc-checkpoint -D): it must be the complete output of one successful dump, writable on dump, with free space; ctcr doctor NAME checks the known cases (checkpoint-missing, checkpoint-dir-used, deprecated-images). crit show FILE.img shows whether an image can be read; restore with a CRIU as new as the one that dumped.",
  },
  logArea: {
    name: "image files",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\.img\b|protobuf|\binventory\b|\bmagic\b/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'bfd.c',
      'cr-dedup.c',
      'cr-show.c',
      'criu/bfd.c',
      'criu/cr-dedup.c',
      'criu/image-desc.c',
      'criu/image.c',
      'criu/img-streamer.c',
      'criu/protobuf-desc.c',
      'criu/protobuf.c',
      'criu/stats.c',
      'image-desc.c',
      'image.c',
      'protobuf-desc.c',
      'protobuf.c',
      'stats.c',
    ],
  },
});
