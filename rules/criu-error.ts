/** CRIU failed with an error ctcr has no specific cause for. ctcr explain's answer for a root error no rule's signature matches. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-error',
  severity: 'error',
  summary: 'CRIU failed with an error ctcr has no specific cause for.',
  scope: 'log',
  docs: {
    why: 'The root error of the log matched none of the known causes. The line shown is the first error of the failing phase, past the cascade it caused.',
    fix: 'Read the lines just before the one shown (dump.log or restore.log with -v4), and search CRIU\'s issues for the message.',
  },
});
