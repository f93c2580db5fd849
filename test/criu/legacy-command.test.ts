import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLegacyCommand, parseCriuArgv } from '../../src/criu/legacy-command.js';
import { joinShellWords, quoteShellWord, splitShellWords } from '../../src/criu/shell-words.js';
import { InputError } from '../../src/errors.js';

// The two commands of the 2014 criu.org LXC page (seed criu-wiki-lxc.txt), as laid out there.
const SEED_DUMP = `criu dump 
    --tcp-established                # allow for TCP connections dump
    -n net -n mnt -n ipc -n pid      # dump all the namespaces container uses
    --action-script "net-script.sh"  # use net-script.sh to lock/unlock networking
    -D dump/ -o dump.log             # set images dir to dump/ and put logs into dump.log file
    -t \${init-pid}                   # start dumping from task \${init-pid}. It should be container's init
`;

const SEED_RESTORE = `criu restore
   -n net -n mnt -n ipc -n pid
   --action-script "net-script.sh"
   --veth-pair eth0=\${veth-name}     # when restoring a veth link use \${veth-name} for host-side device end
   --root \${path}                    # path to container root. It should be a root of a (bind)mount
   -D data/ -o restore.log
   -t \${init-pid}
`;

test('splitShellWords: quotes, escapes, continuations, comments', () => {
  assert.deepEqual(splitShellWords(`criu dump \\\n  --root '/a b' -o "x \\"y\\"" # comment\n -D d`).words, ['criu', 'dump', '--root', '/a b', '-o', 'x "y"', '-D', 'd']);
  assert.deepEqual(splitShellWords('a#b c').words, ['a#b', 'c'], '# inside a word is not a comment');
  assert.deepEqual(splitShellWords('criu dump -t 1 && echo ok'), { words: ['criu', 'dump', '-t', '1'], rest: '&& echo ok' });
  assert.deepEqual(splitShellWords('a\r\nb').words, ['a', 'b']);
});

test('splitShellWords: an unterminated quote is an input error', () => {
  assert.throws(() => splitShellWords('criu dump --root "/x'), InputError);
  assert.throws(() => splitShellWords("criu dump --root '/x"), InputError);
});

test('quoteShellWord keeps expansions in double quotes', () => {
  assert.equal(quoteShellWord('dump/'), 'dump/');
  assert.equal(quoteShellWord('veth[eth0]:${veth-name}'), '"veth[eth0]:${veth-name}"');
  assert.equal(quoteShellWord('mnt[]'), "'mnt[]'");
  assert.equal(quoteShellWord("it's"), `'it'\\''s'`);
  assert.equal(quoteShellWord(''), "''");
  assert.equal(joinShellWords(['criu', 'dump', '-D', 'a b']), "criu dump -D 'a b'");
});

test('parseCriuArgv: short clusters, attached values, optional args only attached', () => {
  const p = parseCriuArgv(['sudo', '/usr/sbin/criu', '-v4', 'restore', '-dS', '-Dimg', '--manage-cgroups=full', '--root', '/r', '-o', 'l.log', '-x']);
  assert.deepEqual(p.prefix, ['sudo']);
  assert.equal(p.program, '/usr/sbin/criu');
  assert.equal(p.action, 'restore');
  assert.deepEqual(
    p.options.map((o) => [o.name, o.value ?? null]),
    [
      ['-v', '4'],
      ['-d', null],
      ['-S', null],
      ['-D', 'img'],
      ['--manage-cgroups', 'full'],
      ['--root', '/r'],
      ['-o', 'l.log'],
      ['-x', null],
    ],
  );
  assert.deepEqual(p.positional, []);
});

