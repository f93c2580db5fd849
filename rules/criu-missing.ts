/**
 * lxc-checkpoint runs the criu it finds on PATH; without one, nothing can be
 * checkpointed.
 */
import { defineRule } from '../src/rule.js';
import { HOST_LOCATION, hostOf } from '../src/live/facts.js';
import { minimumCriuText } from '../src/live/criu.js';

export default defineRule({
  id: 'criu-missing',
  severity: 'error',
  summary: 'No criu on PATH: lxc-checkpoint cannot checkpoint or restore anything.',
  scope: 'live',
  messages: {
    criuMissing: 'criu is not on PATH (or cannot be run)',
  },
  docs: {
    why:
      'lxc-checkpoint looks criu up on PATH and runs `criu --version` before every dump and restore; without it, it stops with ' +
      '"execing criu failed, is it installed?" (lxc src/lxc/criu.c criu_version_ok).',
    fix:
      'Install CRIU, in a version that works with this kernel: x86 kernels from 6.13 need CRIU 4.1, kernels from 6.16 need CRIU 4.2 ' +
      "for any container with an inet or packet socket (Debian 12's packaged 3.17.1 works with neither). Put it on root's PATH.",
    reference: 'lxc src/lxc/criu.c criu_version_ok; https://criu.org/Installation',
  },
  logSignatures: [
    {
      pattern: /execing criu failed, is it installed\?/,
      explain: () => ({ message: 'lxc-checkpoint cannot run criu', fix: 'Install criu and make sure it is on PATH for root.' }),
      samples: [
        { line: 'execing criu failed, is it installed?', source: 'lxc src/lxc/criu.c:762 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
  check(snapshot) {
    const host = hostOf(snapshot);
    if (!host || !host.criu.ok || host.criu.value !== null) return [];
    const needs = minimumCriuText(host);
    return [
      {
        messageId: 'criuMissing',
        message:
          `CRIU is not installed: there is no criu on PATH, and lxc-checkpoint fails with "execing criu failed, is it installed?". ` +
          `Install CRIU${needs ? ` (${needs})` : ''}`,
        location: HOST_LOCATION,
      },
    ];
  },
});
