/** The dump started below the init of the container's pid namespace. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'dump-not-init',
  severity: 'error',
  summary: 'The dump started below the init of the container\'s pid namespace.',
  scope: 'log',
  docs: {
    why: 'CRIU dumps a pid namespace only from its init: "Can\'t dump a pid namespace without the process init".',
    fix: 'Dump the container\'s init (lxc-info -p gives its PID), as lxc-checkpoint does.',
  },
  logSignatures: [
    {
      pattern: /Can't dump a pid namespace without the process init/,
      explain: () => ({ message: 'the dump started below the init of the pid namespace', fix: "Dump the container's init (lxc-info -p gives its pid), or use --external pid[...]." }),
      samples: [
        { line: 'Can\'t dump a pid namespace without the process init', source: 'criu v4.2 criu/namespaces.c:1117 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