test('the 2014 dump command against CRIU 4.2', () => {
  const a = analyzeLegacyCommand(SEED_DUMP, '4.2');
  assert.equal(a.action, 'dump');
  const verdicts = a.options.map((o) => [o.name, o.status.verdict]);
  assert.deepEqual(verdicts, [
    ['--tcp-established', 'ok'],
    ['-n', 'removed'],
    ['-n', 'removed'],
    ['-n', 'removed'],
    ['-n', 'removed'],
    ['--action-script', 'ok'],
    ['-D', 'ok'],
    ['-o', 'ok'],
    ['-t', 'ok'],
  ]);
  assert.deepEqual(a.options.filter((o) => o.name === '-n').map((o) => o.value), ['net', 'mnt', 'ipc', 'pid']);
  assert.equal(a.suggestedCommandLine, 'criu dump --tcp-established --action-script net-script.sh -D dump/ -o dump.log -t "${init-pid}"');
});

test('the 2014 restore command against CRIU 4.2', () => {
  const a = analyzeLegacyCommand(SEED_RESTORE, '4.2');
  assert.equal(a.action, 'restore');
  const byName = (n: string) => a.options.filter((o) => o.name === n);
  assert.ok(byName('-n').every((o) => o.status.verdict === 'removed'));
  const veth = byName('--veth-pair')[0]!;
  assert.equal(veth.status.verdict, 'deprecated');
  assert.deepEqual(veth.suggested, ['--external', 'veth[eth0]:${veth-name}']);
  assert.equal(byName('-t')[0]!.status.verdict, 'dump-only-used-on-restore');
  assert.deepEqual(a.suggested, ['criu', 'restore', '--action-script', 'net-script.sh', '--external', 'veth[eth0]:${veth-name}', '--root', '${path}', '-D', 'data/', '-o', 'restore.log']);
});

test('the same commands were fine for CRIU 1.2 (2014)', () => {
  const dump = analyzeLegacyCommand(SEED_DUMP, '1.2');
  assert.ok(dump.options.every((o) => o.status.verdict === 'ok'), JSON.stringify(dump.options.map((o) => o.status)));
  const restore = analyzeLegacyCommand(SEED_RESTORE, '1.2');
  assert.equal(restore.options.find((o) => o.name === '--veth-pair')!.status.verdict, 'ok');
  assert.match(restore.suggestedCommandLine, /--veth-pair "eth0=\$\{veth-name\}"/);
});

test("the brief's one-line form, and CRIU 2.1 where -n is a warned no-op", () => {
  const a = analyzeLegacyCommand('criu dump --tcp-established -n net -n mnt -n ipc -n pid --action-script "net-script.sh" -D dump/ -o dump.log -t 1234', '2.1');
  assert.ok(a.options.filter((o) => o.name === '-n').every((o) => o.status.verdict === 'deprecated' && !o.status.fatal));
  assert.equal(a.suggestedCommandLine, 'criu dump --tcp-established --action-script net-script.sh -D dump/ -o dump.log -t 1234');
});

test("LXC's ext-mount-map forms become --external mnt[...]", () => {
  const a = analyzeLegacyCommand('criu dump --ext-mount-map auto --ext-mount-map /mnt:mnt --enable-fs hugetlbfs -t 1', '4.2');
  assert.deepEqual(
    a.options.map((o) => o.suggested),
    [['--external', 'mnt[]'], ['--external', 'mnt[/mnt]:mnt'], ['--enable-fs', 'hugetlbfs'], ['-t', '1']],
  );
  assert.equal(a.suggestedCommandLine, "criu dump --external 'mnt[]' --external 'mnt[/mnt]:mnt' --enable-fs hugetlbfs -t 1");
});

test('a restore-only option on dump is dropped from the suggestion, unknown ones are kept and flagged', () => {
  const a = analyzeLegacyCommand('criu dump --mntns-compat-mode --check-only --bogus -t 5', '4.2');
  assert.deepEqual(a.options.map((o) => o.status.verdict), ['restore-only-used-on-dump', 'never-released', 'unknown', 'ok']);
  assert.equal(a.suggestedCommandLine, 'criu dump --bogus -t 5');
});

test('text after an operator is reported, not analyzed', () => {
  const a = analyzeLegacyCommand('criu check; echo done', '4.2');
  assert.equal(a.action, 'check');
  assert.equal(a.ignoredRest, '; echo done');
});
