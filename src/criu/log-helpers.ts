/**
 * What several rules' CRIU log signatures share: how CRIU prints mountpoints
 * and mounts at -v4, which devpts mounts a tty message can be about, the
 * network-lock helpers. The signatures themselves live in their rules
 * (rules/*.ts `logSignatures`); src/criu/signatures.ts orders them.
 */
import type { CriuLogLine, ParsedCriuLog } from './log-lines.js';
import { CRIU_FSTYPES, fsSupport, fsWorkarounds, mountCookie, NEWEST_KNOWN_CRIU, usualFstypeAt } from './filesystems.js';

/** Network-lock helpers CRIU runs (net.c): missing ones break `--network-lock iptables|nftables`. */
export const NETWORK_LOCK_TOOLS = /^(?:ip6?tables(?:-legacy|-nft)?(?:-restore|-save)?|nft)$/;

/** `./sys/fs/pstore` (how CRIU prints mountpoints relative to the root) → `/sys/fs/pstore`. */
export function mountpointOf(printed: string): string {
  const p = printed.replace(/^\.(?=\/|$)/, '');
  return p === '' ? '/' : p;
}

/** At -v4 CRIU lists every mount: `type pstore source pstore mnt_id 35 s_dev 0x18 / @ ./sys/fs/pstore flags ...`. */
export interface LoggedMount {
  fstype: string;
  source: string;
  mntId: number;
  root: string;
  mountpoint: string;
}

export function loggedMounts(log: ParsedCriuLog): LoggedMount[] {
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
export function ttyMountsFor(log: ParsedCriuLog, root: string): LoggedMount[] {
  return loggedMounts(log).filter((m) => m.fstype === 'devpts' && m.root === root && m.mountpoint !== '/dev/pts');
}

export const UPGRADE = `Use CRIU ${NEWEST_KNOWN_CRIU} or newer.`;

/** For `exited, status=N`: the helper's own output just above (a line that is not CRIU's). */
export function helperOutputBefore(log: ParsedCriuLog, line: CriuLogLine): CriuLogLine | undefined {
  for (let i = line.line - 2; i >= 0 && i >= line.line - 6; i--) {
    const l = log.lines[i]!;
    if (l.origin === 'other' && l.message !== '') return l;
    if (l.origin === 'criu' && l.level !== 'info') return undefined;
  }
  return undefined;
}

/** How CRIU logs a network tool it runs (criu/net.c run_ip_tool, run_iptables_tool; criu/netfilter.c): `Running ip route restore`. */
// CRIU 4.x prints them under net.c's prefix: `net: \tRunning ip route restore`.
const NETWORK_TOOL_RUN = /^(?:net:\s+)?Running (?:(ip) (.+?)|(\S+) for (\S+)|(iptables|nftables) \[(.*)\])\s*$/;

export interface NetworkToolRun {
  /** `ip route restore`, `iptables-restore`, `iptables -w -t filter -I INPUT ...` */
  command: string;
  tool: 'ip' | 'iptables' | 'nft';
  /** What the tool printed between CRIU's `Running ...` line and the failure (its stderr). */
  output: string[];
}

/** The network tool CRIU was running when `failure` was logged: the nearest `Running ...` line above it (within 30 lines), and the tool's output after it. */
export function networkToolBefore(log: ParsedCriuLog, failure: CriuLogLine): NetworkToolRun | undefined {
  const output: string[] = [];
  for (let i = failure.line - 2; i >= 0 && i >= failure.line - 31; i--) {
    const l = log.lines[i]!;
    const m = NETWORK_TOOL_RUN.exec(l.message);
    if (m) {
      const command = m[1] ? `ip ${m[2]!.trim()}` : m[3] ? m[4]! : `${m[5]!} ${m[6]!}`.trim();
      const name = m[1] ? 'ip' : m[5] === 'nftables' || /\bnft\b/.test(command) ? 'nft' : 'iptables';
      return { command, tool: name, output: output.reverse() };
    }
    if (l.origin === 'other' && l.message !== '' && !l.message.startsWith('#')) output.push(l.message);
  }
  return undefined;
}
