/**
 * Unless lxc.console.path is `none`, LXC gives the container a console pty
 * whose master it keeps on the host, bind-mounted over /dev/console.
 */
import { defineRule, at } from '../src/rule.js';
import { lastEntry } from '../src/config/query.js';
import { canonicalKey } from '../src/config/legacy-keys.js';
import { appendLine, documentOf, insertLineAfter, overrideAtEnd, replaceValue } from '../src/config/line-edits.js';
import { atLeast } from '../src/criu/version.js';
import type { Snapshot } from '../src/types.js';
import { lxcVersionsToJudge } from '../src/live/facts.js';

const CONSEQUENCE =
  "lxc-checkpoint then dumps it as an external tty, and the restore fails on a host with lxc.console.path = none " +
  '("lxc.console.path configured on source host but not target"); a plain criu dump fails with "tty: Unable to find a master for /dev/console"';

export default defineRule({
  id: 'console-enabled',
  severity: 'warning',
  summary: 'The console is not disabled (lxc.console.path is not none), so the container has a host-held console pty.',
  scope: 'static',
  messages: {
    consoleSet: 'lxc.console.path is set to something other than none',
    consoleUnset: 'lxc.console.path is not set, so LXC allocates a console',
  },
  hasSuggestions: true,
  docs: {
    why:
      'Unless lxc.console.path is none (also when the key is absent), LXC allocates a pty for the container and bind-mounts it over /dev/console; ' +
      'its master stays with LXC on the host. On dump, lxc-checkpoint records it in tty.info and passes --external tty[rdev:dev]; on restore it must ' +
      'hand CRIU a console of the target, so a target configured with lxc.console.path = none refuses the images ' +
      '("lxc.console.path configured on source host but not target"). A plain criu dump, without those options, fails with ' +
      '"tty: Unable to find a master for /dev/console" (checkpoint-restore/criu#299). The CRIU wiki\'s LXC page and LXC\'s own ' +
      'checkpoint test ("hax for criu") both disable the console.',
    fix:
      'Set lxc.console.path = none (lxc.console = none before LXC 2.1) on both hosts; the suggestion sets it, or adds the line after the ' +
      'console and tty settings of the main config (at its end when there are none). Use lxc-attach instead of lxc-console.',
    reference: 'lxc src/lxc/criu.c (save_tty_major_minor, restore); lxc src/tests/lxc-test-checkpoint-restore; https://criu.org/LXC',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const entry = lastEntry(config, 'lxc.console.path');
    if (entry?.value === 'none') return [];
    if (entry) {
      const doc = documentOf(config, entry)!;
      const what =
        entry.value === ''
          ? `${entry.key} is empty, which resets it to the default: LXC allocates a console`
          : `${entry.key} = ${entry.value}: LXC allocates a console pty`;
      return [
        {
          messageId: 'consoleSet',
          message: `${what} and bind-mounts it over /dev/console; ${CONSEQUENCE}. Set it to none`,
          location: at(entry),
          suggestions: [
            { description: `set ${entry.key} to none${entry.file === config.documents[0].path ? '' : ` in ${entry.file}`} (no console: lxc-console will not work, lxc-attach will)`, edits: [replaceValue(doc, entry, 'none')] },
            ...overrideAtEnd(config, entry, `${entry.key} = none`, 'no console: lxc-console will not work, lxc-attach will'),
          ],
        },
      ];
    }
    const main = config.documents[0];
    // A config judged for LXC 2.0 too (written in its keys) gets the key in the spelling LXC 2.0 reads; legacy-key renames it later.
    const key = lxcVersionsToJudge(snapshot).every((j) => atLeast(j.version, '2.1')) ? 'lxc.console.path' : 'lxc.console';
    const line = `${key} = none`;
    // Next to the settings it belongs with, when the main config has any.
    const related = main.entries.filter((e) => /^lxc\.(console|tty|pty)\b/.test(canonicalKey(e.key))).at(-1);
    return [
      {
        messageId: 'consoleUnset',
        message: `${key} is not set, so LXC allocates a console pty and bind-mounts it over /dev/console; ${CONSEQUENCE}. Add ${line}`,
        location: { file: main.path, line: 1, column: 1 },
        suggestions: [
          {
            description: `add ${line} ${related ? `after line ${related.line}` : 'at the end of the config'} (no console: lxc-console will not work, lxc-attach will)`,
            edits: [related ? insertLineAfter(main, related, line) : appendLine(main, line)],
          },
        ],
      },
    ];
  },
});
