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
  check(snapshot) {
    const dir = snapshot.checkpointDir;
    const c = snapshot.container;
    if (!dir || !c || snapshot.purpose !== 'restore' || dir.hasInventory || dir.error) return [];
    const what = !dir.exists ? 'does not exist' : dir.isDirectory === false ? 'is not a directory' : 'has no inventory.img';
    return [{ messageId: 'noCheckpoint', message: `${dir.path} ${what}: there is no checkpoint to restore. Name the directory a dump wrote`, location: containerLocation(c) }];
  },
});
