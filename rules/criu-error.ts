/** CRIU failed with an error ctcr has no specific cause for. ctcr explain's answer when the log has no error line at all, or its root error matches no signature and names no CRIU source file ctcr knows (area rules, rules/criu-*.ts, take the others). */
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
