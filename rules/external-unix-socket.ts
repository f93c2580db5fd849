/** A unix socket of the container is connected to a peer outside it. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { externalUnixSocketReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'external-unix-socket',
  severity: 'error',
  summary: 'A unix socket of the container is connected to a peer outside it.',
  scope: 'live',
  messages: {
    externalPeer: 'a unix socket is connected to a peer outside the container',
  },
  check: externalUnixSocketReports,
  docs: {
    why: 'CRIU dumps both ends of a unix socket pair; when the peer is held by no dumped task (a host daemon, a socket passed in by lxc-attach), it refuses: "Unix socket ... is external" unless --ext-unix-sk is given.',
    fix: 'Close the connection (restart the process from inside the container), or pass --external unix[INODE] (old: --ext-unix-sk) on dump and restore when the peer will exist on the target.',
  },
  logSignatures: [
    {
      pattern: /External socket is used|Can't dump half of stream unix connection|Can't dump name-less external socket|External socket found in image|Unix socket \d+ with unreachable peer/,
      explain: (m) => ({
        message: 'a unix socket in the container is connected to a process outside it',
        fix: /half of stream/.test(m[0]) ? 'Stop the connection (a stream socket peer cannot be external), e.g. the host-side syslog or D-Bus client.' : 'Pass --external unix[INODE] (or --ext-unix-sk) on dump and restore for that socket, or close the connection.',
        criuOptions: ['--ext-unix-sk'],
      }),
      samples: [
        { line: 'unix: External socket is used. Consider using --ext-unix-sk option.', source: 'criu v4.2 criu/sk-unix.c:874 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
