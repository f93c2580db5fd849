/**
 * The order in which ctcr explain tries the built-in rules' log signatures:
 * the first that matches the root error names the cause. Specific messages
 * come before general ones (a tmpfs dump failure before the generic helper
 * failure, a tty master before a console). A rule's own signatures are tried
 * in the order it lists them. Rules not listed here (user rules from
 * --rules-dir, new rules) are tried after these, in load order;
 * test/criu/signature-samples.test.ts proves that each sample is matched by
 * its own rule and by no rule before it.
 */
export const SIGNATURE_ORDER: readonly string[] = [
  // A crash is its own cause, whatever the message around it.
  'criu-crashed',
  'unsupported-filesystem',
  'criu-helper-missing',
  'external-bind-mount',
  'bind-mount-restore',
  'restore-root-missing',
  'tty-nonzero',
  'dev-console-allowed',
  'pty-index-busy',
  'shell-job',
  'netlink-pending-data',
  'external-unix-socket',
  'tcp-established',
  'tcp-in-flight',
  'unsupported-socket',
  'port-busy',
  'criu-kernel-mismatch',
  'ipv6-disabled',
  'sock-diag-missing',
  'rseq-unsupported',
  'seccomp-unsupported',
  'network-lock-unavailable',
  'iptables-legacy-missing',
  'apparmor-unavailable',
  'selinux-unavailable',
  'lsm-mismatch',
  'apparmor-blocks-parasite',
  'nested-namespace',
  'dump-not-init',
  'pid-busy',
  'new-pidns-required',
  'zombie-process',
  'criu-in-tree',
  'dump-timeout',
  'io-uring',
  'unsupported-file',
  'ghost-file-too-big',
  'link-remap',
  'file-locks',
  'external-file',
  'rootfs-changed',
  'inotify-irmap',
  'nr-open-mismatch',
  'uprobes',
  'deprecated-images',
  'cgroup-restore',
  'freeze-cgroup',
  'criu-not-root',
  'criu-option',
  'action-script-failed',
  'checkpoint-dir-used',
  'console-mismatch',
  'network-type-unsupported',
  'criu-too-old',
  'criu-missing',
];
