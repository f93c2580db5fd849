/**
 * The error messages of CRIU (v4.2 sources, team notes criu-facts.md §2) and
 * of lxc-checkpoint that have a clear cause and fix, mapped to the rule ids
 * the doctor shares. Patterns match the message text, never `file:line`
 * (line numbers move between releases).
 */
import type { Severity } from '../types.js';
import type { CriuLogLine, ParsedCriuLog } from './log-lines.js';
import { CRIU_FSTYPES, fsSupport, fsWorkarounds, mountCookie, NEWEST_KNOWN_CRIU, usualFstypeAt } from './filesystems.js';

export interface SignatureContext {
  log: ParsedCriuLog;
  root: CriuLogLine;
}

export interface SignatureResult {
  /** Overrides the signature's rule id when one message has several causes. */
  ruleId?: string;
  message: string;
  fix: string;
  criuOptions?: string[];
  severity?: Severity;
}

export interface LogSignature {
  ruleId: string;
  pattern: RegExp;
  explain(m: RegExpExecArray, ctx: SignatureContext): SignatureResult;
}

/** Network-lock helpers CRIU runs (net.c): missing ones break `--network-lock iptables|nftables`. */
const NETWORK_LOCK_TOOLS = /^(?:ip6?tables(?:-legacy|-nft)?(?:-restore|-save)?|nft)$/;

/** `./sys/fs/pstore` (how CRIU prints mountpoints relative to the root) → `/sys/fs/pstore`. */
function mountpointOf(printed: string): string {
  const p = printed.replace(/^\.(?=\/|$)/, '');
  return p === '' ? '/' : p;
}

/** At -v4 CRIU lists every mount: `type pstore source pstore mnt_id 35 s_dev 0x18 / @ ./sys/fs/pstore flags ...`. */
interface LoggedMount {
  fstype: string;
  source: string;
  mntId: number;
  root: string;
  mountpoint: string;
}

function loggedMounts(log: ParsedCriuLog): LoggedMount[] {
  const out: LoggedMount[] = [];
  for (const l of log.lines) {
    const m = /type (\S+) source (\S+) mnt_id (\d+) s_dev 0x[0-9a-f]+ (\S+) @ (\S+)/.exec(l.message);
    if (m) out.push({ fstype: m[1]!, source: m[2]!, mntId: Number(m[3]), root: m[4]!, mountpoint: mountpointOf(m[5]!) });
  }
  return out;
}

/**
 * Which devices a `tty: Unable to find a master for /N` can be about: the
 * devpts bind mounts whose root is /N. Several devpts instances can have a
 * /N (LXC binds the host's pty for /dev/console and the container's for
 * /dev/ttyN), and the message does not say which instance.
 */
function ttyMountsFor(log: ParsedCriuLog, root: string): LoggedMount[] {
  return loggedMounts(log).filter((m) => m.fstype === 'devpts' && m.root === root && m.mountpoint !== '/dev/pts');
}

const UPGRADE = `Use CRIU ${NEWEST_KNOWN_CRIU} or newer.`;

