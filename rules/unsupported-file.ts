/** A task holds a kind of descriptor CRIU cannot dump. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { unsupportedFileReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'unsupported-file',
  severity: 'error',
  summary: 'A task holds a kind of descriptor CRIU cannot dump.',
  scope: 'live',
  messages: {
    pidfdUnsupported: 'a task holds a pidfd and this CRIU is older than 4.1',
    bpfMap: 'a task holds a BPF map',
    packetPipe: 'a task has a pipe opened with O_DIRECT (packet mode)',
    unsupportedFile: 'a task holds a kind of file CRIU cannot dump',
  },
  check: unsupportedFileReports,
  docs: {
    why: 'CRIU refuses descriptors it has no dumper for: "Can\'t dump file N of that type" (userfaultfd, perf_event, some anon inodes, bpf objects on older CRIU).',
    fix: 'Stop or restart the process holding it (the finding names process and fd).',
  },
  logSignatures: [
    {
      pattern: /Can't dump file (\d+) of that type \[(\d+)\] \(([^)]*)\)/,
      explain: (m) => ({ message: `fd ${m[1]} is a file CRIU cannot dump (${m[3]})`, fix: 'Stop the process holding it (userfaultfd, perf_event and seccomp-notify fds are not supported).' }),
      samples: [
        { line: 'Can\'t dump file 17 of that type [20660] (anon anon_inode:[userfaultfd])', source: 'criu v4.2 criu/files-ext.c:94 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
