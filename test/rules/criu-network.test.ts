import rule from '../../rules/criu-network.js';
import { testLogRule } from '../helpers/log-rule-tester.js';

// The message of a CRIU v4.2 pr_err at the line it is printed from (criu/, compel/ at tag v4.2), in CRIU's -v4 form.
testLogRule(rule, {
  valid: [
    "(00.015432) Error (criu/seccomp.c:285): seccomp: Can't collect filter on tid_real 1234",
  ],
  invalid: [
    { line: "(00.041234) Error (criu/net.c:120): net: Too small buffer to read ns sys file /proc/sys/net/ipv4/conf/eth0/forwarding", message: /^CRIU failed in / },
    // From sk-inet.c, another area's file: the errno says the address is missing from the restored namespace (criu#312).
    { line: "Error (criu/sk-inet.c:764): Can't bind inet socket (id 115): Cannot assign requested address", message: /IP address is not configured in the restored network namespace/ },
  ],
});
