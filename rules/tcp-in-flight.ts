/** A listening socket has connections not yet accepted. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'tcp-in-flight',
  severity: 'error',
  summary: 'A listening socket has connections not yet accepted.',
  scope: 'log',
  docs: {
    why: 'CRIU cannot dump half-open (in-flight) connections of a listening socket unless told to skip them.',
    fix: 'Pass --skip-in-flight (lxc-checkpoint passes it on pre-dump), or try again when the server has accepted them.',
  },
  logSignatures: [
    {
      pattern: /In-flight connection|In-flight connections can be ignored/,
      explain: () => ({ message: 'a listening socket has half-open connections in its accept queue', fix: 'Pass --skip-in-flight on dump (lxc-checkpoint does with CRIU 2.4+).', criuOptions: ['--skip-in-flight'] }),
      samples: [
        { line: 'In-flight connections can be ignored with the --skip-in-flight option.', source: 'criu v4.2 criu/sk-inet.c:186 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
