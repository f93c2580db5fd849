/** A task of the container has a namespace of a kind CRIU cannot dump nested. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { nestedNamespaceReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'nested-namespace',
  severity: 'error',
  summary: 'A task of the container has a namespace of a kind CRIU cannot dump nested.',
  scope: 'live',
  messages: {
    nestedNamespace: 'a task has a namespace of a kind CRIU cannot dump nested',
  },
  check: nestedNamespaceReports,
  docs: {
    why: 'CRIU dumps nested mount and network namespaces, but a task with its own uts, ipc, user, pid, cgroup or time namespace inside the container fails the dump: "Can\'t dump nested uts namespace for N".',
    fix: 'Stop that process, or disable what creates the namespace (systemd units with ProtectHostname=, PrivateUsers=, nested containers).',
  },
  logSignatures: [
    {
      pattern: /Can't dump nested (\w+) namespace for (\d+)/,
      explain: (m) => ({
        message: `process ${m[2]} has its own ${m[1]} namespace inside the container; CRIU dumps nested mount and network namespaces only`,
        fix: `Stop that process, or disable what creates the namespace (systemd units with ProtectHostname=, PrivateUsers=, nested containers).`,
      }),
      samples: [
        { line: 'b"(00.000806) Error (criu/namespaces.c:460): Can\'t dump nested time namespace for 51"', source: 'https://github.com/checkpoint-restore/criu/issues/2225 (zdtm "grep Error" output: Python bytes reprs)' },
        { line: '(00.103446) Error (criu/namespaces.c:415): Can\'t dump nested uts namespace for 1958', source: 'https://github.com/checkpoint-restore/criu/issues/1011 (LXD "lxc stop --stateful" output, as pasted)' },
      ],
    },
  ],
});
