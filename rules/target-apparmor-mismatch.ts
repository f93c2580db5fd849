/** The config sets an AppArmor profile and the migration target's kernel has no AppArmor: the restore there fails. */
import { defineRule, at } from '../src/rule.js';
import { lastEntry } from '../src/config/query.js';
import { known } from '../src/live/facts.js';
import { onTarget, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-apparmor-mismatch',
  severity: 'error',
  summary: 'lxc.apparmor.profile is set and the migration target has no AppArmor: the restore there fails.',
  scope: 'target',
  messages: {
    noApparmor: "the config sets an AppArmor profile and the target's kernel has no AppArmor",
  },
  docs: {
    why:
      'On restore lxc-checkpoint passes --lsm-profile apparmor:<lxc.apparmor.profile> whenever the key is set, and CRIU refuses it on a kernel ' +
      'without AppArmor ("apparmor LSM specified but apparmor not supported by kernel"; measured in the lab). A source with AppArmor and a target ' +
      'without it therefore dumps fine and cannot restore. (The console needs no check across hosts: the copied config is the same on both, and ' +
      'LXC refuses a restore only when the console settings differ: lxc-facts.md §1c.)',
    fix: 'Enable AppArmor on the target, or remove lxc.apparmor.profile from the config (and restart the container) before migrating.',
    reference: 'lxc src/lxc/criu.c exec_criu (--lsm-profile); criu/lsm.c; apparmor-unavailable',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    const config = snapshot.config;
    const apparmor = t && known(t.facts.host.apparmor);
    if (!t || !config || !apparmor || apparmor.enabled) return [];
    const entry = lastEntry(config, 'lxc.apparmor.profile');
    if (!entry || entry.value === '') return [];
    return [{
      messageId: 'noApparmor', message: onTarget(t.move, `no AppArmor in its kernel, and ${entry.key} = ${entry.value}: lxc-checkpoint -r passes --lsm-profile apparmor:${entry.value} and CRIU refuses it there. Enable AppArmor there or remove the key`),
      location: at(entry),
    }];
  },
});
