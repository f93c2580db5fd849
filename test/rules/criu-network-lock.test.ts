import rule from '../../rules/criu-network-lock.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.041234) Error (criu/net.c:120): net: Too small buffer to read ns sys file /proc/sys/net/ipv4/conf/eth0/forwarding",
  ],
  invalid: [
    { line: "(00.099123) Error (criu/netfilter.c:90): nf: Can't translate ip addr: Invalid argument", message: /^CRIU failed in / },
  ],
});
