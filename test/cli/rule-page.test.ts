/** Where a rule's page is: `ctcr rules ID` names it; its URL comes from package.json's repository. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { repositoryWebUrl, rulePagePath, rulePageUrl } from '../../src/rule-page.js';
import { ctcr, REPO } from '../helpers/cli.js';

test('repository addresses in the forms package.json allows become web addresses', () => {
  assert.equal(repositoryWebUrl('example/ctcr'), 'https://github.com/example/ctcr');
  assert.equal(repositoryWebUrl('github:example/ctcr'), 'https://github.com/example/ctcr');
  assert.equal(repositoryWebUrl({ type: 'git', url: 'git+https://github.com/example/ctcr.git' }), 'https://github.com/example/ctcr');
  assert.equal(repositoryWebUrl('git@gitlab.com:group/ctcr.git'), 'https://gitlab.com/group/ctcr');
  assert.equal(repositoryWebUrl(undefined), undefined);
  assert.equal(repositoryWebUrl(''), undefined);
  assert.equal(rulePageUrl('x', undefined, '1.0.0'), undefined);
  assert.equal(rulePagePath('tty-nonzero'), 'docs/rules/tty-nonzero.md');
});

test('ctcr rules ID names the page, which exists; -f json carries it with the message ids', async () => {
  const text = await ctcr(['rules', 'tty-nonzero']);
  assert.equal(text.exitCode, 0);
  // This package.json sets no repository, so the page is the one the package ships, by its absolute path.
  const m = /^Examples and exceptions: (\S+)$/m.exec(text.stdout);
  assert.ok(m, text.stdout);
  assert.equal(m[1], path.join(REPO, 'docs/rules/tty-nonzero.md'));
  await access(m[1]!);
  const json = JSON.parse((await ctcr(['rules', 'tty-nonzero', '-f', 'json'])).stdout);
  assert.equal(json.page, path.join(REPO, 'docs/rules/tty-nonzero.md'));
  assert.deepEqual(Object.keys(json.messages), ['ttys']);
  assert.equal(json.hasSuggestions, true);
});
