/**
 * The lab as the benchmark uses it: brought up once per run (when root), and
 * the bench's own containers, destroyed when the run ends. Containers of
 * others (tests, `npm run lab -- up`) are never touched.
 */
import { lstatSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import {
  createContainer, destroyContainer, ensureLab, labCanRun, lxcTool, startContainer,
  type LabContainer, type LabInfo,
} from '../../lab/index.js';
import { Skip } from './types.js';

export interface BenchLab {
  info: LabInfo;
  /** A running container with LXC's stock busybox config, as an operator has it before running ctcr. */
  stockContainer(): Promise<LabContainer>;
  /** A running busybox container whose config was changed so that CRIU can dump and restore it (see checkpointableConfig). */
  checkpointableContainer(): Promise<LabContainer>;
  /** A running stock busybox container with `n` extra `sleep` processes started by lxc-attach, each holding a few descriptors. */
  busyContainer(n: number): Promise<LabContainer>;
}

/**
 * The shell lxc-attach runs to start `n` sleeps in their own sessions, each with
 * a file, a deleted file and a device open besides its stdio (/dev/null).
 */
export function busyScript(n: number): string {
  return [
    'mkdir -p /tmp/busy',
    `i=0; while [ $i -lt ${n} ]; do`,
    '  setsid sh -c "exec 3</etc/passwd 4>/tmp/busy/f$i 5</dev/zero; rm /tmp/busy/f$i; exec sleep 100000" </dev/null >/dev/null 2>&1 &',
    '  i=$((i+1))',
    'done',
  ].join('\n');
}

const setKey = (text: string, key: string, value: string): string => {
  const re = new RegExp(`^[ \\t]*${key.replace(/\./g, '\\.')}[ \\t]*=.*$`, 'm');
  return re.test(text) ? text.replace(re, `${key} = ${value}`) : `${text.replace(/\n?$/, '\n')}${key} = ${value}\n`;
};

/**
 * The stock busybox config changed the way the field notes found it must be
 * for a raw lxc-checkpoint to dump and restore it on this machine kind: no
 * ttys, no pty instance, no console; no AppArmor keys (LXC passes an LSM
 * profile CRIU rejects on a kernel without AppArmor); bind mounts from a
 * symlink (/lib -> usr/lib) made to name the real folder. Both the raw
 * lxc-checkpoint and ctcr are timed on this same config, so neither pays
 * for the other's fixes. `realpath` is injected for tests.
 */
export function checkpointableConfig(text: string, realpath: (p: string) => string | undefined = hostSymlinkTarget): string {
  let out = setKey(setKey(setKey(text, 'lxc.tty.max', '0'), 'lxc.pty.max', '0'), 'lxc.console.path', 'none');
  out = out.replace(/^[ \t]*lxc\.apparmor\.(profile|allow_nesting)[ \t]*=.*\n?/gm, '');
  out = out.replace(/^([ \t]*lxc\.mount\.entry[ \t]*=[ \t]*)(\/\S*)([ \t].*\bbind\b.*)$/gm, (line, head: string, src: string, rest: string) => {
    const real = realpath(src);
    return real && real !== src ? `${head}${real}${rest}` : line;
  });
  return out;
}

/** The real path of a host path that is a symlink; undefined for anything else (or a missing path). */
function hostSymlinkTarget(p: string): string | undefined {
  try {
    return lstatSync(p).isSymbolicLink() ? realpathSync(p) : undefined;
  } catch {
    return undefined;
  }
}

let opened: Promise<BenchLab> | undefined;

/** Brings the lab up (first call only) and hands out bench containers; `onCleanup` gets their removal. */
export function openLab(log: (m: string) => void, onCleanup: (fn: () => Promise<void>) => void): Promise<BenchLab> {
  opened ??= (async () => {
    const can = labCanRun();
    if (!can.ok) throw new Skip(`the lab cannot run here: ${can.reason}`);
    log('bringing the lab up (installs LXC and a working CRIU on a fresh machine: minutes the first time)');
    const info = await ensureLab({ log: (m) => log(`[lab] ${m}`) });
    const make = async (edit?: (text: string) => string): Promise<LabContainer> => {
      const c = await createContainer({ start: edit === undefined });
      onCleanup(() => destroyContainer(c));
      if (edit) {
        writeFileSync(c.configPath, edit(readFileSync(c.configPath, 'utf8')));
        await startContainer(c);
      }
      log(`container ${c.name} running (init PID ${c.initPid})`);
      return c;
    };
    let stock: Promise<LabContainer> | undefined;
    let ready: Promise<LabContainer> | undefined;
    const busy = new Map<number, Promise<LabContainer>>();
    return {
      info,
      stockContainer: () => (stock ??= make()),
      checkpointableContainer: () => (ready ??= make((t) => checkpointableConfig(t))),
      busyContainer: (n) => {
        if (!busy.has(n)) {
          busy.set(n, make().then(async (c) => {
            const r = await lxcTool(c, 'lxc-attach', ['--', 'sh', '-c', busyScript(n)], 120_000);
            if (!r.ok) throw new Error(`lxc-attach could not start ${n} sleeps in ${c.name}: ${r.stderr.trim() || `exit ${r.code}`}`);
            log(`container ${c.name}: ${n} sleeps started with lxc-attach`);
            return c;
          }));
        }
        return busy.get(n)!;
      },
    };
  })();
  return opened;
}
