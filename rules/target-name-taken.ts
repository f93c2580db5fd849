/** The container's name is already taken in the target's lxcpath. */
import { defineRule } from '../src/rule.js';
import { onTarget, targetContainerDir, targetLocation, targetOf } from '../src/migrate/target-facts.js';
import { containerLocation, known } from '../src/live/facts.js';

export default defineRule({
  id: 'target-name-taken',
  severity: 'error',
  summary: "The container's name is already taken in the migration target's lxcpath.",
  scope: 'target',
  messages: {
    nameTaken: "the container's name is taken in the target's lxcpath",
  },
  docs: {
    why:
      'The container is restored on the target under the same name, in LXCPATH/NAME (its config, rootfs and the monitor\'s socket are named ' +
      'after it). An entry of that name there is another container, or what is left of an earlier attempt; copying over it would destroy it ' +
      'or mix two containers\' files.',
    fix: 'Remove or rename the container on the target (lxc-destroy -n NAME, lxc-copy), or migrate into another lxcpath there (--target-lxcpath).',
    reference: 'lxc src/lxc/lxccontainer.c (container paths LXCPATH/NAME)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    const container = snapshot.container;
    const names = t && known(t.facts.lxcpath.names);
    if (!t || !container || !names || !names.includes(container.name)) return [];
    return [{
      messageId: 'nameTaken', message: onTarget(t.move, `${targetContainerDir(t.move, container.name)} already exists: the name ${container.name} is taken in ${t.move.targetLxcpath}. Remove it there or choose another target lxcpath`),
      location: container ? containerLocation(container) : targetLocation(t.move),
    }];
  },
});
