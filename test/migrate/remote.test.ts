/** The ssh argv: no local shell, each remote word quoted so that the remote shell reads it back as one word. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { remoteHost, shellQuote, sshArgv, parseFacts } from '../../src/migrate/remote.js';
import { rsyncBytesSent } from '../../src/migrate/move.js';

test('shellQuote: sh reads every quoted word back as itself', () => {
  const words = ['plain', "it's", 'a b', '$HOME', '`id`', '"q"', '*', 'x;y', '', 'ü'];
  const echoed = execFileSync('sh', ['-c', `printf '%s\\n' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
  assert.deepEqual(echoed.split('\n').slice(0, -1), words);
});

test('sshArgv: options, BatchMode, -- before the host, one remote line', () => {
  const remote = remoteHost('root@host2', { sshCommand: "ssh -p 2222 -i '/k ey'", remoteCtcr: 'node /opt/ctcr/cli.js', env: {} });
  assert.deepEqual(sshArgv(remote, [...remote.ctcr, 'facts', '--path', '/a b']), {
    file: 'ssh',
    args: ['-p', '2222', '-i', '/k ey', '-o', 'BatchMode=yes', '--', 'root@host2', "node /opt/ctcr/cli.js facts --path '/a b'"],
  });
  assert.deepEqual(remoteHost('h', { env: { CTCR_SSH: 'myssh -q', CTCR_REMOTE: 'ctcr2' } }).ssh, ['myssh', '-q']);
  assert.throws(() => remoteHost('-oProxyCommand=x', { env: {} }), /give \[user@\]host/);
  assert.throws(() => remoteHost('h', { sshCommand: 'ssh; rm -rf /', env: {} }), /without ; \| or &/);
});

test('parseFacts: another schema or version is a reason, not a crash', () => {
  assert.match((parseFacts('not json', 'h') as { reason: string }).reason, /printed no JSON/);
  assert.match((parseFacts('{"schema":"other"}', 'h') as { reason: string }).reason, /not ctcr-facts/);
  assert.match((parseFacts('{"schema":"ctcr-facts","version":99}', 'h') as { reason: string }).reason, /version 99, this ctcr reads version 1/);
});

test('rsyncBytesSent reads rsync --stats', () => {
  assert.equal(rsyncBytesSent('Number of files: 3\nTotal bytes sent: 2,447,755\nTotal bytes received: 1,234\n'), 2447755);
  assert.equal(rsyncBytesSent('nothing'), 0);
});

test('preDumpAgain: while the dirty set shrinks by a tenth and is worth a round, up to the bound', async () => {
  const { preDumpAgain, SMALL_DIRTY_SET } = await import('../../src/migrate/move.js');
  const MiB = 1024 * 1024;
  assert.equal(preDumpAgain([], 5), true, 'the first pre-dump');
  assert.equal(preDumpAgain([], 0), false, '--pre-dumps 0');
  assert.equal(preDumpAgain([256 * MiB], 5), true);
  assert.equal(preDumpAgain([256 * MiB, 8 * MiB], 5), true, 'shrinking');
  assert.equal(preDumpAgain([256 * MiB, 8 * MiB, 7.5 * MiB], 5), false, 'stopped shrinking');
  assert.equal(preDumpAgain([256 * MiB, SMALL_DIRTY_SET / 2], 5), false, 'too small to be worth a round');
  assert.equal(preDumpAgain([256, 128, 64, 32, 16].map((n) => n * MiB), 5), false, 'the bound');
});
