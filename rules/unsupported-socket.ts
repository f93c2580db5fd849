/** A task holds a socket of a family or state CRIU cannot dump. Predicted from the task facts (src/live/refusals.ts) and recognised in CRIU and lxc-checkpoint logs (ctcr explain). */
import { defineRule } from '../src/rule.js';
import { UPGRADE } from '../src/criu/log-helpers.js';
import { unsupportedSocketReports } from '../src/live/refusals.js';

export default defineRule({
  id: 'unsupported-socket',
  severity: 'error',
  summary: 'A task holds a socket of a family or state CRIU cannot dump.',
  scope: 'live',
  messages: {
    unsupportedSocket: 'a task holds a socket of a kind CRIU cannot dump',
  },
  check: unsupportedSocketReports,
  docs: {
    why: 'CRIU dumps unix, inet (TCP, UDP, raw with limits), netlink and packet sockets; other families (SCTP, AF_ALG, vsock, bluetooth...) or states fail: "sk unsupported", "Unknown socket family".',
    fix: 'Stop the process holding the socket before the dump.',
  },
  logSignatures: [
    {
      pattern: /Unsupported proto (\d+) for socket (\S+)/,
      explain(m) {
        const proto = Number(m[1]);
        if (proto === 262) {
          return {
            message: 'a socket uses MPTCP (proto 262), which CRIU cannot dump; Go 1.24+ listeners use MPTCP by default',
            fix: 'Start Go programs with GODEBUG=multipathtcp=0 (or disable MPTCP in them); CRIU has no MPTCP support yet (criu#2655).',
          };
        }
        if (proto === 132) return { message: 'a socket uses SCTP (proto 132), which CRIU cannot dump', fix: 'Stop the SCTP service before the dump.' };
        if (proto === 1) return { message: 'a non-raw ICMP socket (ping), which CRIU dumps only since 4.2', fix: UPGRADE };
        return { message: `a socket uses IP protocol ${proto}, which CRIU cannot dump`, fix: 'Stop the process owning that socket before the dump.' };
      },
      samples: [
        { line: '(00.026522) Error (criu/sk-inet.c:130): inet: Unsupported proto 262 for socket 2f9bc5', source: 'https://github.com/checkpoint-restore/criu/issues/2655 (one line as pasted)' },
        { line: 'Error (criu/sk-inet.c:133): inet: Unsupported proto 132 for socket 64cc', source: 'https://github.com/checkpoint-restore/criu/issues/974 (as pasted, first line without timestamp)' },
      ],
    },
    {
      pattern: /Can't dump corked dgram socket|Only stream, dgram and raw are supported/,
      explain: (m) => ({ message: `a socket CRIU cannot dump: ${m[0]}`, fix: 'Stop the process owning that socket before the dump.' }),
      samples: [
        { line: 'Can\'t dump corked dgram socket 1f', source: 'criu v4.2 criu/sk-inet.c:153 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
