import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCriuLog, findRootError } from '../../src/criu/log.js';
import { parseCriuLog } from '../../src/criu/log-lines.js';
import { matchSignature } from '../../src/criu/signatures.js';
import { SIGNATURE_ORDER } from '../../src/criu/signature-order.js';
import { BUILTIN_RULES, SIGNATURES } from '../helpers/signatures.js';

const RLIMIT = "Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted";

function diagnose(text: string) {
  const d = explainCriuLog(text, SIGNATURES).diagnoses;
  assert.equal(d.length, 1, `one diagnosis for:\n${text}`);
  return d[0]!;
}

test('the RLIMIT line is never the root, even when it comes first', () => {
  const d = diagnose(`${RLIMIT}\nError (criu/sk-netlink.c:77): netlink: The socket has data to read\nError (criu/cr-dump.c:2128): Dumping FAILED.`);
  assert.equal(d.ruleId, 'netlink-pending-data');
  assert.equal(d.line, 2);
  assert.equal(d.excerpt, 'Error (criu/sk-netlink.c:77): netlink: The socket has data to read');
});

test('a log with only noise and no failure has nothing to diagnose', () => {
  assert.deepEqual(explainCriuLog(`${RLIMIT}\nLooks good.\n`, SIGNATURES).diagnoses, []);
});

test('a successful log has nothing to diagnose even with error lines in it', () => {
  const e = explainCriuLog(`Error (criu/util.c:643): exited, status=4\n(00.2) Dumping finished successfully`, SIGNATURES);
  assert.equal(e.outcome, 'succeeded');
  assert.deepEqual(e.diagnoses, []);
  assert.equal(e.root, undefined);
});

test('the cascade after the root is skipped; the root is first', () => {
  const text = [
    "(00.011691) Error (criu/proc_parse.c:479): Unknown shit 600 (anon_inode:[io_uring])",
    "(00.011697) Error (criu/proc_parse.c:707): Can't open 170650's mapfile link 7fa5f2385000: No such device or address",
    '(00.011699) Error (criu/cr-dump.c:1570): Collect mappings (pid: 170650) failed with -1',
  ].join('\n');
  assert.equal(diagnose(text).ruleId, 'io-uring');
});

test('when only cascade lines are present, the first of them is reported', () => {
  const d = diagnose('Error (criu/cr-dump.c:1681): Dump files (pid: 873) failed with -1\nError (criu/cr-dump.c:2111): Dumping FAILED.');
  // No signature for it: cr-dump.c serves every subsystem, and "Dump files" names the files area.
  assert.equal(d.ruleId, 'criu-files');
  assert.equal(d.line, 1);
});

test('"Could not initialize kernel features detection." points at the line before it', () => {
  const text = "Error (criu/cr-dump.c:9): something we do not know about\nError (criu/crtools.c:280): Could not initialize kernel features detection.";
  // The unknown line is itself the root (not cascade): first strong error wins.
  assert.equal(diagnose(text).line, 1);
  const onlyCascade = 'Some helper said: boom\nError (criu/crtools.c:280): Could not initialize kernel features detection.';
  const root = findRootError(parseCriuLog(onlyCascade));
  assert.equal(root?.line, 1);
  assert.equal(root?.message, 'Some helper said: boom');
});

test("other tools' output does not pass for criu's errors", () => {
  const text = "iptables-restore: invalid option -- 'w'\nip6tables-restore: invalid option -- 'w'\nError (criu/tty.c:2306): tty: Unable to find a master for /3";
  assert.equal(diagnose(text).line, 3);
});

test('a known message without the Error (...) frame still counts', () => {
  const d = diagnose('tty: Unable to find a master for /4');
  assert.equal(d.ruleId, 'tty-nonzero');
  assert.equal(d.line, 1);
});

test('only the failure marker: criu-error that asks for -v4', () => {
  const d = diagnose('(00.060114) Error (criu/cr-dump.c:2128): Dumping FAILED.');
  assert.equal(d.ruleId, 'criu-error');
  assert.match(d.fix, /-v4/);
});

