/** CRIU failed dumping or restoring a socket (an error from its socket code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-sockets',
  severity: 'error',
  summary: "CRIU failed dumping or restoring a socket (an error from its socket code).",
  scope: 'log',
  docs: {
    why: "CRIU's socket code (sockets.c, sk-unix.c, sk-inet.c, sk-tcp.c, sk-netlink.c, sk-packet.c, sk-queue.c) reads sockets through sock_diag and restores them by re-creating each one; its errors are about one socket the task holds.",
    fix: "Find the socket in the lines above (ino, port, path); ctcr doctor NAME checks the container for the known cases (tcp-established, tcp-in-flight, external-unix-socket, unsupported-socket, netlink-pending-data, sock-diag-missing, port-busy). Options: --tcp-established or --tcp-close for TCP, --ext-unix-sk or --external unix[INO] for a peer outside the container; or stop the program holding the socket before the checkpoint.",
  },
  logArea: {
    name: "socket dump/restore",
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bTCP_|\bsockets?\b|\binet\b|\bunix\b|\bnetlink\b|\bsk\b/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/sk-inet.c',
      'criu/sk-netlink.c',
      'criu/sk-packet.c',
      'criu/sk-queue.c',
      'criu/sk-tcp.c',
      'criu/sk-unix.c',
      'criu/sockets.c',
      'include/common/scm-code.c',
      'sk-inet.c',
      'sk-netlink.c',
      'sk-packet.c',
      'sk-queue.c',
      'sk-tcp.c',
      'sk-unix.c',
      'sockets.c',
      'soccr/soccr.c',
      'soccr/test/tcp-conn-v6.c',
      'soccr/test/tcp-conn.c',
      'soccr/test/tcp-constructor.c',
    ],
  },
});
