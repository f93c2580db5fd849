/** lxc-checkpoint restores only into a stopped container. */
import { defineRule } from '../src/rule.js';
import { containerLocation, isRunning } from '../src/live/facts.js';

export default defineRule({
  id: 'container-running',
  severity: 'error',
  summary: 'A restore was asked for, but the container is running.',
  scope: 'live',
  messages: {
    running: 'a restore was asked for and the container is running',
  },
  docs: {
    why: 'lxc-checkpoint -r restores a checkpoint as the container itself, so the container must be stopped: otherwise it stops with "container is already running".',
    fix: 'Stop it first (lxc-stop -n NAME), or restore under another name on another host.',
    reference: 'lxc src/lxc/lxccontainer.c do_lxcapi_migrate',
  },
  logSignatures: [
    {
      // (?<!\S): one attempt per word, not one per character of it (a long run of non-spaces was quadratic).
      pattern: /(?<!\S)(\S+) is running, not restoring/,
      explain: (m) => ({ message: `lxc-checkpoint was asked to restore ${m[1]}, which is running`, fix: 'Stop the running container first (lxc-stop -n NAME), or restore under another name; a checkpoint with -s (stop) leaves it stopped.' }),
      samples: [{ line: 'lxc-checkpoint: c1: tools/lxc_checkpoint.c: restore: 214 c1 is running, not restoring', source: "lxc src/lxc/tools/lxc_checkpoint.c restore() (the message it prints, with this run's values)" }],
    },
  ],
  check(snapshot) {
    const c = snapshot.container;
    if (!c || snapshot.purpose !== 'restore' || !isRunning(c)) return [];
    const p = c.lxcpath !== '/var/lib/lxc' ? ` -P ${c.lxcpath}` : '';
    return [
      {
        messageId: 'running',
        message: `container ${c.name} is ${c.state}: lxc-checkpoint -r restores only into a stopped container ("container is already running"). Stop it: lxc-stop -n ${c.name}${p}`,
        location: containerLocation(c),
      },
    ];
  },
});
