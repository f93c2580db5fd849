/**
 * A second "host" for migration tests: an OpenSSH server from the
 * distribution's package, listening on 127.0.0.1 only, on a free port, with a
 * host key and a client key the lab makes under its state folder, and a
 * second lxcpath as the target's. The kernel (and so CRIU, cgroups, bridges)
 * is the source's: what a second machine would differ in is tested with
 * recorded facts (fixtures/migrate/). Root's ~/.ssh is never read or written:
 * the ssh command names its key, its known_hosts and `-F /dev/null`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ensurePackages } from './packages.js';
import { run, runOk } from './exec.js';
import { LAB_ROOT } from './paths.js';
import { readState, writeState, newState } from './state.js';
import { withLabLock } from './lock.js';

export const SSH_DIR = `${LAB_ROOT}/ssh`;
/** The target's lxcpath: beside the lab's, removed with it by `down`. */
export const TARGET_LXCPATH = `${LAB_ROOT}/lxc-target`;
export const SSH_PACKAGES = ['openssh-server', 'openssh-client', 'rsync'];

export interface SshHost {
  /** What ctcr's --target takes. */
  host: string;
  port: number;
  /** The ssh program and options, as one --ssh-command string (paths have no spaces). */
  sshCommand: string;
  targetLxcpath: string;
  pid: number;
}

type Log = (msg: string) => void;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SSH_DIR);
  } catch {
    return false;
  }
}

function sshCommandFor(port: number): string {
  return ['ssh', '-F', '/dev/null', '-p', String(port), '-i', join(SSH_DIR, 'client_key'), '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${join(SSH_DIR, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=5', '-l', 'root'].join(' ');
}

/** Brings the ssh target up (idempotent): packages, keys, sshd on loopback, the target lxcpath. */
export async function ensureSshHost(opts: { log?: Log } = {}): Promise<SshHost> {
  const log = opts.log ?? (() => undefined);
  return withLabLock(async () => {
    const s = readState() ?? newState();
    if (s.sshHost && alive(s.sshHost.pid)) {
      return { host: '127.0.0.1', port: s.sshHost.port, sshCommand: sshCommandFor(s.sshHost.port), targetLxcpath: TARGET_LXCPATH, pid: s.sshHost.pid };
    }
    const installed = await ensurePackages(SSH_PACKAGES, log);
    s.aptInstalled = [...new Set([...s.aptInstalled, ...installed])];
    writeState(s);
    mkdirSync(SSH_DIR, { recursive: true, mode: 0o700 });
    mkdirSync(TARGET_LXCPATH, { recursive: true });
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation folder
    for (const key of ['host_key', 'client_key']) {
      if (!existsSync(join(SSH_DIR, key))) await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `ctcr-lab ${key}`, '-f', join(SSH_DIR, key)]);
    }
    const port = await freePort();
    writeFileSync(join(SSH_DIR, 'authorized_keys'), readFileSync(join(SSH_DIR, 'client_key.pub')), { mode: 0o600 });
    writeFileSync(join(SSH_DIR, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(SSH_DIR, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    writeFileSync(join(SSH_DIR, 'sshd_config'), [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(SSH_DIR, 'host_key')}`, `AuthorizedKeysFile ${join(SSH_DIR, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
      `PidFile ${join(SSH_DIR, 'sshd.pid')}`, 'StrictModes no', 'PrintMotd no', 'MaxStartups 50', '',
    ].join('\n'));
    const sshd = ['/usr/sbin/sshd', '-f', join(SSH_DIR, 'sshd_config'), '-E', join(SSH_DIR, 'sshd.log')];
    log(`starting sshd on 127.0.0.1:${port}`);
    await runOk(sshd[0]!, sshd.slice(1));
    let pid = 0;
    for (let i = 0; i < 50 && !pid; i++) {
      pid = Number(readFileSync(join(SSH_DIR, 'sshd.pid'), { encoding: 'utf8', flag: 'a+' }).trim()) || 0;
      if (!pid) await new Promise((r) => setTimeout(r, 100));
    }
    if (!pid) throw new Error(`sshd did not start: ${readFileSync(join(SSH_DIR, 'sshd.log'), 'utf8').trim().split('\n').slice(-2).join(' | ')}`);
    s.sshHost = { port, pid };
    writeState(s);
    const probe = await run('sh', ['-c', `${sshCommandFor(port)} -o BatchMode=yes -- 127.0.0.1 true`], { timeoutMs: 20_000 });
    if (!probe.ok) throw new Error(`ssh to the lab's sshd fails: ${probe.stderr.trim()}`);
    return { host: '127.0.0.1', port, sshCommand: sshCommandFor(port), targetLxcpath: TARGET_LXCPATH, pid };
  });
}

/** Stops the lab's sshd (down). */
export function stopSshHost(pid: number | undefined): boolean {
  if (!alive(pid)) return false;
  process.kill(pid!, 'SIGTERM');
  return true;
}
