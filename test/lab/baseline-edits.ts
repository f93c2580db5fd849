/**
 * The config edits that make LXC's stock busybox container dump and restore
 * in the lab (see test/lab/ground-truth.test.ts, which proves each is needed).
 * Plain text edits on purpose: `ctcr fix` is measured against them.
 */
import { lstatSync, realpathSync } from 'node:fs';

const setKey = (text: string, key: string, value: string): string => {
  const re = new RegExp(`^\\s*${key.replace(/\./g, '\\.')}\\s*=.*$`, 'm');
  return re.test(text) ? text.replace(re, `${key} = ${value}`) : `${text.replace(/\n?$/, '\n')}${key} = ${value}\n`;
};

/** No ttys, no pty instance, no console: CRIU cannot find the master side of LXC's ttys. */
export function editTtys(text: string): string {
  return setKey(setKey(setKey(text, 'lxc.tty.max', '0'), 'lxc.pty.max', '0'), 'lxc.console.path', 'none');
}

/** LXC passes --lsm-profile whenever lxc.apparmor.profile is set; CRIU refuses it on a kernel without AppArmor. */
export function editAppArmor(text: string): string {
  return text.replace(/^\s*lxc\.apparmor\.(profile|allow_nesting)\s*=.*\n?/gm, '');
}

/** Bind-mount sources that are symlinks (/lib -> usr/lib on merged /usr) point at the real folders. */
export function editBindSources(text: string): string {
  return text.replace(/^(\s*lxc\.mount\.entry\s*=\s*)(\/\S*)(\s.*\bbind\b.*)$/gm, (line, head: string, src: string, rest: string) => {
    try {
      return lstatSync(src).isSymbolicLink() ? `${head}${realpathSync(src)}${rest}` : line;
    } catch {
      return line; // optional entries whose source is missing stay as they are
    }
  });
}

/** All three: the baseline the matrix adds one change to. */
export const editBaseline = (text: string): string => editBindSources(editAppArmor(editTtys(text)));
