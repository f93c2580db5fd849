import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule, { parseDeviceRule } from '../../rules/dev-console-allowed.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';

const COMMON_MAIN = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '05-lxc-main-common.conf'), 'utf8');
const V2 = 'lxc.cgroup2.devices';

new RuleTester().run(rule, {
  valid: [
    { name: 'no device rules at all', config: 'lxc.uts.name = c1\n' },
    { name: 'mknod only for every char device', config: `${V2}.deny = a\n${V2}.allow = c *:* m\n${V2}.allow = c 1:3 rwm\n` },
    { name: '/dev/tty (5:0) is not the console', config: `${V2}.deny = a\n${V2}.allow = c 5:0 rwm\n` },
    { name: 'mknod of the console only', config: `${V2}.deny = a\n${V2}.allow = c 5:1 m\n` },
    { name: 'a block device 5:1', config: `${V2}.deny = a\n${V2}.allow = b 5:1 rwm\n` },
    { name: 'allowed, then the identical rule denied', config: `${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n${V2}.deny = c 5:1 rwm\n` },
    { name: 'all allowed but the console ("hax for criu")', config: `${V2}.allow = a\n${V2}.deny = c 5:1 rwm\n` },
    { name: 'the allow list cleared', config: `${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n${V2}.allow =\n` },
    { name: 'everything cleared, then deny-all', config: `lxc.cgroup.devices.allow = c 5:1 rwm\nlxc.cgroup =\nlxc.cgroup.devices.deny = a\n` },
    { name: 'a commented-out rule', config: `${V2}.deny = a\n#${V2}.allow = c 5:1 rwm\n` },
  ],
  invalid: [
    {
      name: 'the CRIU wiki line (cgroup v1)',
      config: 'lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 5:1 rwm\n',
      errors: [{ messageId: 'allowConsole', line: 2, column: 1, severity: 'warning', message: /^lxc\.cgroup\.devices\.allow = c 5:1 rwm lets the container open the host console.*Can't obtain ptmx index.*Remove the line$/ }],
      output: null,
      suggestionOutput: { config: 'lxc.cgroup.devices.deny = a\n' },
    },
    {
      name: "LXC's common.conf (cgroup2)",
      config: COMMON_MAIN,
      errors: [{ messageId: 'allowConsole', line: COMMON_MAIN.split('\n').indexOf(`${V2}.allow = c 5:1 rwm`) + 1 }],
      suggestionOutput: { config: COMMON_MAIN.replace(`### /dev/console\n${V2}.allow = c 5:1 rwm\n`, '### /dev/console\n') },
    },
    {
      name: 'a wildcard allow: no line can narrow it in allowlist mode',
      config: `${V2}.deny = a\n${V2}.allow = c *:* rwm\n${V2}.deny = c 5:1 rwm\n`,
      errors: [{ messageId: 'allowConsoleAmongOthers', line: 2, message: /among other devices.*replace it with rules for the devices the container needs$/ }],
      suggestionOutput: null,
    },
    {
      name: 'every minor of major 5',
      config: `${V2}.deny = a\n${V2}.allow = c 5:* rw\n`,
      errors: [{ messageId: 'allowConsoleAmongOthers', line: 2, message: /c 5:\* rw/ }],
    },
    {
      name: 'allow = a allows everything: add the deny line LXC\'s test adds',
      config: `${V2}.allow = a\n${V2}.allow = c 5:1 rwm\nlxc.uts.name = c1\n`,
      errors: [{ messageId: 'allowAll', line: 1, message: /allows every device.*Add lxc\.cgroup2\.devices\.deny = c 5:1 rwm after it$/ }],
      suggestionOutput: { config: `${V2}.allow = a\n${V2}.deny = c 5:1 rwm\n${V2}.allow = c 5:1 rwm\nlxc.uts.name = c1\n` },
    },
    {
      name: 'both generations',
      config: 'lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 5:1 rwm\nlxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.allow = c 5:1 rw\n',
      errors: [{ messageId: 'allowConsole', line: 2 }, { messageId: 'allowConsole', line: 4 }],
      suggestionOutput: { config: 'lxc.cgroup.devices.deny = a\nlxc.cgroup2.devices.deny = a\n' },
    },
    {
      name: 'in an included file, last line without newline',
      config: 'lxc.include = common.conf\n',
      files: { 'common.conf': `${V2}.deny = a\n${V2}.allow = c 5:1 rwm` },
      errors: [{ messageId: 'allowConsole', file: 'common.conf', line: 2 }],
      suggestionOutput: { 'common.conf': `${V2}.deny = a` },
    },
  ],
});

test('dev-console-allowed: the device-rule grammar', () => {
  assert.deepEqual(parseDeviceRule('a'), { all: true, type: 'a', major: '*', minor: '*', access: 'rwm' });
  assert.deepEqual(parseDeviceRule('c 5:1 rwm'), { all: false, type: 'c', major: 5, minor: 1, access: 'rwm' });
  assert.deepEqual(parseDeviceRule('c *:* m'), { all: false, type: 'c', major: '*', minor: '*', access: 'm' });
  assert.equal(parseDeviceRule('c 5:1'), undefined);
  assert.equal(parseDeviceRule('x 5:1 rwm'), undefined);
  assert.equal(parseDeviceRule('c 5:1 rwx'), undefined);
});
