/** The images use a format this CRIU no longer restores. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'deprecated-images',
  severity: 'error',
  summary: 'The images use a format this CRIU no longer restores.',
  scope: 'log',
  docs: {
    why: 'CRIU drops support for old image features after a deprecation period: "Deprecated functionality (...) rejected."',
    fix: 'Dump again with the CRIU that restores, or restore with the CRIU that dumped (or pass --deprecated for a one-off).',
  },
  logSignatures: [
    {
      pattern: /Deprecated functionality \((.*)\) rejected/,
      explain: (m) => ({ message: `the images use deprecated functionality (${m[1]})`, fix: 'Pass --deprecated (or set CRIU_DEPRECATED=1), or dump again with this CRIU.', criuOptions: ['--deprecated'] }),
      samples: [
        { line: 'Deprecated functionality (Rlimits) rejected.', source: 'criu v4.2 criu/config.c:442 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
