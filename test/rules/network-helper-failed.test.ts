import rule from '../../rules/network-helper-failed.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

testLogRule(rule, {
  valid: [
    "(00.012345) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
    // The lock rules of TCP connections are the network-lock area's (netfilter.c), not a save/restore tool.
    '(00.1) Error (criu/netfilter.c:105): Iptables configuration failed',
  ],
  invalid: [
    { line: '(00.315107)      1: Error (criu/net.c:1969): IP tool failed on route restore', message: /^`ip route restore` failed while CRIU was restoring/ },
    { line: '(00.421337)      1: Error (criu/net.c:1989): iptables-restore failed', message: /^`iptables-restore` failed while CRIU was restoring/ },
  ],
});