test('an unknown error quotes the line', () => {
  const d = diagnose("Error (criu/files-reg.c:1189): Can't link dev/null.cr.1.ghost -> dev/null: File exists\nError (criu/cr-restore.c:1946): Restoring FAILED.");
  assert.equal(d.ruleId, 'criu-files');
  assert.match(d.message, /Can't link dev\/null\.cr\.1\.ghost/);
});

test('tty vs console is decided from the -v4 mount list when present', () => {
  const mounts = (root: string, at: string) => `(00.1) \ttype devpts source devpts mnt_id 506 s_dev 0x4d ${root} @ ${at} flags 0x20000a options gid=5\n`;
  assert.equal(diagnose(mounts('/0', './dev/console') + 'Error (criu/tty.c:2399): tty: Unable to find a master for /0').ruleId, 'console-enabled');
  const tty = diagnose(mounts('/2', './dev/tty3') + 'Error (criu/tty.c:2399): tty: Unable to find a master for /2');
  assert.equal(tty.ruleId, 'tty-nonzero');
  assert.match(tty.message, /\/dev\/tty3/);
});

test('unsupported-filesystem names the fstype from the mount list and suggests --enable-fs only when it helps', () => {
  const withList = (fstype: string) =>
    `(00.1) \ttype ${fstype} source x mnt_id 77 s_dev 0x23 / @ ./mnt/x flags 0x0 options \n(00.2) Error (criu/mount.c:724): mnt: FS mnt ./mnt/x dev 0x23 root / unsupported id 77`;
  const bpf = diagnose(withList('bpf'));
  assert.deepEqual(bpf.criuOptions, ['--enable-fs', 'bpf']);
  assert.match(bpf.message, /^\/mnt\/x is a bpf mount/);
  const btrfs = diagnose(withList('btrfs'));
  assert.deepEqual(btrfs.criuOptions, ['--external', 'mnt[/mnt/x]:ext-mnt-x']);
  assert.doesNotMatch(btrfs.fix, /--enable-fs/);
});

test('execvp failures: network-lock tools vs other tools', () => {
  assert.equal(diagnose('Error (criu/util.c:693): execvp("nft", ...) failed: No such file or directory').ruleId, 'network-lock-unavailable');
  const tar = diagnose('Error (criu/util.c:693): execvp("tar", ...) failed: No such file or directory');
  assert.equal(tar.ruleId, 'criu-helper-missing');
  assert.match(tar.fix, /tmpfs/);
});

test('ghost file size is rounded up to MiB for --ghost-limit', () => {
  assert.deepEqual(diagnose("Error (criu/files-reg.c:1031): Can't dump ghost file /a of 1048577 size, increase limit").criuOptions, ['--ghost-limit', '2M']);
});

test('unsupported proto: MPTCP, SCTP, ICMP and others', () => {
  assert.match(diagnose('Error (criu/sk-inet.c:137): inet: Unsupported proto 262 for socket 2f9bc5').fix, /GODEBUG=multipathtcp=0/);
  assert.match(diagnose('Error (criu/sk-inet.c:137): inet: Unsupported proto 132 for socket 64cc').message, /SCTP/);
  assert.match(diagnose('Error (criu/sk-inet.c:137): inet: Unsupported proto 1 for socket 6160e2').message, /4\.2/);
  assert.match(diagnose('Error (criu/sk-inet.c:137): inet: Unsupported proto 33 for socket 1').message, /protocol 33/);
});

// One sample per message the catalogue knows: each must reach its rule id.
const SAMPLES: [string, string][] = [
  ['BUG at criu/mem.c:1234', 'criu-crashed'],
  ['4321 killed by signal 11: Segmentation fault', 'criu-crashed'],
  ['Segmentation fault (core dumped)', 'criu-crashed'],
  ['dump signaled with 11', 'criu-crashed'],
  ['IP tool failed on route restore', 'network-helper-failed'],
  ['iptables-restore failed', 'network-helper-failed'],
  ['exited, status=2', 'criu-setup'],
  ['c1 not running, not checkpointing', 'container-not-running'],
  ['c1 is running, not restoring', 'container-running'],
  ['FS mnt ./sys/fs/pstore dev 0x18 root / unsupported id 35', 'unsupported-filesystem'],
  ["mqueue isn't empty", 'unsupported-filesystem'],
  ['failed to dump fs ./mnt/f (fuse): always fail', 'unsupported-filesystem'],
  ["Can't dump tmpfs content", 'criu-helper-missing'],
  ["mnt: 554:./etc/hosts doesn't have a proper root mount", 'external-bind-mount'],
  ['Mount 80 ./sys (master_id: 3 shared_id: 0) has unreachable sharing. Try --enable-external-masters.', 'external-bind-mount'],
  ['Mount 80:./data is autodetected external mount. Try "--ext-mount-map auto" to allow them.', 'external-bind-mount'],
  ['No mapping for 80:./data mountpoint', 'external-bind-mount'],
  ['mnt-v2: Failed to move_mount from /lib to /tmp/.criu.mntns.x/12: Invalid argument', 'bind-mount-restore'],
  ['The --root option is required to restore a mount namespace', 'restore-root-missing'],
  ['tty: Unable to find a master for /4', 'tty-nonzero'],
  ["tty: Can't obtain ptmx index: Inappropriate ioctl for device", 'dev-console-allowed'],
  ['tty: Unable to open dev/ptmx with specified index 72', 'pty-index-busy'],
  ['Task attached to shell terminal. Consider using --shell-job option. More details on http://criu.org/Simple_loop', 'shell-job'],
  ['netlink: The socket has data to read', 'netlink-pending-data'],
  ['unix: External socket is used. Consider using --ext-unix-sk option.', 'external-unix-socket'],
  ['Connected TCP socket, consider using --tcp-established option.', 'tcp-established'],
  ['Need to set the --tcp-close options.', 'tcp-established'],
  ['In-flight connections can be ignored with the --skip-in-flight option.', 'tcp-in-flight'],
  ['pidfd pid 1 is not a part of process tree..', 'pidfd-outside-tree'],
  ['PIDFD_THREAD flag is currently not supported', 'pidfd-outside-tree'],
  ['A session leader of 21065(10) is outside of its pid namespace', 'session-outside'],
  ['inet: Unsupported proto 262 for socket 2f9bc5', 'unsupported-socket'],
  ["Can't dump corked dgram socket 1f", 'unsupported-socket'],
  ["inet: Can't bind inet socket (id 12): Address already in use", 'port-busy'],
  ["sockets: Can't get 1:34 opt: Operation not supported", 'criu-kernel-mismatch'],
  ['vdso: Unexpected rt vDSO area bounds', 'criu-kernel-mismatch'],
  ['vdso: Not all dynamic entries are present', 'criu-kernel-mismatch'],
  ['vdso: ELF header magic mismatch', 'criu-kernel-mismatch'],
  ["Compatible vdso's size is bigger than reserved buf", 'criu-kernel-mismatch'],
  ["vdso: Can't find rt vDSO", 'criu-kernel-mismatch'],
  ['Unable to create a ipv6 dgram socket: Address family not supported by protocol', 'ipv6-disabled'],
  ['sockets: The sock diag infrastructure is incomplete.', 'sock-diag-missing'],
  ['1 has rseq but kernel lacks get_rseq_conf feature', 'rseq-unsupported'],
  ["seccomp: Can't fetch filter on tid_real 5 i 0: Invalid argument", 'seccomp-unsupported'],
  ['execvp("iptables-restore", ...) failed: No such file or directory', 'network-lock-unavailable'],
  ['net: Locking network failed: iptables-restore returned 2. This may be connected to disabled CONFIG_NETFILTER_XT_MARK kernel build config option.', 'network-lock-unavailable'],
  ['net: CRIU was built without libnftables support', 'network-lock-unavailable'],
  ["net: Can't restore iptables dump - no legacy version present", 'iptables-legacy-missing'],
  ['apparmor LSM specified but apparmor not supported by kernel', 'apparmor-unavailable'],
  ['selinux LSM specified but selinux not supported by kernel', 'selinux-unavailable'],
  ['mismatched lsm types and lsm profile specified', 'lsm-mismatch'],
  ['Unable to connect a transport socket: Permission denied', 'apparmor-blocks-parasite'],
  ["Can't dump nested uts namespace for 1958", 'nested-namespace'],
  ["Can't dump a pid namespace without the process init", 'dump-not-init'],
  ["Can't fork for 15047: File exists", 'pid-busy'],
  ['Pid 12 do not match expected 13', 'pid-busy'],
  ['This process tree can only be restored in a new pid namespace.', 'new-pidns-required'],
  ['zombie 77 (comm sh) found while seizing', 'zombie-process'],
  ['The criu itself is within dumped tree.', 'criu-in-tree'],
  ['Timeout reached. Try to interrupt: 0', 'dump-timeout'],
  ['Unknown shit 600 (anon_inode:[io_uring])', 'io-uring'],
  ['send_fds failed (-22)', 'io-uring'],
  ["Can't dump file 17 of that type [20660] (anon anon_inode:[userfaultfd])", 'unsupported-file'],
  ["Can't dump ghost file /tmp/x of 5242880 size, increase limit", 'ghost-file-too-big'],
  ["Can't create link remap for /var/x. Use link-remap option.", 'link-remap'],
  ['Some file locks are hold by dumping tasks! You can try --file-locks to dump them.', 'file-locks'],
  ['Unresolved lock found pid 12 ino 3456', 'file-locks'],
  ["Can't lookup mount=42 for fd=0 path=/dev/pts/3", 'external-file'],
  ['File /usr/bin/app has bad size 10 (expect 20)', 'rootfs-changed'],
  ["fsnotify: \tCan't dump that handle", 'inotify-irmap'],
  ['Too big FD number to restore 1048576', 'nr-open-mismatch'],
  ['PID 12 has uprobes vma. Consider using --allow-uprobes.', 'uprobes'],
  ['Deprecated functionality (Rlimits) rejected.', 'deprecated-images'],
  ["cg: Can't move 12 into cpuset/lxc/c1/cgroup.procs (-1/-1): No space left on device", 'cgroup-restore'],
  ['Unable to freeze cgroup /sys/fs/cgroup/lxc/c1 (100000 x 100ms attempts, timeout: 10s)', 'freeze-cgroup'],
  ["Running as non-root requires '--unprivileged'", 'criu-not-root'],
  ["criu: unrecognized option '--namespaces'", 'criu-option'],
  ['Option --mntns-compat-mode is only valid on restore', 'criu-option'],
  ['Pre dump script failed with 1!', 'action-script-failed'],
  ['please use a fresh directory for the dump directory', 'checkpoint-dir-used'],
  ['lxc.console.path configured on source host but not target', 'console-mismatch'],
  ['Found un-dumpable network: vlan (eth0)', 'network-type-unsupported'],
  ['must have criu 2.0 or greater to checkpoint/restore', 'criu-too-old'],
  ['execing criu failed, is it installed?', 'criu-missing'],
];

test('every catalogued message reaches its rule id', () => {
  for (const [message, ruleId] of SAMPLES) {
    assert.equal(diagnose(`(00.1) Error (criu/x.c:1): ${message}`).ruleId, ruleId, message);
  }
});

test('every signature is reached by a catalogued message, and every id the catalogue names is a rule module', () => {
  const used = new Set(SAMPLES.map(([m]) => matchSignature(SIGNATURES, m)?.ranked));
  // The catalogue predates the rules' own samples: it covers the rules of the explicit order (later rules are held by signature-samples.test.ts).
  SIGNATURES.forEach((s, i) => assert.ok(!SIGNATURE_ORDER.includes(s.ruleId) || used.has(s), `signature #${i} (${s.ruleId} ${s.signature.pattern}) has no catalogued message`));
  const ids = new Set(BUILTIN_RULES.map((r) => r.id));
  for (const [, ruleId] of SAMPLES) assert.ok(ids.has(ruleId), `${ruleId} is not a rule module`);
});

test('diagnoses carry message, fix and severity', () => {
  for (const [message] of SAMPLES) {
    const d = diagnose(`Error (criu/x.c:1): ${message}`);
    assert.equal(d.severity, 'error');
    assert.ok(d.message.length > 10 && d.fix.length > 10, message);
  }
});

test('notACriuLog: every real log and CRIU output fixture is a log; prose and binary are not', async () => {
  const { notACriuLog } = await import('../../src/criu/log.js');
  const { listFixtures, readFixture } = await import('./fixtures.js');
  const real = [...listFixtures('criu-output').map((f) => `criu-output/${f}`), ...listFixtures('run').filter((f) => f.endsWith('.log')).map((f) => `run/${f}`)];
  for (const f of real.filter((f) => !f.endsWith('.md') && !f.endsWith('.json'))) assert.equal(notACriuLog(readFixture(f), SIGNATURES), undefined, f);
  assert.equal(notACriuLog('Pre dump script failed with 1!', SIGNATURES), undefined, 'an excerpt a rule knows, pasted bare');
  assert.match(notACriuLog('hello\nworld\n', SIGNATURES) ?? '', /^not a CRIU or LXC log: no line/);
  assert.match(notACriuLog('PK\u0003\u0004\u0000\u0000binary', SIGNATURES) ?? '', /binary data/);
  assert.match(notACriuLog('\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b\u000c text', SIGNATURES) ?? '', /binary data/);
});

test('the root is chosen in the run that failed: a pre-dump before it, or an earlier run in the same file, do not count', () => {
  const text = [
    '(00.000000) Version: 4.2 (gitid 0)',
    "(00.010000) Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
    '(00.020000) Pre-dumping finished successfully',
    '(00.000000) Version: 4.2 (gitid 0)',
    '(00.000010) Error (criu/tty.c:2230): tty: Unable to find a master for /4',
    '(00.040000) Error (criu/cr-dump.c:2128): Dumping FAILED.',
    '(00.041000) Error (criu/net.c:3000): net: cleanup after the failure',
  ].join('\n');
  const d = diagnose(text);
  assert.equal(d.line, 5);
  // Without Version lines: timestamps starting again from zero also start a run.
  const noVersion = text.split('\n').filter((l) => !l.includes('Version')).join('\n');
  assert.equal(diagnose(noVersion).line, 3);
});

test('errors after the FAILED marker are cleanup, not the cause', () => {
  const d = explainCriuLog('(00.1) Error (criu/cr-dump.c:2128): Dumping FAILED.\n(00.2) Error (criu/net.c:3000): net: Unlock network failed\n', SIGNATURES).diagnoses[0]!;
  assert.equal(d.ruleId, 'criu-error');
  assert.equal(d.line, 1);
});

test('a crash is the root even when unknown errors follow it; a kill (signal 9) is not a crash', () => {
  const crash = [
    '(00.3) Error (criu/cr-restore.c:1262): 4321 killed by signal 11: Segmentation fault',
    '(00.4) Error (criu/cr-restore.c:2400): Unable to do something after the crash',
    '(00.5) Error (criu/cr-restore.c:2447): Restoring FAILED.',
  ].join('\n');
  assert.equal(diagnose(crash).ruleId, 'criu-crashed');
  assert.equal(diagnose(crash).line, 1);
  const kill = crash.replace('signal 11: Segmentation fault', 'signal 9: Killed');
  // A kill is a consequence (cascade): the first error that is not one is the root.
  assert.equal(diagnose(kill).line, 2);
});

test('CRIU 3.x "zombie found while seizing" after a refused interrupt is a traced task; without the refusal, a zombie', () => {
  const traced = [
    '(03.010568) Warn  (compel/src/lib/infect.c:126): Unable to interrupt task: 31447 (Operation not permitted)',
    '(03.010594) Error (criu/seize.c:275): zombie found while seizing',
  ].join('\n');
  assert.equal(diagnose(traced).ruleId, 'traced-process');
  assert.equal(diagnose('(03.010594) Error (criu/seize.c:275): zombie found while seizing').ruleId, 'zombie-process');
});

test('"Diag module missing" is a probe CRIU goes on after: the error after it is the root', () => {
  const d = diagnose("Error (criu/sockets.c:132): Diag module missing (-2)\nError (criu/kerndat.c:182): Can't stat self map_files 2: No such file or directory");
  assert.equal(d.line, 2);
  assert.equal(d.ruleId, 'criu-kernel-features');
});

test("a network tool CRIU runs: its command and its own output name the failure, on restore and on dump", () => {
  const restore = [
    '(00.300356)      1: \tRunning ip addr restore',
    '(00.305122)      1: \tRunning ip route restore',
    'RTNETLINK answers: Network is unreachable',
    '(00.309238)      1: Error (criu/util.c:643): exited, status=2',
    '(00.309241)      1: Error (criu/net.c:1969): IP tool failed on route restore',
    '(00.350428) Error (criu/cr-restore.c:2447): Restoring FAILED.',
  ].join('\n');
  const d = diagnose(restore);
  assert.equal(d.ruleId, 'network-helper-failed');
  // CRIU's own "IP tool failed" is the root (util.c's exit status is its cascade); the message is ip's.
  assert.equal(d.line, 5);
  assert.match(d.message, /^`ip route restore` failed while CRIU was restoring the container's network: RTNETLINK answers: Network is unreachable/);
  const dump = [
    '(00.022000) \tRunning iptables-save for iptables-save',
    "iptables-save v1.8.7 (nf_tables): Could not fetch rule set generation id: Invalid argument",
    '(00.022100) Error (criu/util.c:657): exited, status=4',
    '(00.022200) Error (criu/net.c:1989): iptables-save failed',
  ].join('\n');
  const e = diagnose(dump);
  assert.equal(e.ruleId, 'network-helper-failed');
  assert.match(e.message, /`iptables-save` failed while CRIU was saving .*Could not fetch rule set generation id/);
  assert.match(e.fix, /iptables-legacy-missing/);
  // A helper that is not a network tool (tar for a tmpfs) stays with util.c's area.
  const tar = diagnose("tar: ./x: Cannot open: Permission denied\n(00.1) Error (criu/util.c:657): exited, status=2");
  assert.equal(tar.ruleId, 'criu-setup');
  assert.match(tar.message, /tar: \.\/x: Cannot open/);
});
