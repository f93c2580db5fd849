/** LXC refuses to checkpoint or restore unless it runs as root. */
import { defineRule } from '../src/rule.js';
import { HOST_LOCATION, hostOf } from '../src/live/facts.js';

export default defineRule({
  id: 'not-root',
  severity: 'error',
  summary: 'ctcr runs as a user other than root; lxc-checkpoint needs root.',
  scope: 'live',
  messages: {
    notRoot: 'ctcr runs as a user other than root',
  },
  docs: {
    why:
      'lxc-checkpoint checks geteuid() == 0 before a dump ("Must be root to checkpoint") and before a restore ("Must be root to restore"), ' +
      'and CRIU itself needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE. A doctor run as another user also cannot read the processes, ' +
      'sockets and mounts of a root container, so its other answers are incomplete.',
    fix: 'Run ctcr doctor (and lxc-checkpoint) as root, e.g. with sudo.',
    reference: 'lxc src/lxc/criu.c criu_ok, __criu_restore',
  },
  check(snapshot) {
    const host = hostOf(snapshot);
    if (!host || host.euid === undefined || host.euid === 0) return [];
    return [
      {
        messageId: 'notRoot',
        message: `ctcr runs as uid ${host.euid}, not root: lxc-checkpoint refuses ("Must be root to checkpoint"), and the live facts of root containers cannot all be read. Run it as root`,
        location: HOST_LOCATION,
      },
    ];
  },
});
