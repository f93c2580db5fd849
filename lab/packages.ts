/** Installs what a real run needs from the distribution's own packages (system apt state). */
import { readdirSync } from 'node:fs';
import { failureText, run } from './exec.js';

type Log = (msg: string) => void;

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' };

export async function installedVersion(pkg: string): Promise<string | undefined> {
  const r = await run('dpkg-query', ['-W', '-f', '${Status}\t${Version}', pkg]);
  const [status, version] = r.stdout.split('\t');
  return r.ok && status?.endsWith(' installed') ? version : undefined;
}

function listsEmpty(): boolean {
  try {
    return !readdirSync('/var/lib/apt/lists').some((f) => f.includes('Packages'));
  } catch {
    return true;
  }
}

async function aptGet(args: string[]) {
  return run('apt-get', ['-y', '-q', '-o', 'DPkg::Lock::Timeout=300', ...args], { env: APT_ENV, timeoutMs: 15 * 60_000 });
}

/** Installs the missing ones (no Recommends: the lab needs none) and returns what it installed. */
export async function ensurePackages(pkgs: string[], log: Log): Promise<string[]> {
  const missing: string[] = [];
  for (const p of pkgs) if (!(await installedVersion(p))) missing.push(p);
  if (!missing.length) return [];
  // apt-get update only when needed: no lists at all, or the install cannot find a package
  if (listsEmpty()) {
    log('apt-get update');
    await aptGet(['update']);
  }
  const install = ['--no-install-recommends', '-o', 'Dpkg::Options::=--force-confold', 'install', ...missing];
  log(`apt-get install ${missing.join(' ')}`);
  let r = await aptGet(install);
  if (!r.ok) {
    log('install failed; apt-get update and retry once');
    await aptGet(['update']);
    r = await aptGet(install);
    if (!r.ok) throw new Error(failureText(r));
  }
  return missing;
}
