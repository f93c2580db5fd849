/**
 * lxc.apparmor.profile is passed to CRIU on restore as --lsm-profile, which
 * CRIU refuses on a kernel without AppArmor.
 */
import { defineRule, at } from '../src/rule.js';
import type { Fix } from '../src/types.js';
import { entriesFor, lastEntry } from '../src/config/query.js';
import { appendLine, commentOutEntry, documentOf } from '../src/config/line-edits.js';

const NOTE = 'lxc-checkpoint passes this to CRIU as --lsm-profile, which fails without AppArmor (apparmor-profile-set)';

export default defineRule({
  id: 'apparmor-profile-set',
  severity: 'warning',
  summary: 'lxc.apparmor.profile is set: lxc-checkpoint restores with --lsm-profile apparmor:<value>, which fails without AppArmor.',
  scope: 'static',
  messages: {
    profileSet: 'lxc.apparmor.profile is set, so the restore asks CRIU for --lsm-profile apparmor:<value>',
  },
  hasSuggestions: true,
  docs: {
    why:
      'On restore, lxc-checkpoint passes --lsm-profile apparmor:<value> whenever the config sets lxc.apparmor.profile, whatever the value ' +
      '(unconfined too), and passes the value as written: generated and unchanged are not the names of the profiles LXC uses ' +
      '(lxc-<name>_<lxcpath> for generated). CRIU refuses the option on a kernel without AppArmor: "apparmor LSM specified but apparmor ' +
      'not supported by kernel" (the team\'s lab hit this restoring the busybox template container). Without the key, no --lsm-profile is ' +
      'passed and CRIU restores the labels saved in the images. Whether the restoring kernel has AppArmor is a live fact: when ctcr doctor ' +
      'knows this host has none, apparmor-unavailable reports it (an error) and this warning stays silent; it stays where the live rule does not answer ' +
      '(a dump, a host with AppArmor, AppArmor unknown), since it is about the hosts a container may be restored on.',
    fix:
      'For hosts without AppArmor, remove lxc.apparmor.profile: the suggestion comments its lines out of the container\'s config, or, when an ' +
      'included (possibly shared) file sets it, adds `lxc.apparmor.profile =` (empty: no profile) at the end of the config. LXC then applies ' +
      'its default profile at start on hosts that have AppArmor.',
    reference: 'lxc src/lxc/criu.c exec_criu (--lsm-profile); criu/lsm.c lsm_check_opts',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    // Where the doctor knows this host has no AppArmor, apparmor-unavailable (live) says it, as an error.
    const live = snapshot.host?.apparmor;
    if (snapshot.container && live?.ok && !live.value.enabled && snapshot.purpose !== 'dump') return [];
    const entry = lastEntry(config, 'lxc.apparmor.profile');
    if (!entry || entry.value === '') return [];
    const literal = entry.value === 'generated' || entry.value === 'unchanged' ? ` (the literal word, not the profile LXC ${entry.value === 'generated' ? 'generates' : 'keeps'})` : '';
    // Every line of the key goes: commenting out only the last would bring an earlier one back into force.
    const main = config.documents[0];
    const lines = entriesFor(config, 'lxc.apparmor.profile');
    const suggestion: Fix = lines.every((e) => e.file === main.path)
      ? {
          description: `comment out ${lines.map((e) => `line ${e.line}`).join(', ')} (no --lsm-profile on restore; LXC's default profile at start)`,
          edits: lines.map((e) => commentOutEntry(documentOf(config, e)!, e, NOTE)),
        }
      : {
          description: 'add "lxc.apparmor.profile =" at the end of the config (an included file sets the profile; no --lsm-profile on restore)',
          edits: [appendLine(main, 'lxc.apparmor.profile =')],
        };
    return [
      {
        messageId: 'profileSet',
        message:
          `${entry.key} = ${entry.value}: on restore lxc-checkpoint passes --lsm-profile apparmor:${entry.value}${literal}, and CRIU refuses it ` +
          `on a kernel without AppArmor ("apparmor LSM specified but apparmor not supported by kernel"); remove the key for hosts without AppArmor`,
        location: at(entry),
        suggestions: [suggestion],
      },
    ];
  },
});
