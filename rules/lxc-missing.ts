/** Without LXC's tools there is no container to checkpoint and no lxc-checkpoint to do it. */
import { defineRule } from '../src/rule.js';
import { HOST_LOCATION, hostOf, known } from '../src/live/facts.js';

export default defineRule({
  id: 'lxc-missing',
  severity: 'error',
  summary: 'LXC is not installed, or its lxc-checkpoint tool is not on PATH.',
  scope: 'live',
  messages: {
    lxcMissing: 'LXC is not installed',
    lxcCheckpointMissing: 'LXC is installed but lxc-checkpoint is not on PATH',
  },
  docs: {
    why:
      'ctcr checks containers the way lxc-checkpoint will checkpoint them: it reads their state with lxc-info and the checkpoint itself ' +
      'is lxc-checkpoint (which builds the criu command line). Without LXC on PATH there is nothing to checkpoint with.',
    fix: 'Install LXC (Debian and Ubuntu: apt-get install lxc; it ships lxc-checkpoint), and run ctcr as the user that runs the containers (root).',
    reference: 'lxc src/lxc/tools/lxc_checkpoint.c',
  },
  check(snapshot) {
    const host = hostOf(snapshot);
    if (!host || !host.lxc.ok) return [];
    if (host.lxc.value === null) {
      return [{ messageId: 'lxcMissing', message: 'LXC is not installed: none of lxc-start, lxc-info, lxc-config is on PATH, so there is no lxc-checkpoint to checkpoint with. Install LXC', location: HOST_LOCATION }];
    }
    const tools = known(host.tools);
    if (tools && tools['lxc-checkpoint'] === null) {
      return [{ messageId: 'lxcCheckpointMissing', message: `LXC is installed (${host.lxc.value.path ?? 'lxc-start'}) but lxc-checkpoint is not on PATH; install the package that ships it or add its folder to PATH`, location: HOST_LOCATION }];
    }
    return [];
  },
});
