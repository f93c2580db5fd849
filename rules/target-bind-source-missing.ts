/** A bind lxc.mount.entry's source folder or file is not on the migration target. */
import path from 'node:path';
import { defineRule } from '../src/rule.js';
import type { Report } from '../src/types.js';
import { isBindMount } from '../src/live/facts.js';
import { onTarget, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-bind-source-missing',
  severity: 'error',
  summary: 'The source of a bind lxc.mount.entry does not exist on the migration target.',
  scope: 'target',
  messages: {
    bindSourceMissing: 'the source of a bind mount does not exist on the target',
  },
  docs: {
    why:
      'lxc-checkpoint hands every bind lxc.mount.entry to CRIU as an external mount (--ext-mount-map) and, on restore, CRIU bind-mounts the ' +
      'same host path into the restored mount namespace. A path that exists here but not on the target fails the restore ("Can\'t mount ' +
      'at ..."), unless the entry is optional (`optional` in its options: LXC skips it, and CRIU then has no mount for what the tasks had open).',
    fix: 'Create or copy the folder or file on the target at the same path (shared storage mounted at the same place), or drop the entry before migrating.',
    reference: 'lxc src/lxc/criu.c exec_criu (--ext-mount-map per bind entry); criu/mount.c',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t) return [];
    const reports: Report[] = [];
    const seen = new Set<string>();
    for (const m of snapshot.mounts) {
      if (m.origin !== 'entry' || !isBindMount(m) || !path.isAbsolute(m.fsname) || seen.has(m.fsname)) continue;
      seen.add(m.fsname);
      const there = t.facts.paths[m.fsname];
      if (!there || there.exists) continue; // not asked about: nothing known
      reports.push({
        messageId: 'bindSourceMissing', message: onTarget(t.move, `${m.fsname} (the source of the bind mount at ${m.target}) does not exist there${m.options.includes('optional') ? '; the entry is optional, so LXC skips it and the restore loses that mount' : ': the restore cannot mount it'}. Create it there`),
        location: m.location,
        ...(m.options.includes('optional') ? { severity: 'warning' as const } : {}),
      });
    }
    return reports;
  },
});
