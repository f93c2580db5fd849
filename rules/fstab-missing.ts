/**
 * lxc.mount.fstab names a file that is not there: LXC cannot make the
 * container's mounts.
 */
import path from 'node:path';
import { defineRule, at } from '../src/rule.js';

export default defineRule({
  id: 'fstab-missing',
  severity: 'error',
  summary: 'lxc.mount.fstab (lxc.mount) names a file that is not there.',
  scope: 'static',
  messages: {
    fstabMissing: 'lxc.mount.fstab names a file that is not there',
  },
  docs: {
    why:
      'LXC reads the fstab named by lxc.mount.fstab when it sets up the container\'s mounts; when the file is missing the container does not ' +
      'start, and ctcr could not check its mounts (unsupported-filesystem needs them). A config copied off its host often names an absolute ' +
      'path that only exists there, so ctcr also looks for a file of the same name beside the config.',
    fix: 'Copy the fstab to the path the config names (or beside the config), or correct lxc.mount.fstab.',
    reference: 'lxc doc/lxc.container.conf (lxc.mount.fstab)',
  },
  check(snapshot) {
    const configDir = snapshot.config && path.dirname(snapshot.config.path);
    return snapshot.fstabs
      .filter((f) => f.missing)
      .map((f) => {
        const beside = configDir && path.join(configDir, path.basename(f.path));
        const alsoLooked = beside && beside !== f.path ? `; nor ${path.basename(f.path)} beside the config` : '';
        return {
          messageId: 'fstabMissing',
          message: `${f.entry.key} = ${f.entry.value}: no such file (${f.path}${alsoLooked}); the container does not start without it, and its mounts were not checked`,
          location: at(f.entry),
        };
      });
  },
});
