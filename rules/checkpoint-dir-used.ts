/** lxc-checkpoint refuses to dump into a directory that already holds a checkpoint. */
import { defineRule } from '../src/rule.js';
import { containerLocation } from '../src/live/facts.js';

export default defineRule({
  id: 'checkpoint-dir-used',
  severity: 'error',
  summary: 'The checkpoint directory already holds a checkpoint (or is not a directory): the dump is refused.',
  scope: 'live',
  messages: {
    notDirectory: 'the checkpoint path exists and is not a directory',
    holdsCheckpoint: 'the checkpoint directory already holds a checkpoint',
  },
  docs: {
    why:
      'Before a dump lxc-checkpoint looks for <dir>/inventory.img and stops when it is there: "please use a fresh directory for the dump ' +
      'directory" (lxc src/lxc/criu.c __criu_dump). A path that exists but is not a directory cannot hold one at all.',
    fix: 'Dump into a new, empty directory (or move the old checkpoint away first).',
    reference: 'lxc src/lxc/criu.c __criu_dump',
  },
  logSignatures: [
    {
      pattern: /please use a fresh directory for the dump directory/,
      explain: () => ({ message: 'the checkpoint directory already holds a dump (inventory.img)', fix: 'Use an empty directory for -D, or remove the old images.' }),
      samples: [
        { line: 'lxc-checkpoint c1 20250611093012.123 ERROR    criu - criu.c:__criu_dump:1226 - please use a fresh directory for the dump directory', source: 'synthesized by ctcr (not a verbatim log): LXC log-file line format as in https://github.com/checkpoint-restore/criu/issues/670, message from lxc src/lxc/criu.c' },
        { line: 'lxc-checkpoint: ctcrlab-exp6logs-26995: ../src/lxc/criu.c: __criu_dump: 1339 please use a fresh directory for the dump directory', source: 'lab: fresh-dir-lxc-checkpoint-stderr-lxc5.0.2.log (this project\'s lab)' },
      ],
    },
  ],
  check(snapshot) {
    const dir = snapshot.checkpointDir;
    const c = snapshot.container;
    if (!dir || !c || snapshot.purpose === 'restore') return [];
    if (dir.exists && dir.isDirectory === false) {
      return [{ messageId: 'notDirectory', message: `${dir.path} is not a directory: lxc-checkpoint cannot dump into it. Name a new directory`, location: containerLocation(c) }];
    }
    if (!dir.hasInventory) return [];
    return [
      {
        messageId: 'holdsCheckpoint',
        message: `${dir.path} already holds a checkpoint (inventory.img${dir.hasTtyInfo ? ', tty.info' : ''}): lxc-checkpoint refuses to dump into it ("please use a fresh directory for the dump directory"). Use a new directory`,
        location: containerLocation(c),
      },
    ];
  },
});
