/** lxc-checkpoint (LXC's criu.c) failed, and no known cause matches its message. explain's answer for an LXC error line no signature knows. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'lxc-checkpoint-error',
  severity: 'error',
  summary: "lxc-checkpoint (LXC's criu.c) failed; its message matches no known cause.",
  scope: 'log',
  docs: {
    why:
      "lxc-checkpoint runs CRIU from LXC's criu.c: it builds the criu command line (cgroups, mounts, veth pairs, the console), forks criu and reports its exit (\"dump failed with 1\", \"criu output: ...\"). Its own errors are about that set-up (the container's state, cgroups, the network on restore); when CRIU itself failed, the cause is in CRIU's log, not in LXC's lines.",
    fix:
      'Read CRIU\'s log of the run (DIR/dump.log or DIR/restore.log; lxc-checkpoint -v, or -l DEBUG -o FILE for LXC\'s own log) and explain that; ctcr doctor NAME checks the container as lxc-checkpoint sees it (container-running, container-not-running, criu-not-root, criu-too-old, checkpoint-dir-used, console-mismatch, network-type-unsupported).',
  },
  logArea: {
    name: "LXC's checkpoint code (lxc-checkpoint, criu.c)",
    // LXC's files as its log lines print them (`criu.c: do_dump: 1124`, `tools/lxc_checkpoint.c: checkpoint: 182`), `lxc:*` for any other LXC file.
    files: ['lxc:criu.c', 'lxc:tools/lxc_checkpoint.c', 'lxc:lxc_checkpoint.c', 'lxc:*'],
  },
});
