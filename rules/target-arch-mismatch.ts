/** The target's machine architecture is not the source's: CRIU images hold machine code state of one architecture. */
import { defineRule } from '../src/rule.js';
import { known } from '../src/live/facts.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-arch-mismatch',
  severity: 'error',
  summary: 'The migration target has another machine architecture than the source.',
  scope: 'target',
  messages: {
    archDiffers: "the target's architecture differs from the source's",
  },
  docs: {
    why:
      'CRIU images hold each task\'s registers and memory as that architecture\'s code runs them; CRIU restores only on the architecture that ' +
      'dumped (the images name it, and restore refuses another). The rootfs\'s binaries are built for one architecture too.',
    fix: 'Migrate to a host of the same architecture (uname -m).',
    reference: 'criu/cr-restore.c (image arch checks); uname(2)',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    const source = known(snapshot.host?.kernel);
    const target = t && known(t.facts.host.kernel);
    if (!t || !source || !target || source.arch === target.arch) return [];
    return [{ messageId: 'archDiffers', message: onTarget(t.move, `architecture ${target.arch}, the source's is ${source.arch}: CRIU cannot restore these images there`), location: targetLocation(t.move) }];
  },
});
