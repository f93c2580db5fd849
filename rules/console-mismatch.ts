/**
 * A checkpoint made with a console (tty.info in the images), restored into a
 * container configured without one.
 */
import { defineRule, at } from '../src/rule.js';
import type { Fix } from '../src/types.js';
import { entriesFor, lastEntry } from '../src/config/query.js';
import { appendLine, commentOutEntry, documentOf } from '../src/config/line-edits.js';
import { consoleDisabled } from '../src/live/facts.js';

const NOTE = 'the checkpoint was made with a console; lxc-checkpoint -r needs one here (console-mismatch)';

export default defineRule({
  id: 'console-mismatch',
  severity: 'error',
  summary: 'The checkpoint was made with a console (tty.info) but the container has lxc.console.path = none: the restore fails.',
  scope: 'live',
  messages: {
    dumpedWithConsole: 'the checkpoint holds a console (tty.info) but the container has lxc.console.path = none',
  },
  hasSuggestions: true,
  docs: {
    why:
      'When the dumped container had a console, lxc-checkpoint writes tty.info into the images and dumps /dev/console as an external tty. On ' +
      'restore it must hand CRIU a console pty of the target, which LXC allocates only when lxc.console.path is not none; otherwise it stops ' +
      'with "lxc.console.path configured on source host but not target". Measured in the lab. The reverse (dumped with lxc.console.path = none, ' +
      'restored with a console) restores fine.',
    fix: 'Restore with the console the dump had: remove lxc.console.path = none (the suggestion comments it out), or dump again with lxc.console.path = none on both sides.',
    reference: 'lxc src/lxc/criu.c exec_criu (tty.info)',
  },
  logSignatures: [
    {
      pattern: /lxc\.console\.path configured on source host but not target/,
      explain: () => ({ message: 'the dump was taken with a console (tty.info in the images) and the target container has lxc.console.path = none', fix: 'Use the same lxc.console.path on both hosts (lxc.console.path = none on both is simplest).' }),
      samples: [
        { line: 'lxc-checkpoint: c1: criu.c: exec_criu: 551 lxc.console.path configured on source host but not target', source: 'synthesized by ctcr (not a verbatim log): lxc-checkpoint stderr format as in https://github.com/lxc/lxc/issues/3521, message from lxc src/lxc/criu.c' },
      ],
    },
  ],
  check(snapshot) {
    const config = snapshot.config;
    const dir = snapshot.checkpointDir;
    if (!config || !dir || !snapshot.container || snapshot.purpose !== 'restore') return [];
    if (!dir.hasTtyInfo || !consoleDisabled(config)) return [];
    const entry = lastEntry(config, 'lxc.console.path')!;
    const main = config.documents[0]!;
    const lines = entriesFor(config, 'lxc.console.path').filter((e) => e.value === 'none');
    const inIncludes = lines.some((e) => e.file !== main.path);
    const suggestion: Fix = inIncludes
      ? { description: `add "lxc.console.path =" at the end of ${main.path} (back to LXC's default: a console)`, edits: [appendLine(main, 'lxc.console.path =')] }
      : { description: `comment out ${lines.map((e) => `line ${e.line}`).join(', ')} (LXC allocates a console again)`, edits: lines.map((e) => commentOutEntry(documentOf(config, e)!, e, NOTE)) };
    return [
      {
        messageId: 'dumpedWithConsole',
        message:
          `${dir.path} was dumped with a console (it holds tty.info), but ${entry.key} = none here: lxc-checkpoint -r stops with ` +
          '"lxc.console.path configured on source host but not target". Restore with a console, or dump again with lxc.console.path = none',
        location: at(entry),
        suggestions: [suggestion],
      },
    ];
  },
});
