/**
 * Control characters from a file or an argument never reach the terminal
 * raw: an escape sequence or a newline in a path, a container name, a config
 * key or value is shown escaped, and an error stays one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ctcr, tempTree, isOneLineError } from '../helpers/cli.js';
import { escapeControl } from '../../src/util/escape.js';

// C0 controls but \n (output lines are separated by it), DEL, C1 controls, and the Unicode line separators.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const HOSTILE = 'a\nb\u001b[31mred\u001b]0;title\u0007\r\u009b2J\u2028end';

test('escapeControl shows every control character as an escape and leaves the rest', () => {
  assert.equal(escapeControl('plain é 中 😀'), 'plain é 中 😀');
  const shown = escapeControl(HOSTILE);
  assert.ok(!RAW.test(shown) && !shown.includes('\n'), JSON.stringify(shown));
  assert.equal(shown, 'a\\nb\\x1b[31mred\\x1b]0;title\\x07\\r\\x9b2J\\u2028end');
});

test('an argument with a newline and escape sequences gives one escaped error line', async () => {
  const dir = await tempTree({ 'c.conf': 'lxc.uts.name = c1\n', [`bad${HOSTILE}.conf`]: 'lxc.uts.name = c1\nlxc.tty.max\u001b[1m\n' });
  // A run that could lint nothing: exit 2 and one escaped error line.
  for (const args of [['lint', `/nonexistent/${HOSTILE}`], ['doctor', HOSTILE]]) {
    const r = await ctcr(args);
    assert.equal(r.exitCode, 2, args.join(' ') + r.stderr);
    assert.ok(isOneLineError(r.stderr), JSON.stringify(r.stderr));
    assert.ok(!RAW.test(r.stderr.replace(/\n$/, '')), JSON.stringify(r.stderr));
    assert.match(r.stderr, /\\x1b\[31m/);
  }
  // A file that cannot be read or parsed is a parse-error finding (exit 1): its line is escaped in the report too.
  for (const args of [['lint', '--image', `/nonexistent/${HOSTILE}`, path.join(dir, 'c.conf')], ['lint', path.join(dir, `bad${HOSTILE}.conf`)]]) {
    const r = await ctcr(args);
    assert.equal(r.exitCode, 1, args.join(' ') + r.stdout + r.stderr);
    assert.match(r.stdout, /parse-error/);
    assert.ok(!RAW.test(r.stdout.replace(/\n/g, ' ')), JSON.stringify(r.stdout));
    assert.match(r.stdout, /\\x1b\[31m|\\x1b\[1m/);
  }
});

test('findings and their file names show the config text escaped', async () => {
  const dir = await tempTree({ [`c\u001b[2Jd.conf`]: `lxc.uts.name = c1\nlxc.\u001b[2Jfoo\u001b]0;x\u0007 = 1\nlxc.tty.max = 4\u0007\n` });
  for (const format of ['stylish', 'github']) {
    const r = await ctcr(['lint', path.join(dir, 'c\u001b[2Jd.conf'), '-f', format]);
    assert.equal(r.exitCode, 1, r.stderr);
    for (const line of (r.stdout + r.stderr).split('\n')) assert.ok(!RAW.test(line), `${format}: ${JSON.stringify(line)}`);
    assert.match(r.stdout, /\\x1b\[2Jfoo/);
  }
});
