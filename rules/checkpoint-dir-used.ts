/** lxc-checkpoint refuses to dump into a directory that already holds a checkpoint. */
import { defineRule } from '../src/rule.js';
import { containerLocation } from '../src/live/facts.js';

export default defineRule({
  id: 'checkpoint-dir-used',
  severity: 'error',
  summary: 'The checkpoint directory already holds a checkpoint (or is not a directory): the dump is refused.',
  scope: 'live',
  docs: {
    why:
      'Before a dump lxc-checkpoint looks for <dir>/inventory.img and stops when it is there: "please use a fresh directory for the dump ' +
      'directory" (lxc src/lxc/criu.c __criu_dump). A path that exists but is not a directory cannot hold one at all.',
    fix: 'Dump into a new, empty directory (or move the old checkpoint away first).',
    reference: 'lxc src/lxc/criu.c __criu_dump',
  },
  check(snapshot) {
    const dir = snapshot.checkpointDir;
    const c = snapshot.container;
    if (!dir || !c || snapshot.purpose === 'restore') return [];
    if (dir.exists && dir.isDirectory === false) {
      return [{ message: `${dir.path} is not a directory: lxc-checkpoint cannot dump into it. Name a new directory`, location: containerLocation(c) }];
    }
    if (!dir.hasInventory) return [];
    return [
      {
        message: `${dir.path} already holds a checkpoint (inventory.img${dir.hasTtyInfo ? ', tty.info' : ''}): lxc-checkpoint refuses to dump into it ("please use a fresh directory for the dump directory"). Use a new directory`,
        location: containerLocation(c),
      },
    ];
  },
});
