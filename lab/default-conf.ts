/**
 * The lab's default container config: the host's LXC default config (as
 * packaged) with one change only, the network link pointing at the lab bridge.
 * Passed to `lxc-create -f`, so containers get exactly the stock config that
 * users get, minus the uplink.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { run } from './exec.js';

export async function hostDefaultConfigPath(): Promise<string> {
  const r = await run('lxc-config', ['lxc.default_config']);
  return (r.ok && r.stdout.trim()) || '/etc/lxc/default.conf';
}

export function labDefaultConfig(hostText: string, bridge: string): string {
  let hasNet = false;
  const lines = hostText.split('\n').map((line) => {
    if (/^\s*lxc\.net\.\d+\.type\s*=/.test(line)) hasNet = true;
    const m = /^(\s*lxc\.net\.\d+\.link\s*=\s*)\S.*$/.exec(line);
    return m ? `${m[1]}${bridge}` : line;
  });
  let text = lines.join('\n');
  if (!hasNet) text += `${text.endsWith('\n') || !text ? '' : '\n'}lxc.net.0.type = veth\nlxc.net.0.link = ${bridge}\nlxc.net.0.flags = up\n`;
  return text;
}

export async function writeLabDefaultConfig(path: string, bridge: string): Promise<{ source: string; path: string }> {
  const source = await hostDefaultConfigPath();
  let hostText = '';
  try {
    hostText = readFileSync(source, 'utf8');
  } catch {
    /* no host default: veth on the lab bridge only */
  }
  mkdirSync(dirname(path), { recursive: true });
  const text = labDefaultConfig(hostText, bridge);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    /* first time */
  }
  if (current !== text) {
    // atomic: another process may be running lxc-create -f on it right now
    writeFileSync(`${path}.${process.pid}.tmp`, text);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  return { source, path };
}
