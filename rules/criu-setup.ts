/** CRIU failed setting itself up: options, configuration, action scripts or a program it runs (its main or util code). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-setup',
  severity: 'error',
  summary: "CRIU failed setting itself up: options, configuration, action scripts or a program it runs (its main or util code).",
  scope: 'log',
  docs: {
    why: "Before any task is touched CRIU reads its options and configuration files (crtools.c, config.c, cr-service.c), runs action scripts and, from util.c, the helper programs it needs (tar, ip, iptables); errors there are about the command line, the environment, or the output of one of those programs.",
    fix: "Read the output of the program just above the error, if one ran (ip, iptables-restore, tar); ctcr doctor NAME checks the known cases (criu-option, criu-not-root, criu-helper-missing, action-script-failed). ctcr explain --command \"criu ...\" checks a command line against the installed CRIU; the files named by CRIU_CONFIG_FILE and /etc/criu/default.conf are read as well.",
  },
  logArea: {
    name: "CRIU's set-up: options, configuration, its own helpers",
    // cr-dump.c, cr-restore.c, the restorer, util.c ... serve every subsystem: a message that names another area's subject goes there.
    generic: true,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'action-scripts.c',
      'bitmap.c',
      'cr-errno.c',
      'cr-service.c',
      'criu/action-scripts.c',
      'criu/bitmap.c',
      'criu/config.c',
      'criu/cr-errno.c',
      'criu/cr-service.c',
      'criu/crtools.c',
      'criu/external.c',
      'criu/fault-injection.c',
      'criu/fdstore.c',
      'criu/log.c',
      'criu/rbtree.c',
      'criu/servicefd.c',
      'criu/setproctitle.c',
      'criu/string.c',
      'criu/unittest/mock.c',
      'criu/unittest/unit.c',
      'criu/util.c',
      'crtools.c',
      'fault-injection.c',
      'log.c',
      'rbtree.c',
      'sd-daemon.c',
      'string.c',
      'util.c',
    ],
  },
});
