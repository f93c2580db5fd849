/** A task holds a deleted file with other links, and the dump was not allowed to link-remap it. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'link-remap',
  severity: 'error',
  summary: 'A task holds a deleted file with other links, and the dump was not allowed to link-remap it.',
  scope: 'log',
  docs: {
    why: 'For an open file that was unlinked but still has a name elsewhere CRIU needs --link-remap: "Can\'t create link remap ... Use link-remap option.". lxc-checkpoint passes it.',
    fix: 'Pass --link-remap (lxc-checkpoint does).',
  },
  logSignatures: [
    {
      pattern: /Can't create link remap for (\S+)\. Use link-remap option/,
      explain: (m) => ({ message: `${m[1]} is open but unlinked while still linked elsewhere`, fix: 'Pass --link-remap on dump (lxc-checkpoint does).', criuOptions: ['--link-remap'] }),
      samples: [
        { line: 'Can\'t create link remap for /var/x. Use link-remap option.', source: 'criu v4.2 criu/files-reg.c:1122 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
