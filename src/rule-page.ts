/**
 * Where a rule's page (docs/rules/<id>.md) is, for `ctcr rules ID` and
 * SARIF's helpUri. A stable URL needs the repository's address: it is taken
 * from package.json's `repository` when one is set (the page at the tag of
 * this version); without it there is only the path inside the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from './version.js';

export const RULE_PAGES_DIR = 'docs/rules';

/** The page's path inside the repository. */
export function rulePagePath(id: string): string {
  return `${RULE_PAGES_DIR}/${id}.md`;
}

/** `https://github.com/o/r` from package.json's `repository` ("o/r", "github:o/r", a git URL or `{ url }`); undefined when unset or not a web address. */
export function repositoryWebUrl(repository: unknown): string | undefined {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const s = raw.trim();
  const short = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(s);
  if (short) return `https://github.com/${short[1]}/${short[2]!.replace(/\.git$/, '')}`;
  const url = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?([^/:]+)[/:](.+?)(?:\.git)?\/?$/.exec(s);
  if (url) return `https://${url[1]}/${url[2]}`;
  const scp = /^[^@]+@([^:]+):(.+?)(?:\.git)?$/.exec(s);
  return scp ? `https://${scp[1]}/${scp[2]}` : undefined;
}

/** The page's absolute URL (GitHub's blob form, at tag v<version>), or undefined without a repository address. */
export function rulePageUrl(id: string, repositoryUrl: string | undefined, version: string): string | undefined {
  return repositoryUrl ? `${repositoryUrl}/blob/v${version}/${rulePagePath(id)}` : undefined;
}

let packageRepository: string | undefined | null = null;
/** This package's repository web address, read once. */
export function ownRepositoryUrl(): string | undefined {
  if (packageRepository === null) {
    const pkg = JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { repository?: unknown };
    packageRepository = repositoryWebUrl(pkg.repository);
  }
  return packageRepository;
}

/** The page this package ships for `id` (docs/rules is in its files), by absolute path; undefined for a rule without one (a --rules-dir rule). */
export function installedRulePage(id: string): string | undefined {
  const file = fileURLToPath(new URL(rulePagePath(id), PACKAGE_ROOT));
  return existsSync(file) ? file : undefined;
}

/**
 * Where a rule's page is for a reader of this run's output: the repository's page at this version when package.json names
 * the repository, else the installed page as a file: URI (an absolute URI, as SARIF's helpUri must be); undefined without a page.
 */
export function rulePageLink(id: string, repositoryUrl: string | undefined, version: string): string | undefined {
  const installed = installedRulePage(id);
  if (!installed) return undefined;
  return rulePageUrl(id, repositoryUrl, version) ?? pathToFileURL(installed).href;
}
