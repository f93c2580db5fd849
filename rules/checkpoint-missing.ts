/** A restore from a directory that holds no checkpoint. */
import { defineRule } from '../src/rule.js';
import { containerLocation } from '../src/live/facts.js';

export default defineRule({
  id: 'checkpoint-missing',
  severity: 'error',
  summary: 'A restore was asked for, but the checkpoint directory holds no checkpoint (no inventory.img).',
  scope: 'live',
  messages: {
    noCheckpoint: 'the checkpoint directory to restore from holds no checkpoint',
  },
  docs: {
    why: 'CRIU restores from the images a dump wrote; every dump writes inventory.img. Without it the restore fails before anything starts.',
    fix: 'Name the directory the dump wrote (lxc-checkpoint -s -D DIR), and copy all of it when restoring on another host.',
    reference: 'criu/image.c (inventory)',
  },
  logSignatures: [
    {
      // criu/protobuf.c: reading an image file that is not there or empty; with "No inventory.img image" before it, the directory holds no dump.
      pattern: /Unexpected EOF on \(empty-image\)/,
      explain: (_m, { log }) =>
        log.lines.some((l) => /^No inventory\.img image$/.test(l.message))
          ? { message: 'the directory holds no checkpoint: no inventory.img (a dump that failed, or the wrong directory)', fix: 'Restore from the directory of a dump that finished ("Dumping finished successfully" in its dump.log); copy all of it to another host.' }
          : { ruleId: 'criu-images', message: 'an image file of the checkpoint is empty or cut short', fix: 'Dump again into an empty directory with enough free space; copy the whole directory when moving it.' },
      samples: [
        { line: '(00.000137) Error (criu/protobuf.c:72): Unexpected EOF on (empty-image)', source: 'https://github.com/checkpoint-restore/criu/issues/1873 (restoring the images a failed dump left)' },
      ],
    },
  ],
  check(snapshot) {
    const dir = snapshot.checkpointDir;
    const c = snapshot.container;
    if (!dir || !c || snapshot.purpose !== 'restore' || dir.hasInventory || dir.error) return [];
    const what = !dir.exists ? 'does not exist' : dir.isDirectory === false ? 'is not a directory' : 'has no inventory.img';
    return [{ messageId: 'noCheckpoint', message: `${dir.path} ${what}: there is no checkpoint to restore. Name the directory a dump wrote`, location: containerLocation(c) }];
  },
});
