/**
 * The config sets an AppArmor profile, this kernel has no AppArmor, and
 * lxc-checkpoint passes the profile to CRIU on restore.
 */
import { defineRule, at } from '../src/rule.js';
import type { Fix } from '../src/types.js';
import { entriesFor, lastEntry } from '../src/config/query.js';
import { appendLine, commentOutEntry, documentOf } from '../src/config/line-edits.js';
import { known, restoreSide } from '../src/live/facts.js';

const NOTE = 'lxc-checkpoint passes this to CRIU as --lsm-profile, which fails on a kernel without AppArmor (apparmor-unavailable)';

export default defineRule({
  id: 'apparmor-unavailable',
  severity: 'error',
  summary: 'lxc.apparmor.profile is set but this kernel has no AppArmor: the restore fails.',
  scope: 'live',
  messages: {
    noAppArmor: 'lxc.apparmor.profile is set but this kernel has no AppArmor: the restore fails',
  },
  hasSuggestions: true,
  docs: {
    why:
      'On restore lxc-checkpoint passes --lsm-profile apparmor:<lxc.apparmor.profile> whenever the key is set, whatever its value (unconfined ' +
      'too). CRIU checks for /sys/kernel/security/apparmor and refuses: "apparmor LSM specified but apparmor not supported by kernel". The dump ' +
      'works; the container is then stopped and cannot be restored. Measured on the lab host (kernel without AppArmor): the busybox template\'s ' +
      '`lxc.apparmor.profile = generated` fails the restore, and removing that one key makes it pass (lxc.apparmor.allow_nesting can stay).',
    fix:
      'Remove lxc.apparmor.profile on hosts without AppArmor: the suggestion comments out its lines in the container\'s config, or, when an ' +
      'included file sets it, adds `lxc.apparmor.profile =` (empty: back to no profile) at the end of the config. Restart the container.',
    reference: 'lxc src/lxc/criu.c exec_criu (--lsm-profile); criu/lsm.c lsm_check_opts',
  },
  logSignatures: [
    {
      pattern: /apparmor LSM specified but apparmor not supported by kernel/,
      explain: () => ({
        message: 'the restore asks for an AppArmor profile (lxc-checkpoint passes lxc.apparmor.profile as --lsm-profile) on a kernel without AppArmor',
        fix: 'Remove lxc.apparmor.profile (and lxc.apparmor.allow_nesting) from the container config on this host; with plain criu use --lsm-profile none: or leave it out.',
        criuOptions: ['--lsm-profile', 'none:'],
      }),
      samples: [
        { line: '(00.000297) Error (criu/lsm.c:406): apparmor LSM specified but apparmor not supported by kernel', source: 'synthesized by ctcr (not a verbatim log): line formats from CRIU\'s log.c/mount.c as seen in issue logs; the sequence from the team\'s lab notes (LXC 5.0.2 busybox container on kernel 6.18); lxc.appa...' },
        { line: '(00.041315) Error (criu/lsm.c:406): apparmor LSM specified but apparmor not supported by kernel', source: 'lab: apparmor-profile-restore-criu4.2.1-linux6.18.log (this project\'s lab)' },
      ],
    },
  ],
  check(snapshot) {
    const config = snapshot.config;
    const apparmor = snapshot.container && known(snapshot.host?.apparmor);
    if (!config || !apparmor || apparmor.enabled || !restoreSide(snapshot)) return [];
    const entry = lastEntry(config, 'lxc.apparmor.profile');
    if (!entry || entry.value === '') return [];
    const main = config.documents[0]!;
    const lines = entriesFor(config, 'lxc.apparmor.profile');
    const inMain = lines.filter((e) => e.file === main.path);
    const elsewhere = lines.filter((e) => e.file !== main.path);
    const suggestion: Fix = elsewhere.length
      ? {
          description: `add "lxc.apparmor.profile =" at the end of ${main.path} (an included file sets the profile; no --lsm-profile on restore)`,
          edits: [appendLine(main, 'lxc.apparmor.profile =')],
        }
      : {
          description: `comment out ${inMain.map((e) => `line ${e.line}`).join(', ')} (no --lsm-profile on restore)`,
          edits: inMain.map((e) => commentOutEntry(documentOf(config, e)!, e, NOTE)),
        };
    return [
      {
        messageId: 'noAppArmor',
        message:
          `${entry.key} = ${entry.value}, but this kernel has no AppArmor (no /sys/kernel/security/apparmor): on restore lxc-checkpoint passes ` +
          `--lsm-profile apparmor:${entry.value} and CRIU refuses it ("apparmor LSM specified but apparmor not supported by kernel"). Remove the key`,
        location: at(entry),
        suggestions: [suggestion],
      },
    ];
  },
});
