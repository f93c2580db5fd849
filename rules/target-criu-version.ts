/** The target has no CRIU, or one older than the source's: it may not read the images the source's CRIU writes. */
import { defineRule } from '../src/rule.js';
import { criuOf, known } from '../src/live/facts.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';
import type { VersionNumber } from '../src/types.js';

const older = (a: VersionNumber, b: VersionNumber) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

export default defineRule({
  id: 'target-criu-version',
  severity: 'error',
  summary: "The migration target has no CRIU, or one older than the source's that writes the images.",
  scope: 'target',
  messages: {
    noCriu: 'the target has no criu',
    olderCriu: "the target's CRIU is older than the source's, which writes the images",
  },
  docs: {
    why:
      'The source\'s CRIU writes the images and the target\'s CRIU reads them. CRIU keeps images readable by newer releases, not older ones: ' +
      'an older CRIU does not know the image files and fields a newer one adds (4.2 dumps posix timers by id, guard pages, rseq state) and ' +
      'restores without them or fails. Without CRIU on the target (or on PATH there, where lxc-checkpoint looks) nothing can be restored.',
    fix: 'Install on the target the same CRIU as on the source, or a newer one (first on root\'s PATH there).',
    reference: 'criu-facts.md §6 (versions and what each adds); lxc src/lxc/criu.c criu_version_ok (criu on PATH)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    if (!t || !t.facts.host.criu.ok) return [];
    const target = t.facts.host.criu.value;
    const location = targetLocation(t.move);
    if (!target) return [{ messageId: 'noCriu', message: onTarget(t.move, 'no criu on PATH: nothing can restore the images there. Install CRIU on the target'), location }];
    const source = criuOf(snapshot.host);
    if (!source || older(target.version, source.version) >= 0) return [];
    const kernel = known(t.facts.host.kernel);
    return [{
      messageId: 'olderCriu', message: onTarget(t.move, `CRIU ${target.version.text} (${target.path}) is older than the source's CRIU ${source.version.text}, which writes the images${kernel ? ` (target kernel ${kernel.release})` : ''}: install CRIU ${source.version.text} or newer there`),
      location,
    }];
  },
});
