#!/usr/bin/env node
/**
 * Entry point. `--version` answers without loading anything else, so that
 * the start-up cost of a CI gate stays close to bare Node's.
 */
import { readFileSync } from 'node:fs';

// A reader that stops early (`ctcr rules | head -1`) closes the pipe: that ends the run quietly, as for any Unix filter.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(pkg.version + '\n');
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(args);
}
