/** Where the fixtures are, for the parser tests (compiled to dist/test/parsers/, three levels below the repo). */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fg from 'fast-glob';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = path.join(REPO, 'fixtures');
export const CONFIGS = path.join(FIXTURES, 'configs');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/**
 * Every LXC config under fixtures/: all of fixtures/configs/ (included
 * files and ignored neighbours too) and each container's `config` and
 * `*.conf`. New fixtures are covered without editing a list.
 */
export function allFixtureConfigs(): string[] {
  return fg.sync(['configs/**/*', 'containers/*/config', 'containers/**/*.conf'], { cwd: FIXTURES, absolute: true, onlyFiles: true }).sort();
}
