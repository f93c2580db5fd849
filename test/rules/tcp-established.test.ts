import rule from '../../rules/tcp-established.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, tcpSocket, udhcpc, withSockets } from '../helpers/live-facts.js';

const pid = () => udhcpc().pid;

new RuleTester().run(rule, {
  valid: [
    { name: 'busybox: no TCP socket', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'a listener only', config: BUSYBOX_CONFIG, host: host(), container: busybox({ sockets: withSockets([tcpSocket(pid(), 'LISTEN')]) }) },
    { name: 'TIME_WAIT belongs to no process', config: BUSYBOX_CONFIG, host: host(), container: busybox({ sockets: withSockets([tcpSocket(pid(), 'TIME_WAIT')]) }) },
  ],
  invalid: [
    {
      name: 'an established connection and a half-closed one',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ sockets: withSockets([tcpSocket(pid(), 'ESTABLISHED'), tcpSocket(pid(), 'CLOSE_WAIT', 6)]) }),
      errors: [{ messageId: 'established', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'info', message: /^2 connected TCP sockets \(udhcpc .* 10\.0\.3\.5:22 -> 10\.0\.3\.1:51234 ESTABLISHED; .*CLOSE_WAIT\): CRIU dumps them only with --tcp-established/ }],
    },
  ],
});
