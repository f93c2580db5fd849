/**
 * A private apt state per suite: its own sources, lists and cache under
 * LAB_APT_DIR. The machine's sources, lists, preferences and dpkg database are
 * never changed; we only download .debs and unpack them into a private prefix.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateSourcesFile } from './apt-sources.js';
import { run, runOk } from './exec.js';
import { LAB_APT_DIR } from './paths.js';

export interface PrivateApt {
  suite: string;
  dir: string;
  debs: string;
  opts: string[];
}

export async function dpkgArch(): Promise<string> {
  return (await runOk('dpkg', ['--print-architecture'])).stdout.trim();
}

export async function privateApt(suite: string): Promise<PrivateApt> {
  const dir = join(LAB_APT_DIR, suite);
  const d = (p: string) => {
    mkdirSync(join(dir, p), { recursive: true });
    return join(dir, p);
  };
  const src = privateSourcesFile(suite);
  writeFileSync(join(d('sources.d'), src.name), src.text);
  d('lists/partial');
  d('cache/archives/partial');
  const arch = await dpkgArch();
  const opts = [
    '-q',
    '-o', 'Dir::Etc::SourceList=/dev/null',
    '-o', `Dir::Etc::SourceParts=${join(dir, 'sources.d')}`,
    '-o', 'Dir::Etc::Preferences=/dev/null',
    '-o', `Dir::Etc::PreferencesParts=${d('preferences.d')}`,
    '-o', `Dir::State::Lists=${join(dir, 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', `Dir::Cache::Archives=${join(dir, 'cache/archives')}`,
    '-o', `APT::Architectures=${arch}`,
    '-o', 'APT::Default-Release=',
    '-o', 'Acquire::Languages=none',
    // a binary cache in the private folder (a host's apt.conf may switch it off) and plain lists: faster repeated queries
    '-o', 'Dir::Cache::pkgcache=pkgcache.bin',
    '-o', 'Dir::Cache::srcpkgcache=',
    '-o', 'Acquire::GzipIndexes=false',
    // the private folders are root's; apt's _apt sandbox user could not write them
    '-o', 'APT::Sandbox::User=root',
  ];
  return { suite, dir, debs: d('debs'), opts };
}

export async function aptUpdate(a: PrivateApt): Promise<void> {
  await runOk('apt-get', [...a.opts, 'update'], { timeoutMs: 5 * 60_000 });
}

/** Version of `pkg` in the suite, or undefined when the suite has none. */
export async function candidateVersion(a: PrivateApt, pkg: string): Promise<string | undefined> {
  const r = await run('apt-cache', [...a.opts, 'policy', pkg]);
  const v = /Candidate:\s*(\S+)/.exec(r.stdout)?.[1];
  return v && v !== '(none)' ? v : undefined;
}

/**
 * The run-time library closure of `roots` within the suite: Depends and
 * Pre-Depends, followed only into library packages (`lib*`, Debian's naming
 * for shared libraries), first alternative only. So a criu package that also
 * ships Python tools does not drag in python3 or perl: the binary needs only
 * its shared libraries and the loader.
 */
export async function dependencyClosure(a: PrivateApt, roots: string[]): Promise<string[]> {
  const seen = new Set(roots);
  let frontier = [...roots];
  while (frontier.length) {
    const r = await runOk('apt-cache', [...a.opts, 'depends', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...frontier]);
    const next: string[] = [];
    let altOpen = false; // the previous line was `|Depends:`: this one is an alternative to it
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*(\|?)(?:Pre)?Depends:\s*(\S+)/.exec(line);
      if (!m) {
        altOpen = false;
        continue;
      }
      const skip = altOpen;
      altOpen = m[1] === '|';
      const name = m[2]!.replace(/:any$/, '');
      if (skip || name.startsWith('<') || !name.startsWith('lib') || seen.has(name)) continue;
      seen.add(name);
      next.push(name);
    }
    frontier = next;
  }
  return [...seen].sort();
}

/** Downloads the .debs into a clean folder and returns their paths. */
export async function download(a: PrivateApt, pkgs: string[]): Promise<string[]> {
  rmSync(a.debs, { recursive: true, force: true });
  mkdirSync(a.debs, { recursive: true });
  await runOk('apt-get', [...a.opts, 'download', ...pkgs], { cwd: a.debs, timeoutMs: 10 * 60_000 });
  return readdirSync(a.debs).filter((f) => f.endsWith('.deb')).map((f) => join(a.debs, f));
}
