/**
 * LXC bind-mounts one pty of the host's devpts per container tty; CRIU finds
 * no master for them in the dumped tree and refuses the dump.
 */
import { defineRule, at } from '../src/rule.js';
import { lastEntry } from '../src/config/query.js';

export default defineRule({
  id: 'tty-nonzero',
  severity: 'error',
  summary: 'lxc.tty.max (lxc.tty) gives the container ttys, which CRIU cannot dump.',
  scope: 'static',
  docs: {
    why:
      "For each of lxc.tty.max ttys LXC bind-mounts a pty whose master the container's processes do not hold. " +
      "criu dump then fails with 'tty: Unable to find a master for /N' (lxc/lxc#1730, checkpoint-restore/criu#1295).",
    fix: 'Set lxc.tty.max = 0 (the suggestion does). Use lxc-attach instead of lxc-console to get a shell in the container.',
    reference: 'https://github.com/lxc/lxc/issues/1730',
  },
  check(snapshot) {
    const entry = snapshot.config && lastEntry(snapshot.config, 'lxc.tty.max');
    if (!entry) return [];
    const count = Number(entry.value);
    if (!(count > 0)) return [];
    return [
      {
        message: `${entry.key} = ${entry.value}: CRIU cannot dump the container's ttys ('tty: Unable to find a master'); set it to 0`,
        location: at(entry),
        suggestions: [
          {
            description: `set ${entry.key} to 0 (no ttys: lxc-console will not work, lxc-attach will)`,
            edits: [{ file: entry.file, start: entry.valueStart, end: entry.valueEnd, text: '0' }],
          },
        ],
      },
    ];
  },
});
