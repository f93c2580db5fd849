/** `criu check` fails on the target: CRIU cannot work with that kernel, so the restore fails. */
import { defineRule } from '../src/rule.js';
import { onTarget, targetLocation, targetOf } from '../src/migrate/target-facts.js';

export default defineRule({
  id: 'target-criu-check',
  severity: 'error',
  summary: '`criu check` does not say "Looks good." on the migration target.',
  scope: 'target',
  messages: {
    checkFails: 'criu check fails on the target',
  },
  docs: {
    why:
      '`criu check` runs the kernel feature detection every CRIU command starts with, and its required checks. When it fails on the target ' +
      '(a CRIU too old for that kernel: "Unexpected rt vDSO area bounds" on x86 6.13+, a kernel without the needed config), the restore fails ' +
      'the same way after the source was already dumped and stopped. The source\'s own `criu check` is judged by criu-kernel-mismatch.',
    fix: 'Run `criu check` on the target and fix what it says: usually a CRIU release that knows the target kernel (criu-facts.md §6).',
    reference: 'criu/cr-check.c; criu-facts.md §5-6',
  },
  check(snapshot) {
    const t = targetOf(snapshot);
    const criu = t && t.facts.host.criu.ok ? t.facts.host.criu.value : null;
    if (!t || !criu || criu.checkOk) return [];
    const said = criu.checkOutput.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' | ');
    return [{ messageId: 'checkFails', message: onTarget(t.move, `criu check fails (CRIU ${criu.version.text}, exit ${criu.checkExitCode ?? '?'}${said ? `: ${said}` : ''}): the restore would fail there`), location: targetLocation(t.move) }];
  },
});