export const LOG_SIGNATURES: readonly LogSignature[] = [
  // --- mounts -------------------------------------------------------------
  {
    ruleId: 'unsupported-filesystem',
    pattern: /FS mnt (\S+) dev (0x[0-9a-f]+) root (\S+) unsupported(?: id (\d+))?/,
    explain(m, { log }) {
      const mountpoint = mountpointOf(m[1]!);
      const mntId = m[4] ? Number(m[4]) : undefined;
      const mount = loggedMounts(log).find((x) => (mntId !== undefined ? x.mntId === mntId : x.mountpoint === mountpoint));
      const fstype = mount?.fstype;
      const guess = fstype ? undefined : usualFstypeAt(mountpoint);
      const what = fstype ? `a ${fstype} mount` : `a mount of a type CRIU does not support${guess ? ` (usually ${guess} there)` : ''}`;
      const version = log.criuVersion ?? NEWEST_KNOWN_CRIU;
      const ways = fsWorkarounds(fstype ?? guess ?? 'unknown', mountpoint, version);
      const enable = ways.find((w) => w.kind === 'enable-fs');
      const external = ways.find((w) => w.kind === 'external')!;
      const known = fstype ? CRIU_FSTYPES.find((e) => e.fstype === fstype) : undefined;
      const support = known ? fsSupport(known.fstype, version) : undefined;
      return {
        message: `${mountpoint} is ${what}${support ? ` (${support.note})` : ''}; CRIU cannot dump it`,
        fix:
          `Do not mount it in the container, or pass ${external.dump.join(' ')} on dump and ${external.restore.join(' ')} on restore` +
          (enable ? `, or let CRIU re-mount it by options with ${enable.dump.join(' ')}${fstype ? '' : ` (if it is ${guess})`}` : '') +
          `, or skip it with --skip-mnt ${mountpoint}.`,
        // Suggest --enable-fs only for a type the log names; a guess gets the safe external form.
        criuOptions: enable && fstype ? enable.dump : external.dump,
      };
    },
  },
  {
    ruleId: 'unsupported-filesystem',
    pattern: /(\S+) isn't empty/,
    explain(m) {
      const fstype = m[1]!;
      return {
        message: `the container's ${fstype} is not empty; CRIU dumps ${fstype} only when empty${fstype === 'mqueue' ? ' (a process holds POSIX message queues)' : ''}`,
        fix: fstype === 'mqueue' ? 'Stop the process using POSIX message queues (or remove them from /dev/mqueue) before the dump, or do not mount mqueue in the container.' : `Empty ${fstype} before the dump, or do not mount it in the container.`,
      };
    },
  },
  {
    ruleId: 'unsupported-filesystem',
    pattern: /failed to dump fs (\S+) \(([^)]+)\): always fail/,
    explain(m) {
      const mountpoint = mountpointOf(m[1]!);
      return {
        message: `${mountpoint} is a ${m[2]} mount, which CRIU never dumps`,
        fix: `Unmount it before the dump, or mark it external: --external mnt[${mountpoint}]:${mountCookie(mountpoint)} on dump and --external mnt[${mountCookie(mountpoint)}]:HOST_PATH on restore.`,
        criuOptions: ['--external', `mnt[${mountpoint}]:${mountCookie(mountpoint)}`],
      };
    },
  },
  {
    ruleId: 'criu-helper-missing',
    pattern: /Can't (dump|restore) tmpfs content/,
    explain(m) {
      return {
        message: `tar failed to ${m[1]} the content of a tmpfs mount`,
        fix: "Make sure the 'tar' program is installed on the host (CRIU runs it for every tmpfs in the container); the lines above show tar's own error.",
      };
    },
  },
  {
    ruleId: 'external-bind-mount',
    pattern: /(\d+):(\S+) doesn't have a proper root mount/,
    explain(m) {
      const mountpoint = mountpointOf(m[2]!);
      return {
        message: `${mountpoint} is a bind mount from outside the container's mount namespace`,
        fix: `Mark it external: --external mnt[${mountpoint}]:${mountCookie(mountpoint)} on dump and --external mnt[${mountCookie(mountpoint)}]:HOST_PATH on restore, or let CRIU find such mounts with --external mnt[] (lxc-checkpoint passes --ext-mount-map auto).`,
        criuOptions: ['--external', 'mnt[]'],
      };
    },
  },
  {
    ruleId: 'external-bind-mount',
    pattern: /Mount (\d+) (\S+) \(master_id: (\d+) shared_id: (\d+)\) has unreachable sharing/,
    explain(m) {
      return {
        message: `${mountpointOf(m[2]!)} is a slave of a mount outside the container`,
        fix: 'Pass --enable-external-masters (or --external mnt[]:m) on dump and restore.',
        criuOptions: ['--enable-external-masters'],
      };
    },
  },
  {
    ruleId: 'external-bind-mount',
    pattern: /Mount (\d+):(\S+) is autodetected external mount/,
    explain(m) {
      return {
        message: `the dump auto-detected ${mountpointOf(m[2]!)} as an external mount, and the restore was not told to accept it`,
        fix: 'Pass --external mnt[] (or --ext-mount-map auto) on restore too.',
        criuOptions: ['--external', 'mnt[]'],
      };
    },
  },
  {
    ruleId: 'external-bind-mount',
    pattern: /No mapping for (\d+):(\S+) mountpoint/,
    explain(m) {
      return {
        message: `the images name ${mountpointOf(m[2]!)} as an external mount, but the restore gave no host path for it`,
        fix: 'Pass --external mnt[COOKIE]:HOST_PATH on restore with the cookie used on dump (--ext-mount-map COOKIE:HOST_PATH on CRIU before 2.8).',
      };
    },
  },
  {
    ruleId: 'bind-mount-restore',
    pattern: /Failed to move_mount from (\S+) to (.*?)(?::\s*([A-Z][^:]*))?$/,
    explain(m) {
      return {
        message: `the mount-v2 restore engine could not bind ${m[1]} into the container${m[3] ? ` (${m[3]})` : ''}`,
        fix:
          'If the bind mount source is a symlink (merged /usr: /lib -> usr/lib), point the lxc.mount.entry at the real directory (/usr/lib). ' +
          'Otherwise restore with --mntns-compat-mode (restore only; lxc-checkpoint has no switch for it, so put "mntns-compat-mode" in a file named by CRIU_CONFIG_FILE).',
        criuOptions: ['--mntns-compat-mode'],
      };
    },
  },
  {
    ruleId: 'restore-root-missing',
    pattern: /The --root option is required to restore a mount namespace/,
    explain: () => ({ message: 'the images hold a mount namespace, and no --root was given', fix: 'Pass --root with the mounted container root (lxc-checkpoint -r does this).', criuOptions: ['--root'] }),
  },
  // --- ttys ---------------------------------------------------------------
  {
    ruleId: 'tty-nonzero',
    pattern: /Unable to find a master for (\S+)/,
    explain(m, { log }) {
      const what = m[1]!;
      const targets = what.includes('console') ? ['/dev/console'] : ttyMountsFor(log, what).map((x) => x.mountpoint);
      const consoles = targets.filter((t) => /console/.test(t));
      if (targets.length > 0 && consoles.length === targets.length) {
        return {
          ruleId: 'console-enabled',
          message: `the container's /dev/console is a pty (${what}) whose master is outside the container`,
          fix: 'Set lxc.console.path = none in the container config (lxc-checkpoint then passes no console options), or restore with the console pty passed via --inherit-fd.',
        };
      }
      const ttys = targets.filter((t) => !/console/.test(t));
      const also = consoles.length ? `, or ${consoles.join(', ')}, which has the same pty number on another devpts instance` : '';
      return {
        message: `a container tty (${ttys.length ? ttys.join(', ') : `devpts ${what}`}${also}) is a pty whose master LXC holds outside the container`,
        fix: 'Set lxc.tty.max = 0 (and lxc.pty.max = 0 if it still fails); if it is /dev/console, set lxc.console.path = none.',
      };
    },
  },
  {
    ruleId: 'dev-console-allowed',
    pattern: /Can't obtain ptmx index/,
    explain: () => ({
      message: 'a process holds a ptmx that is not the container devpts instance (typically the host console reached through c 5:1)',
      fix: 'Remove the devices rule that allows c 5:1 (lxc.cgroup.devices.allow / lxc.cgroup2.devices.allow = c 5:1 rwm), set lxc.console.path = none, and make sure /dev/ptmx points to pts/ptmx.',
    }),
  },
  {
    ruleId: 'pty-index-busy',
    pattern: /Unable to open (\S+) with specified index (\d+)/,
    explain: (m) => ({
      message: `pty index ${m[2]} is already taken on the restore side`,
      fix: 'Restore into a fresh devpts instance (a container with its own /dev/pts, newinstance), or close the pty that holds that index.',
    }),
  },
  {
    ruleId: 'shell-job',
    pattern: /Task attached to shell terminal|Consider using --shell-job option|Found slave peer index \d+ without correspond master peer|Don't have tty to inherit session from/,
    explain: () => ({
      message: 'the process tree is attached to a terminal outside the dump',
      fix: 'Pass --shell-job on dump and restore, or run the process detached from the terminal (setsid).',
      criuOptions: ['--shell-job'],
    }),
  },
  // --- sockets ------------------------------------------------------------
  {
    ruleId: 'netlink-pending-data',
    pattern: /The socket has data to read/,
    explain: () => ({
      message: 'a netlink socket in the container has unread data (Recv-Q > 0), which CRIU cannot dump',
      fix: "Retry the dump; if it persists, find the owner with 'ss -f netlink -a -e' inside the container and stop or restart it (udev, systemd, an idle 'ss').",
    }),
  },
  {
    ruleId: 'external-unix-socket',
    pattern: /External socket is used|Can't dump half of stream unix connection|Can't dump name-less external socket|External socket found in image|Unix socket \d+ with unreachable peer/,
    explain: (m) => ({
      message: 'a unix socket in the container is connected to a process outside it',
      fix: /half of stream/.test(m[0]) ? 'Stop the connection (a stream socket peer cannot be external), e.g. the host-side syslog or D-Bus client.' : 'Pass --external unix[INODE] (or --ext-unix-sk) on dump and restore for that socket, or close the connection.',
      criuOptions: ['--ext-unix-sk'],
    }),
  },
  {
    ruleId: 'tcp-established',
    pattern: /Connected TCP socket, consider using --tcp-established|Connected TCP socket in image/,
    explain: (m) => ({
      message: /in image/.test(m[0]) ? 'the images hold established TCP connections and the restore was not given --tcp-established' : 'the container has established TCP connections',
      fix: 'Pass --tcp-established on dump and on restore (lxc-checkpoint does), or --tcp-close to drop them.',
      criuOptions: ['--tcp-established'],
    }),
  },
  {
    ruleId: 'tcp-established',
    pattern: /Need to set the --tcp-close options/,
    explain: () => ({ message: 'the dump used --tcp-close and the restore did not', fix: 'Pass --tcp-close on restore too.', criuOptions: ['--tcp-close'] }),
  },
  {
    ruleId: 'tcp-in-flight',
    pattern: /In-flight connection|In-flight connections can be ignored/,
    explain: () => ({ message: 'a listening socket has half-open connections in its accept queue', fix: 'Pass --skip-in-flight on dump (lxc-checkpoint does with CRIU 2.4+).', criuOptions: ['--skip-in-flight'] }),
  },
  {
    ruleId: 'unsupported-socket',
    pattern: /Unsupported proto (\d+) for socket (\S+)/,
    explain(m) {
      const proto = Number(m[1]);
      if (proto === 262) {
        return {
          message: 'a socket uses MPTCP (proto 262), which CRIU cannot dump; Go 1.24+ listeners use MPTCP by default',
          fix: 'Start Go programs with GODEBUG=multipathtcp=0 (or disable MPTCP in them); CRIU has no MPTCP support yet (criu#2655).',
        };
      }
      if (proto === 132) return { message: 'a socket uses SCTP (proto 132), which CRIU cannot dump', fix: 'Stop the SCTP service before the dump.' };
      if (proto === 1) return { message: 'a non-raw ICMP socket (ping), which CRIU dumps only since 4.2', fix: UPGRADE };
      return { message: `a socket uses IP protocol ${proto}, which CRIU cannot dump`, fix: 'Stop the process owning that socket before the dump.' };
    },
  },
  {
    ruleId: 'unsupported-socket',
    pattern: /Can't dump corked dgram socket|Only stream, dgram and raw are supported/,
    explain: (m) => ({ message: `a socket CRIU cannot dump: ${m[0]}`, fix: 'Stop the process owning that socket before the dump.' }),
  },
  {
    ruleId: 'port-busy',
    pattern: /Can't bind inet socket/,
    explain: (_m, { root }) => ({
      message: `a restored socket could not bind${/Address already in use/.test(root.message) ? ': the port is in use on this host' : /Cannot assign requested address/.test(root.message) ? ': its IP address is missing in the target network namespace' : ''}`,
      fix: 'Free the port on the target (or restore into the container network namespace) and make sure the container gets the same IP address.',
    }),
  },
  // --- kernel / CRIU version ----------------------------------------------
  {
    ruleId: 'criu-kernel-mismatch',
    pattern: /Can't get 1:(16|34)(?:\(\d+\))? opt: Operation not supported/,
    explain: () => ({
      message: 'kernel 6.16+ refuses SO_PASSCRED/SO_PASSSEC on inet, raw and packet sockets, and this CRIU still asks (criu#2705); criu check does not notice',
      fix: 'Use CRIU 4.2 or newer.',
    }),
  },
  {
    ruleId: 'criu-kernel-mismatch',
    pattern: /Unexpected rt vDSO area bounds|VVAR and VVAR_VCLOCK entries are not subsequent/,
    explain: () => ({ message: 'this CRIU cannot read the vDSO layout of x86 kernels 6.13+ ([vvar_vclock]), so every command fails (criu#2532)', fix: 'Use CRIU 4.1 or newer.' }),
  },
  {
    ruleId: 'criu-kernel-mismatch',
    pattern: /Not all dynamic entries are present/,
    explain: () => ({ message: 'this CRIU cannot read the aarch64 vDSO of kernels 6.11+ (DT_GNU_HASH only)', fix: 'Use CRIU 4.1 or newer.' }),
  },
  {
    ruleId: 'criu-kernel-mismatch',
    pattern: /ELF header magic mismatch|Unsupported OSABI version/,
    explain: () => ({ message: "this CRIU rejects the kernel vDSO's ELF header (ARM vDSO with OSABI 3, criu#2751)", fix: 'Use CRIU 4.2 or newer.' }),
  },
  {
    ruleId: 'criu-kernel-mismatch',
    pattern: /Compatible vdso's size is bigger than reserved buf/,
    explain: () => ({ message: "this kernel's 32-bit vDSO is bigger than the buffer CRIU before 3.18 reserves (criu#1916)", fix: 'Use CRIU 3.18 or newer.' }),
  },
  {
    ruleId: 'criu-kernel-mismatch',
    pattern: /Got second vDSO entry|Can't find rt vDSO/,
    explain: (m) => ({ message: `CRIU does not understand this kernel's vDSO (${m[0]})`, fix: UPGRADE }),
  },
  {
    ruleId: 'ipv6-disabled',
    pattern: /Unable to create a ipv6 dgram socket|kerndat_has_ipv6_freebind failed/,
    explain: () => ({
      message: 'the kernel was booted with ipv6.disable=1 and CRIU cannot probe IPv6 (criu#2222)',
      fix: 'Boot without ipv6.disable=1 (disable IPv6 with the net.ipv6.conf.all.disable_ipv6 sysctl instead).',
    }),
  },
  {
    ruleId: 'sock-diag-missing',
    pattern: /The sock diag infrastructure is incomplete/,
    explain: () => ({
      message: "the kernel's socket diagnostics (*_DIAG) are incomplete, so CRIU cannot list sockets",
      fix: 'Enable CONFIG_UNIX_DIAG, CONFIG_INET_DIAG, CONFIG_PACKET_DIAG and CONFIG_NETLINK_DIAG, or load the modules (modprobe unix_diag inet_diag tcp_diag udp_diag packet_diag netlink_diag).',
    }),
  },
  {
    ruleId: 'rseq-unsupported',
    pattern: /has rseq but kernel lacks get_rseq_conf feature|rseq: can't restore as kernel doesn't support it/,
    explain: () => ({
      message: 'glibc 2.35+ in the container registers rseq, and this kernel lacks PTRACE_GET_RSEQ_CONFIGURATION (5.13+)',
      fix: 'Use kernel 5.13+ with CRIU 3.17+, or start the container with GLIBC_TUNABLES=glibc.pthread.rseq=0.',
    }),
  },
  {
    ruleId: 'seccomp-unsupported',
    pattern: /Can't fetch filter on tid_real|Kernel doesn't support PTRACE_O_SUSPEND_SECCOMP|couldn't suspend seccomp/,
    explain: () => ({ message: 'the kernel cannot hand CRIU the seccomp filters of the container processes', fix: "Use a kernel with CONFIG_CHECKPOINT_RESTORE and CONFIG_SECCOMP; check with 'criu check --feature seccomp_filters'." }),
  },
  // --- network lock and helpers ----------------------------------------------
  {
    ruleId: 'network-lock-unavailable',
    pattern: /execvp\("([^"]+)"[^)]*\) failed/,
    explain(m) {
      const tool = m[1]!.replace(/^.*\//, '');
      if (NETWORK_LOCK_TOOLS.test(tool)) {
        return {
          message: `${tool} is not installed; CRIU runs it to lock the container network during the dump`,
          fix: `Install iptables (it provides ${tool}), or use --network-lock nftables (CRIU 3.16+ built with libnftables), or --network-lock skip (CRIU 3.19+; the container's network stays open while it is dumped).`,
          criuOptions: ['--network-lock', 'nftables'],
        };
      }
      return { ruleId: 'criu-helper-missing', message: `${tool} is not installed, and CRIU needs it`, fix: `Install ${tool} on the host${tool === 'ip' ? ' (iproute2; CR_IP_TOOL names another binary)' : tool === 'tar' ? ' (CRIU archives tmpfs mounts with it)' : ''}.` };
    },
  },
  {
    ruleId: 'network-lock-unavailable',
    pattern: /Locking network failed: (\S+) returned (-?\d+)/,
    explain: (m) => ({
      message: `${m[1]} could not install CRIU's network lock (exit ${m[2]}): missing binary, or the kernel lacks xt_mark (CONFIG_NETFILTER_XT_MARK)`,
      fix: 'Install iptables and load xt_mark (modprobe xt_mark), or use --network-lock nftables (CRIU 3.16+) or --network-lock skip (CRIU 3.19+).',
      criuOptions: ['--network-lock', 'nftables'],
    }),
  },
  {
    ruleId: 'network-lock-unavailable',
    pattern: /Locking network failed using nftables|CRIU was built without libnftables support/,
    explain: () => ({ message: 'nftables network locking is not available in this CRIU or kernel', fix: 'Use --network-lock iptables (install iptables), or a CRIU built with libnftables.', criuOptions: ['--network-lock', 'iptables'] }),
  },
  {
    ruleId: 'iptables-legacy-missing',
    pattern: /Can't restore ip6?tables dump - no legacy version present/,
    explain: () => ({ message: 'the images hold iptables-legacy rules, and no iptables-legacy-restore is installed', fix: 'Install the iptables-legacy binaries (iptables-legacy-restore, ip6tables-legacy-restore) on the restore host.' }),
  },
  // --- LSM ------------------------------------------------------------------
  {
    ruleId: 'apparmor-unavailable',
    pattern: /apparmor LSM specified but apparmor not supported by kernel/,
    explain: () => ({
      message: 'the restore asks for an AppArmor profile (lxc-checkpoint passes lxc.apparmor.profile as --lsm-profile) on a kernel without AppArmor',
      fix: 'Remove lxc.apparmor.profile (and lxc.apparmor.allow_nesting) from the container config on this host; with plain criu use --lsm-profile none: or leave it out.',
      criuOptions: ['--lsm-profile', 'none:'],
    }),
  },
  {
    ruleId: 'selinux-unavailable',
    pattern: /selinux LSM specified but selinux not supported by kernel/,
    explain: () => ({ message: 'the restore asks for an SELinux context on a kernel without SELinux', fix: 'Remove lxc.selinux.context from the container config on this host; with plain criu use --lsm-profile none:.', criuOptions: ['--lsm-profile', 'none:'] }),
  },
  {
    ruleId: 'lsm-mismatch',
    pattern: /mismatched lsm types and lsm profile specified/,
    explain: () => ({ message: 'the images were dumped under another LSM than this host runs', fix: 'Restore on a host with the same LSM, or pass --lsm-profile for this host (none: to drop labels).' }),
  },
  {
    ruleId: 'apparmor-blocks-parasite',
    pattern: /Unable to connect a transport socket: Permission denied/,
    explain: () => ({
      message: "an AppArmor profile inside the container (often dhclient's) denies CRIU's parasite its unix socket",
      fix: "Unconfine or stop that process (dmesg shows apparmor=\"DENIED\" operation=\"connect\"), or use CRIU 3.16+ on a kernel with AppArmor stacking.",
    }),
  },
  // --- processes and namespaces ----------------------------------------------
  {
    ruleId: 'nested-namespace',
    pattern: /Can't dump nested (\w+) namespace for (\d+)/,
    explain: (m) => ({
      message: `process ${m[2]} has its own ${m[1]} namespace inside the container; CRIU dumps nested mount and network namespaces only`,
      fix: `Stop that process, or disable what creates the namespace (systemd units with ProtectHostname=, PrivateUsers=, nested containers).`,
    }),
  },
  {
    ruleId: 'dump-not-init',
    pattern: /Can't dump a pid namespace without the process init/,
    explain: () => ({ message: 'the dump started below the init of the pid namespace', fix: "Dump the container's init (lxc-info -p gives its pid), or use --external pid[...]." }),
  },
  {
    ruleId: 'pid-busy',
    pattern: /Can't fork for (\d+): File exists/,
    explain: (m) => ({ message: `PID ${m[1]} is taken in the restore's pid namespace`, fix: 'Restore into a new pid namespace (a container restore does), stop the process holding the PID, or use criu-ns.' }),
  },
  {
    ruleId: 'pid-busy',
    pattern: /Pid (\d+) do not match expected (\d+)|Thread pid mismatch/,
    explain: () => ({ message: 'CRIU could not give a task its PID (kernels before 5.5 lack clone3 set_tid and race on ns_last_pid)', fix: 'Use kernel 5.5+ with CRIU 3.14+, or restore into a new pid namespace.' }),
  },
  {
    ruleId: 'new-pidns-required',
    pattern: /can only be restored in a new pid namespace/,
    explain: () => ({
      message: 'the process tree needs its own pid namespace on restore (the message names --namespace, an option removed in CRIU 2.2)',
      fix: 'Restore through lxc-checkpoint -r, or run criu restore under criu-ns / unshare --pid --fork.',
    }),
  },
  {
    ruleId: 'zombie-process',
    pattern: /zombie \d+ \(comm .*\) found while seizing|Zombies with threads are not supported/,
    explain: () => ({ message: 'a zombie process in the container blocks the dump', fix: 'Have its parent reap it (or restart the parent) before the dump.' }),
  },
  {
    ruleId: 'criu-in-tree',
    pattern: /The criu itself is within dumped tree/,
    explain: () => ({ message: 'criu runs inside the process tree it dumps', fix: 'Run criu from outside the container (the host).' }),
  },
  {
    ruleId: 'dump-timeout',
    pattern: /Timeout reached\. Try to interrupt/,
    explain: () => ({ message: 'CRIU gave up freezing the processes in time', fix: 'Raise --timeout (default 10 s), or find the task stuck in uninterruptible sleep.', criuOptions: ['--timeout', '60'] }),
  },
  // --- files -------------------------------------------------------------------
  {
    ruleId: 'io-uring',
    pattern: /anon_inode:\[io_uring\]/,
    explain: () => ({ message: 'a process uses io_uring, which CRIU cannot checkpoint', fix: 'Stop the process using io_uring (or configure it without io_uring) before the dump; CRIU has no io_uring support (criu#2131).' }),
  },
  {
    ruleId: 'unsupported-file',
    pattern: /Can't dump file (\d+) of that type \[(\d+)\] \(([^)]*)\)/,
    explain: (m) => ({ message: `fd ${m[1]} is a file CRIU cannot dump (${m[3]})`, fix: 'Stop the process holding it (userfaultfd, perf_event and seccomp-notify fds are not supported).' }),
  },
  {
    ruleId: 'ghost-file-too-big',
    pattern: /Can't dump ghost file (\S+) of (\d+) size, increase limit/,
    explain(m) {
      const mib = Math.ceil(Number(m[2]) / (1 << 20));
      return {
        message: `${m[1]} is deleted but still open and larger (${m[2]} bytes) than --ghost-limit (1 MiB by default)`,
        fix: `Pass --ghost-limit ${mib}M on dump, or close or truncate the deleted file first.`,
        criuOptions: ['--ghost-limit', `${mib}M`],
      };
    },
  },
  {
    ruleId: 'link-remap',
    pattern: /Can't create link remap for (\S+)\. Use link-remap option/,
    explain: (m) => ({ message: `${m[1]} is open but unlinked while still linked elsewhere`, fix: 'Pass --link-remap on dump (lxc-checkpoint does).', criuOptions: ['--link-remap'] }),
  },
  {
    ruleId: 'file-locks',
    pattern: /Some file locks are hold by dumping tasks/,
    explain: () => ({ message: 'processes in the container hold file locks', fix: 'Pass --file-locks on dump and restore (lxc-checkpoint does).', criuOptions: ['--file-locks'] }),
  },
  {
    ruleId: 'file-locks',
    pattern: /Unresolved lock found pid (\d+) ino (\d+)/,
    explain: (m) => ({ message: `a POSIX lock on inode ${m[2]} is owned by process ${m[1]} outside the container`, fix: 'Stop the outside process holding the lock before the dump.' }),
  },
  {
    ruleId: 'external-file',
    pattern: /Can't lookup mount=(\d+) for fd=(\d+) path=(\S+)/,
    explain: (m) => ({
      message: `fd ${m[2]} (${m[3]}) was opened on a mount outside the container, e.g. a host pty`,
      fix: 'Close it in the container, or mark it external (--external file[MNT_ID:INODE] or tty[RDEV:DEV]) and pass it back with --inherit-fd on restore.',
    }),
  },
  {
    ruleId: 'rootfs-changed',
    pattern: /File (\S+) has bad (size|build-ID|mode)|Unaccessible path opened/,
    explain: (m) => ({
      message: m[1] ? `${m[1]} differs from dump time (${m[2]})` : 'an open file now resolves to another inode',
      fix: 'Restore on the same root filesystem content as the dump (copy the rootfs unchanged); CRIU 3.15+ --file-validation and 3.18+ --skip-file-rwx-check relax the checks.',
    }),
  },
  {
    ruleId: 'inotify-irmap',
    pattern: /Can't find suitable path for handle|Can't dump that handle|Failed to resolve [0-9a-f]+:[0-9a-f]+/,
    explain: () => ({ message: 'an inotify or fanotify watch points at a file CRIU cannot find by inode', fix: 'Pass --force-irmap (and --irmap-scan-path DIR for the watched tree), or stop the watching process.', criuOptions: ['--force-irmap'] }),
  },
  {
    ruleId: 'nr-open-mismatch',
    pattern: /Too big FD number to restore (\d+)/,
    explain: (m) => ({ message: `fd ${m[1]} is above this host's fs.nr_open`, fix: 'Raise fs.nr_open on the restore host to at least the source host value (sysctl fs.nr_open).' }),
  },
  {
    ruleId: 'uprobes',
    pattern: /has uprobes vma\. Consider using --allow-uprobes/,
    explain: () => ({ message: 'a process has uprobes attached', fix: 'Pass --allow-uprobes on dump and restore (CRIU 4.2+), or detach the uprobes.', criuOptions: ['--allow-uprobes'] }),
  },
  {
    ruleId: 'deprecated-images',
    pattern: /Deprecated functionality \((.*)\) rejected/,
    explain: (m) => ({ message: `the images use deprecated functionality (${m[1]})`, fix: 'Pass --deprecated (or set CRIU_DEPRECATED=1), or dump again with this CRIU.', criuOptions: ['--deprecated'] }),
  },
  // --- cgroups ----------------------------------------------------------------
  {
    ruleId: 'cgroup-restore',
    pattern: /Can't move (\S+) into (\S+)|Cgroup dir (\S+) doesn't exist|Abort restore of existing cgroups/,
    explain: (m, { root }) => ({
      message: /No space left on device/.test(root.message) ? "a restored task could not join its cgroup: the cpuset cgroup has empty cpuset.cpus/mems" : `CRIU could not recreate or join the container's cgroups (${m[0]})`,
      fix: 'Check the --manage-cgroups mode and --cgroup-root; with cpuset, give the target cgroup cpus and mems (copy them from the parent).',
    }),
  },
  {
    ruleId: 'freeze-cgroup',
    pattern: /Neither a cgroupv1 \(freezer\.state\) or cgroupv2 \(cgroup\.freeze\) control file found|Unable to freeze cgroup/,
    explain: () => ({ message: 'CRIU could not freeze the container through its freezer cgroup', fix: 'Check the --freeze-cgroup path (cgroup v1: /sys/fs/cgroup/freezer/..., v2: /sys/fs/cgroup/...) and retry; CRIU 3.14+ supports the v2 freezer.' }),
  },
  // --- privileges, options, scripts -------------------------------------------------
  {
    ruleId: 'criu-not-root',
    pattern: /Running as non-root requires '--unprivileged'|needs to have the CAP_SYS_ADMIN or the CAP_CHECKPOINT_RESTORE capability|Must be root to (?:checkpoint|restore)/,
    explain: () => ({ message: 'criu runs without root privileges', fix: 'Run it as root (lxc-checkpoint requires root anyway).' }),
  },
  {
    ruleId: 'criu-option',
    // getopt prints `criu: unrecognized option '--namespaces'`; other tools' `invalid option` lines (iptables-restore -w) must not match.
    pattern: /(?:^|\/)criu: (?:unrecognized option '([^']+)'|invalid option -- '(.)')|Option (--\S+) is only valid on restore|--ms is deprecated/,
    explain: (m) => {
      const opt = m[1] ?? (m[2] ? `-${m[2]}` : m[3]) ?? '--ms';
      return {
        message: `criu rejected the option ${opt}`,
        fix:
          opt === '-n' || opt.startsWith('--namespace')
            ? 'Drop -n/--namespaces: CRIU 2.2+ detects namespaces itself.'
            : m[3]
              ? `Pass ${m[3]} only on restore (e.g. through CRIU_CONFIG_FILE for the restore alone).`
              : "Check the option against 'criu --help' of this version (ctcr explain can analyze a whole command line).",
      };
    },
  },
  {
    ruleId: 'action-script-failed',
    pattern: /Pre dump script failed with|Aborting restore due to (?:pre|post)-restore script|Script (\S+) exited with|One of more action scripts failed/,
    explain: (m) => ({ message: `an action script failed (${m[0]})`, fix: 'Run the --action-script by hand with CRTOOLS_SCRIPT_ACTION set to see why; it must be executable and start with a #! line.' }),
  },
  // --- lxc-checkpoint's own checks ----------------------------------------------
  {
    ruleId: 'checkpoint-dir-used',
    pattern: /please use a fresh directory for the dump directory/,
    explain: () => ({ message: 'the checkpoint directory already holds a dump (inventory.img)', fix: 'Use an empty directory for -D, or remove the old images.' }),
  },
  {
    ruleId: 'console-mismatch',
    pattern: /lxc\.console\.path configured on source host but not target/,
    explain: () => ({ message: 'the dump was taken with a console (tty.info in the images) and the target container has lxc.console.path = none', fix: 'Use the same lxc.console.path on both hosts (lxc.console.path = none on both is simplest).' }),
  },
  {
    ruleId: 'network-type-unsupported',
    pattern: /Found un-dumpable network: (\S+) \((\S+)\)/,
    explain: (m) => ({ message: `lxc-checkpoint cannot checkpoint a ${m[1]} network (${m[2]})`, fix: 'Use veth, macvlan, phys, empty or none networks only.' }),
  },
  {
    ruleId: 'criu-too-old',
    pattern: /must have criu 2\.0 or greater to checkpoint\/restore/,
    explain: () => ({ message: 'lxc-checkpoint found a CRIU older than 2.0', fix: UPGRADE }),
  },
  {
    ruleId: 'criu-missing',
    pattern: /execing criu failed, is it installed\?/,
    explain: () => ({ message: 'lxc-checkpoint cannot run criu', fix: 'Install criu and make sure it is on PATH for root.' }),
  },
];

/** Every rule id a log diagnosis can carry (plus `criu-error` for unknown causes). */
export const LOG_RULE_IDS: readonly string[] = [...new Set([...LOG_SIGNATURES.map((s) => s.ruleId), 'console-enabled', 'criu-helper-missing', 'criu-error'])];

export function matchSignature(message: string): { signature: LogSignature; match: RegExpExecArray } | undefined {
  for (const signature of LOG_SIGNATURES) {
    const match = signature.pattern.exec(message);
    if (match) return { signature, match };
  }
  return undefined;
}
