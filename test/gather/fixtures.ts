/** Reads the recorded /proc and tool outputs of fixtures/live/ (see record.sh there). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** fixtures/live/, from dist/test/gather/ where the compiled tests run. */
export const LIVE_FIXTURES = fileURLToPath(new URL('../../../fixtures/live/', import.meta.url));

/** A fixture's text without its leading `# source:` line. */
export function liveFixture(name: string): string {
  const text = readFileSync(LIVE_FIXTURES + name, 'utf8');
  if (!text.startsWith('# source:')) throw new Error(`fixtures/live/${name} has no "# source:" first line`);
  return text.slice(text.indexOf('\n') + 1);
}
