import rule from '../../rules/netlink-pending-data.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, host, netlinkSocket, stoppedBusybox, udhcpc, withSockets } from '../helpers/live-facts.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'busybox: no netlink socket', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    { name: 'a netlink socket with an empty queue', config: BUSYBOX_CONFIG, host: host(), container: busybox({ sockets: withSockets([netlinkSocket(udhcpc().pid, 0)]) }) },
    { name: 'stopped: nothing to read', config: BUSYBOX_CONFIG, host: host(), container: stoppedBusybox() },
  ],
  invalid: [
    {
      name: 'a route socket with 6912 bytes queued (as recorded of a stopped `ip monitor`)',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ sockets: withSockets([netlinkSocket(udhcpc().pid, 6912)]) }),
      errors: [
        { messageId: 'pendingData', 
          file: BUSYBOX_CONFIG_PATH,
          line: 0,
          severity: 'error',
          message: /^udhcpc \(PID 6 in the container, \d+ on the host\) has 6912 bytes unread on netlink socket fd 4 \(route\): the dump fails now \("netlink: The socket has data to read"\)\. Try again later/,
        },
      ],
    },
  ],
});
