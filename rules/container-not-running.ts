/** lxc-checkpoint dumps only a running container. */
import { defineRule } from '../src/rule.js';
import { containerLocation, dumpSide, isRunning } from '../src/live/facts.js';

export default defineRule({
  id: 'container-not-running',
  severity: 'error',
  summary: 'The container is not running, so there is nothing to checkpoint (and its live facts are unknown).',
  scope: 'live',
  messages: {
    notRunning: 'the container is not running',
  },
  docs: {
    why:
      'A dump freezes and saves a running process tree: lxc-checkpoint refuses a stopped container ("container is not running"). ' +
      'The doctor also cannot see the processes, sockets and mounts of a stopped container, so the checks of them do not run.',
    fix: 'Start it (lxc-start -n NAME) and run the doctor again. To check a restore from a checkpoint directory instead, run ctcr doctor NAME -D DIR --restore.',
    reference: 'lxc src/lxc/lxccontainer.c do_lxcapi_migrate',
  },
  logSignatures: [
    {
      // (?<!\S): one attempt per word, not one per character of it (a long run of non-spaces was quadratic).
      pattern: /(?<!\S)(\S+) not running, not checkpointing/,
      explain: (m) => ({ message: `lxc-checkpoint was asked to checkpoint ${m[1]}, which is not running`, fix: 'Start the container first (lxc-start -n NAME), or restore it (lxc-checkpoint -r) if it was checkpointed and stopped.' }),
      samples: [{ line: 'lxc-checkpoint: c1: tools/lxc_checkpoint.c: checkpoint: 158 c1 not running, not checkpointing', source: "lxc src/lxc/tools/lxc_checkpoint.c checkpoint() (the message it prints, with this run's values)" }],
    },
  ],
  check(snapshot) {
    const c = snapshot.container;
    if (!c || !dumpSide(snapshot) || isRunning(c)) return [];
    const state = c.state === 'UNKNOWN' ? `in an unknown state${c.stateNote ? ` (${c.stateNote})` : ''}` : c.state;
    const p = c.lxcpath !== '/var/lib/lxc' ? ` -P ${c.lxcpath}` : '';
    return [
      {
        messageId: 'notRunning',
        message: `container ${c.name} is ${state}: lxc-checkpoint dumps only a running container ("container is not running"), and its processes, sockets and mounts cannot be checked. Start it: lxc-start -n ${c.name}${p}`,
        location: containerLocation(c),
      },
    ];
  },
});
