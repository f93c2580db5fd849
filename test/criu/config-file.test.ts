import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCriuConfig, renderCriuConfig } from '../../src/criu/config-file.js';
import { InputError } from '../../src/errors.js';

test('renders one option per line, long names without --', () => {
  const text = renderCriuConfig([{ name: '--tcp-established' }, { name: 'mntns-compat-mode' }, { name: 'images-dir', value: '/var/lib/ctcr/c1' }]);
  assert.equal(text, 'tcp-established\nmntns-compat-mode\nimages-dir /var/lib/ctcr/c1\n');
});

test('quotes values with blanks, quotes or # and escapes inner quotes', () => {
  const text = renderCriuConfig([{ name: 'work-dir', value: '/x/my "work" dir' }, { name: 'log-file', value: '/tmp/#1.log' }, { name: 'root', value: '' }]);
  assert.equal(text, 'work-dir "/x/my \\"work\\" dir"\nlog-file "/tmp/#1.log"\nroot ""\n');
});

test('optional arguments are attached with =', () => {
  assert.equal(renderCriuConfig([{ name: 'manage-cgroups', value: 'full' }]), 'manage-cgroups=full\n');
  assert.throws(() => renderCriuConfig([{ name: 'manage-cgroups', value: 'a b' }]), InputError);
});

test('a header becomes comment lines', () => {
  assert.equal(renderCriuConfig([{ name: 'tcp-close' }], 'written by ctcr\nfor the restore'), '# written by ctcr\n# for the restore\ntcp-close\n');
});

test('what CRIU cannot read is refused', () => {
  assert.throws(() => renderCriuConfig([{ name: 'root', value: 'C:\\dir with space\\' }]), InputError);
  assert.throws(() => renderCriuConfig([{ name: 'root', value: 'a\nb' }]), InputError);
  assert.throws(() => renderCriuConfig([{ name: 'tcp-established', value: 'yes' }]), InputError);
  assert.throws(() => renderCriuConfig([{ name: 'two words' }]), InputError);
});

test('parses the examples of the CRIU man page syntax', () => {
  const argv = parseCriuConfig('tcp-established\nwork-dir "/x/my \\"work\\" dir"\nno-restore-sibling  # comment\n# a whole comment line\n\nroot ""\nmanage-cgroups=full\n');
  assert.deepEqual(argv, ['--tcp-established', '--work-dir', '/x/my "work" dir', '--no-restore-sibling', '--root', '', '--manage-cgroups=full']);
});

test('a bare word with a quote inside stays as written; only a leading quote starts a quoted word', () => {
  assert.deepEqual(parseCriuConfig('log-file a"b\n'), ['--log-file', 'a"b']);
  assert.deepEqual(parseCriuConfig('log-file "unterminated\n'), ['--log-file', '"unterminated']);
});

test('render then parse gives the options back', () => {
  const options = [
    { name: 'tcp-established' },
    { name: 'external', value: 'veth[eth0]:vethAB12@lxcbr0' },
    { name: 'work-dir', value: '/x/my "work" dir' },
    { name: 'action-script', value: '/usr/local/bin/net lock.sh' },
    { name: 'root', value: 'a\\"b' },
  ];
  assert.deepEqual(parseCriuConfig(renderCriuConfig(options)), [
    '--tcp-established',
    '--external',
    'veth[eth0]:vethAB12@lxcbr0',
    '--work-dir',
    '/x/my "work" dir',
    '--action-script',
    '/usr/local/bin/net lock.sh',
    '--root',
    'a\\"b',
  ]);
});
