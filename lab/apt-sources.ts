/**
 * Reads the machine's own apt sources (one-line `.list` and deb822 `.sources`)
 * to find the archive that serves the system's suite. The private CRIU sources
 * are derived from that entry at run time, so no archive host name is ever
 * written into the project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSync } from './exec.js';

export interface AptSourceEntry {
  file: string;
  format: 'one-line' | 'deb822';
  uris: string[];
  suites: string[];
  components: string[];
  /** one-line: the text inside `[...]`; deb822: every other field as written (continuations kept). */
  options: string;
  deb822Fields?: Array<{ key: string; raw: string }>;
}

function sourceFiles(): string[] {
  let list = '/etc/apt/sources.list';
  let parts = '/etc/apt/sources.list.d/';
  const r = runSync('apt-config', ['shell', 'SL', 'Dir::Etc::sourcelist/f', 'SP', 'Dir::Etc::sourceparts/d']);
  if (r.ok) {
    list = /SL='([^']*)'/.exec(r.stdout)?.[1] ?? list;
    parts = /SP='([^']*)'/.exec(r.stdout)?.[1] ?? parts;
  }
  const files = existsSync(list) ? [list] : [];
  if (existsSync(parts)) {
    for (const f of readdirSync(parts).sort()) {
      if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join(parts, f));
    }
  }
  return files;
}

function parseOneLine(file: string, text: string): AptSourceEntry[] {
  const out: AptSourceEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({
      file,
      format: 'one-line',
      options: m[1]?.trim() ?? '',
      uris: [m[2]!],
      suites: [m[3]!],
      components: m[4]!.split(/\s+/).filter(Boolean),
    });
  }
  return out;
}

function parseDeb822(file: string, text: string): AptSourceEntry[] {
  const out: AptSourceEntry[] = [];
  const paragraphs = text.split(/\n\s*\n/);
  for (const p of paragraphs) {
    const fields: Array<{ key: string; raw: string }> = [];
    for (const line of p.split('\n')) {
      if (line.startsWith('#')) continue;
      if (/^[ \t]/.test(line) && fields.length) {
        fields[fields.length - 1]!.raw += '\n' + line; // continuation (inline keys)
        continue;
      }
      const m = /^([A-Za-z0-9-]+):(.*)$/.exec(line);
      if (m) fields.push({ key: m[1]!, raw: m[2]! });
    }
    const get = (k: string) => fields.find((f) => f.key.toLowerCase() === k.toLowerCase())?.raw.trim() ?? '';
    if (!get('Types').split(/\s+/).includes('deb')) continue;
    if (get('Enabled').toLowerCase() === 'no') continue;
    out.push({
      file,
      format: 'deb822',
      uris: get('URIs').split(/\s+/).filter(Boolean),
      suites: get('Suites').split(/\s+/).filter(Boolean),
      components: get('Components').split(/\s+/).filter(Boolean),
      options: '',
      deb822Fields: fields.filter((f) => !/^(Types|URIs|Suites|Components|Enabled)$/i.test(f.key)),
    });
  }
  return out;
}

export function readAptSources(): AptSourceEntry[] {
  const out: AptSourceEntry[] = [];
  for (const f of sourceFiles()) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    out.push(...(f.endsWith('.sources') ? parseDeb822(f, text) : parseOneLine(f, text)));
  }
  return out;
}

/** The system's release codename (`bookworm`), from /etc/os-release. */
export function systemCodename(): string {
  const text = readFileSync('/etc/os-release', 'utf8');
  const m = /^VERSION_CODENAME="?([^"\n]+)"?$/m.exec(text);
  if (!m) throw new Error('/etc/os-release has no VERSION_CODENAME');
  return m[1]!;
}

/** The entry that serves exactly the system's suite (not `-security`/`-updates`), from its main archive. */
export function systemArchive(codename = systemCodename()): { entry: AptSourceEntry; uri: string } {
  const entries = readAptSources().filter((e) => e.suites.includes(codename) && e.uris.length > 0);
  const entry = entries.find((e) => e.components.includes('main')) ?? entries[0];
  if (!entry) throw new Error(`no apt source serves suite "${codename}": cannot derive the archive for CRIU candidates`);
  return { entry, uri: entry.uris[0]! };
}

/** A private sources file for `suite` on the same archive, keeping the entry's trust options (signed-by etc.). */
export function privateSourcesFile(suite: string, codename = systemCodename()): { name: string; text: string; uri: string } {
  const { entry, uri } = systemArchive(codename);
  if (entry.format === 'one-line') {
    const opts = entry.options ? `[${entry.options}] ` : '';
    return { name: 'ctcr-lab.list', uri, text: `deb ${opts}${uri} ${suite} main\n` };
  }
  const extra = (entry.deb822Fields ?? []).map((f) => `${f.key}:${f.raw}`).join('\n');
  const text = `Types: deb\nURIs: ${uri}\nSuites: ${suite}\nComponents: main\n${extra}\n`;
  return { name: 'ctcr-lab.sources', uri, text };
}
