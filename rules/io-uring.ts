/** A task holds an io_uring instance, which CRIU cannot dump. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { ioUringReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'io-uring',
  severity: 'error',
  summary: 'A task holds an io_uring instance, which CRIU cannot dump.',
  scope: 'live',
  messages: {
    ioUring: 'a task holds an io_uring instance',
  },
  check: ioUringReports,
  docs: {
    why: 'CRIU has no support for io_uring descriptors: the dump fails on "anon_inode:[io_uring]".',
    fix: 'Stop the process using io_uring (or configure it without io_uring: e.g. liburing-using servers often have a switch) before the dump.',
  },
  logSignatures: [
    {
      pattern: /anon_inode:\[io_uring\]/,
      explain: () => ({ message: 'a process uses io_uring, which CRIU cannot checkpoint', fix: 'Stop the process using io_uring (or configure it without io_uring) before the dump; CRIU has no io_uring support (criu#2131).' }),
      samples: [
        { line: '(00.011691) Error (criu/proc_parse.c:479): Unknown shit 600 (anon_inode:[io_uring])', source: 'https://github.com/checkpoint-restore/criu/issues/2673 (end of criu-dump.log, as pasted)' },
      ],
    },
    {
      // The kernel refuses to pass an io_uring descriptor over SCM_RIGHTS (EINVAL), so the parasite's send_fds fails.
      pattern: /send_fds failed \(-22\)/,
      explain: () => ({
        message: "CRIU's parasite could not hand a task's descriptors over (EINVAL from send_fds): the kernel refuses to pass io_uring descriptors, so a task of the container uses io_uring",
        fix: 'Stop the process using io_uring (or configure it without io_uring) before the dump; the doctor names it.',
      }),
      samples: [
        { line: 'pie: 10: Error (criu/pie/parasite.c:588): send_fds failed (-22)', source: 'lab: criu 4.2.1, kernel 6.18, a task holding an io_uring (matrix state io-uring; fixtures/criu-logs/lab/io-uring-dump-criu4.2.1-linux6.18.log)' },
      ],
    },
  ],
});
