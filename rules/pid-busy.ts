/** A PID the restore needs is taken. Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'pid-busy',
  severity: 'error',
  summary: 'A PID the restore needs is taken.',
  scope: 'log',
  docs: {
    why: 'CRIU restores tasks with their PIDs; in a pid namespace where one is in use, or on kernels without clone3 set_tid, it fails: "Can\'t fork for N: File exists".',
    fix: 'Restore into a new pid namespace (a container restore does), or stop the process holding the PID; use kernel 5.5+ with CRIU 3.14+.',
  },
  logSignatures: [
    {
      pattern: /Can't fork for (\d+): File exists/,
      explain: (m) => ({ message: `PID ${m[1]} is taken in the restore's pid namespace`, fix: 'Restore into a new pid namespace (a container restore does), stop the process holding the PID, or use criu-ns.' }),
      samples: [
        { line: '(00.116595) Error (criu/cr-restore.c:1230): Can\'t fork for 15047: File exists', source: 'https://github.com/checkpoint-restore/criu/issues/2692 (final restore error lines, as pasted)' },
      ],
    },
    {
      pattern: /Pid (\d+) do not match expected (\d+)|Thread pid mismatch/,
      explain: () => ({ message: 'CRIU could not give a task its PID (kernels before 5.5 lack clone3 set_tid and race on ns_last_pid)', fix: 'Use kernel 5.5+ with CRIU 3.14+, or restore into a new pid namespace.' }),
      samples: [
        { line: 'Pid 12 do not match expected 13', source: 'criu v4.2 criu/cr-restore.c:1539 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
