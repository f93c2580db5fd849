/** Reads ctcr's own fixtures (the repo's fixtures/ folder) from the compiled tests in dist/test/criu/. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export function readFixture(relative: string): string {
  return readFileSync(path.join(FIXTURES_DIR, relative), 'utf8');
}

/** Every file under `dir` (recursively), relative to it, sorted. */
export function listFixtures(dir: string): string[] {
  return (readdirSync(path.join(FIXTURES_DIR, dir), { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

/** A criu-output fixture: its `# ...` header lines removed, `# exit: N` read. */
export function readOutputFixture(name: string): { text: string; exitCode: number | undefined } {
  const lines = readFixture(`criu-output/${name}`).split('\n');
  let exitCode: number | undefined;
  while (lines.length && lines[0]!.startsWith('# ')) {
    const m = /^# exit: (\d+)$/.exec(lines.shift()!);
    if (m) exitCode = Number(m[1]);
  }
  return { text: lines.join('\n'), exitCode };
}
