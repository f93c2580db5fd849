/** A task holds a deleted file larger than the ghost-file limit. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { ghostFileReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'ghost-file-too-big',
  severity: 'error',
  summary: 'A task holds a deleted file larger than the ghost-file limit.',
  scope: 'live',
  messages: {
    ghostFile: 'a task holds a deleted file larger than the ghost-file limit',
  },
  check: ghostFileReports,
  docs: {
    why: 'CRIU copies the content of open deleted files into the images, up to --ghost-limit (1 MiB by default; lxc-checkpoint does not raise it): "Can\'t dump ghost file X of N size, increase limit".',
    fix: 'Close the deleted file (restart the process), or raise the limit with ghost-limit in a CRIU config file.',
  },
  logSignatures: [
    {
      pattern: /Can't dump ghost file (\S+) of (\d+) size, increase limit/,
      explain(m) {
        const mib = Math.ceil(Number(m[2]) / (1 << 20));
        return {
          message: `${m[1]} is deleted but still open and larger (${m[2]} bytes) than --ghost-limit (1 MiB by default)`,
          fix: `Pass --ghost-limit ${mib}M on dump, or close or truncate the deleted file first.`,
          criuOptions: ['--ghost-limit', `${mib}M`],
        };
      },
      samples: [
        { line: 'Error (criu/files-reg.c:1031): Can\'t dump ghost file /var/log/app/big.log of 5242880 size, increase limit', source: 'synthesized by ctcr (not a verbatim log): stderr at -v2 with this machine\'s RLIMIT line first; message format from criu/files-reg.c' },
      ],
    },
  ],
});
