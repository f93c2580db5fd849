/**
 * LXC bind-mounts one pty of the host's devpts per container tty; CRIU finds
 * no master for them in the dumped tree and refuses the dump.
 */
import { overrideAtEnd } from '../src/config/line-edits.js';
import { defineRule, at } from '../src/rule.js';
import { lastEntry } from '../src/config/query.js';
import { cAtoi, lxcSafeUint } from '../src/config/numbers.js';
import { ttyMountsFor } from '../src/criu/log-helpers.js';

export default defineRule({
  id: 'tty-nonzero',
  severity: 'error',
  summary: 'lxc.tty.max (lxc.tty) gives the container ttys, which CRIU cannot dump.',
  scope: 'static',
  messages: {
    ttys: 'lxc.tty.max is above 0',
  },
  hasSuggestions: true,
  docs: {
    why:
      "For each of lxc.tty.max ttys LXC bind-mounts a pty whose master the container's processes do not hold. " +
      "criu dump then fails with 'tty: Unable to find a master for /N' (lxc/lxc#1730, checkpoint-restore/criu#1295).",
    fix: 'Set lxc.tty.max = 0 (the suggestion does). Use lxc-attach instead of lxc-console to get a shell in the container.',
    reference: 'https://github.com/lxc/lxc/issues/1730',
  },
  logSignatures: [
    {
      pattern: /Unable to find a master for (\S+)/,
      explain(m, { log }) {
        const what = m[1]!;
        const targets = what.includes('console') ? ['/dev/console'] : ttyMountsFor(log, what).map((x) => x.mountpoint);
        const consoles = targets.filter((t) => /console/.test(t));
        if (targets.length > 0 && consoles.length === targets.length) {
          return {
            ruleId: 'console-enabled',
            message: `the container's /dev/console is a pty (${what}) whose master is outside the container`,
            fix: 'Set lxc.console.path = none in the container config (lxc-checkpoint then passes no console options), or restore with the console pty passed via --inherit-fd.',
          };
        }
        const ttys = targets.filter((t) => !/console/.test(t));
        const also = consoles.length ? `, or ${consoles.join(', ')}, which has the same pty number on another devpts instance` : '';
        return {
          message: `a container tty (${ttys.length ? ttys.join(', ') : `devpts ${what}`}${also}) is a pty whose master LXC holds outside the container`,
          fix: 'Set lxc.tty.max = 0 (and lxc.pty.max = 0 if it still fails); if it is /dev/console, set lxc.console.path = none.',
        };
      },
      samples: [
        { line: '(00.002110) Error (criu/tty.c:2399): tty: Unable to find a master for /0', source: 'synthesized by ctcr (not a verbatim log): line formats from CRIU\'s log.c/mount.c as seen in issue logs; the sequence from the team\'s lab notes (LXC 5.0.2 busybox container on kernel 6.18); lxc.tty....' },
        { line: '(01.517694) Error (criu/tty.c:2230): tty: Unable to find a master for /19', source: 'https://github.com/checkpoint-restore/criu/issues/299 (LXD error output as pasted; /19 is /dev/console there, which the excerpt does not show)' },
      ],
    },
  ],
  check(snapshot) {
    const entry = snapshot.config && lastEntry(snapshot.config, 'lxc.tty.max');
    if (!entry) return [];
    // The legacy key belongs to LXC 2.0 and older, which read it with atoi; lxc.tty.max is read with lxc_safe_uint,
    // which refuses trailing text (the config does not load: inline-comment says so).
    const legacy = entry.key === 'lxc.tty';
    const count = legacy ? cAtoi(entry.value) : lxcSafeUint(entry.value);
    if (count === undefined || !(count > 0)) return [];
    const main = snapshot.config!.documents[0];
    const readAs = String(count) === entry.value ? '' : legacy ? ` (LXC 2.0, which reads lxc.tty, takes the number it starts with: ${count})` : ` (${count} ttys)`;
    return [
      {
        messageId: 'ttys',
        message: `${entry.key} = ${entry.value}${readAs}: CRIU cannot dump the container's ttys ('tty: Unable to find a master'); set it to 0`,
        location: at(entry),
        suggestions: [
          {
            description: `set ${entry.key} to 0${entry.file === main.path ? '' : ` in ${entry.file}`} (no ttys: lxc-console will not work, lxc-attach will)`,
            edits: [{ file: entry.file, start: entry.valueStart, end: entry.valueEnd, text: '0' }],
          },
          ...overrideAtEnd(snapshot.config!, entry, `${entry.key} = 0`, 'no ttys: lxc-console will not work, lxc-attach will'),
        ],
      },
    ];
  },
});
