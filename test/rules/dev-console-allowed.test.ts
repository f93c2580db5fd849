import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../rules/dev-console-allowed.js';
import { parseDeviceRule } from '../../src/config/device-rules.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';
import { busybox, host } from '../helpers/live-facts.js';
import type { HostFacts } from '../../src/types.js';

const withLayout = (layout: 'v1' | 'v2' | 'hybrid'): HostFacts => host({ cgroups: { ok: true, value: { layout, mounts: [] } } });

const COMMON_MAIN = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '05-lxc-main-common.conf'), 'utf8');
const V2 = 'lxc.cgroup2.devices';
const V1 = 'lxc.cgroup.devices';
/** A real v1 config written with "# comments" after each device rule (a blog's LXC 0.8 guest, pre-2.1 keys). */
const WHEEZY = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '20-debian-wheezy-guest.conf'), 'utf8');

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
    // LXC's v2 parser and the v1 kernel stop at a non-letter within the first three access characters: the line is rejected.
    { name: 'two access letters then a comment: rejected, grants nothing', config: `${V2}.deny = a\n${V2}.allow = c 5:1 rw # console\n` },
    { name: 'v1: a deny takes the letters it names off the identical exception', config: `${V1}.deny = a\n${V1}.allow = c 5:1 rwm\n${V1}.deny = c 5:1 rw\n` },
    { name: 'v1: the deny with a trailing comment still takes it back', config: `${V1}.deny = a\n${V1}.allow = c 5:1 rwm # console\n${V1}.deny = c 5:1 rwm # not after all\n` },
    { name: 'v1: two blanks between fields is not the grammar', config: `${V1}.deny = a\n${V1}.allow = c  5:1 rwm\n` },
    { name: 'a device path that is not the console', config: `${V2}.deny = a\n${V2}.allow = /dev/tty rwm\n` },
    { name: 'v1: "a" with trailing text is still deny-all (the kernel reads one letter)', config: `${V1}.allow = a\n${V1}.deny = a # deny all\n${V1}.allow = c 1:3 rwm\n` },
    { name: 'v2: allow all, then the console denied with a trailing comment', config: `${V2}.allow = a\n${V2}.deny = c 5:1 rwm # hax for criu\n` },
    { name: 'v2 without deny = a: LXC starts from an allowlist', config: `${V2}.allow = c 1:3 rwm\n` },
    // The doctor knows the host: LXC ignores the other generation's lines there.
    { name: 'doctor, hybrid host: LXC ignores cgroup2 lines', config: `${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n`, host: withLayout('hybrid'), container: busybox() },
    { name: 'doctor, pure cgroup2 host: LXC ignores lxc.cgroup lines', config: `${V1}.deny = a\n${V1}.allow = c 5:1 rwm\n`, host: withLayout('v2'), container: busybox() },
    { name: 'v1 without deny = a, the console denied: the inherited allow-all minus c 5:1', config: `${V1}.allow = c 1:3 rwm\n${V1}.deny = c 5:1 rwm\n` },
    // What the override suggestions write: the included allow cancelled at the end of the container's own config.
    { name: 'v2: an included allow of c 5:1, denied at the end of the config', config: `lxc.include = common.conf\n${V2}.deny = c 5:1 rwm\n`, files: { 'common.conf': `${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n` } },
    { name: 'v1: an included allow of c 5:1, denied at the end of the config', config: `lxc.include = common.conf\n${V1}.deny = c 5:1 rwm\n`, files: { 'common.conf': `${V1}.deny = a\n${V1}.allow = c 5:1 rwm\n` } },
    { name: 'v1: an included allow-all, the console denied at the end of the config', config: `lxc.include = common.conf\n${V1}.deny = c 5:1 rwm\n`, files: { 'common.conf': `${V1}.allow = a\n` } },
  ],
  invalid: [
    {
      name: 'a real config: "c 5:1 rwm # dev/console" (the access field ends after three letters)',
      config: WHEEZY,
      errors: [{ messageId: 'allowConsole', line: WHEEZY.split('\n').indexOf(`${V1}.allow = c 5:1 rwm # dev/console`) + 1, message: /= c 5:1 rwm # dev\/console \(read as 'c 5:1 rwm': the access field ends after three letters.*Remove the line$/ }],
      suggestionOutput: { config: WHEEZY.replace(`${V1}.allow = c 5:1 rwm # dev/console\n`, '') },
    },
    {
      name: 'v1: four letters, the fourth is never read',
      config: `${V1}.deny = a\n${V1}.allow = c 5:1 rwmx\n`,
      errors: [{ messageId: 'allowConsole', line: 2 }],
      suggestionOutput: { config: "lxc.cgroup.devices.deny = a\n" },
    },
    {
      name: 'tabs between the fields (isspace)',
      config: `${V2}.deny = a\n${V2}.allow = c\t5:1\trwm\n`,
      errors: [{ messageId: 'allowConsole', line: 2 }],
      suggestionOutput: { config: "lxc.cgroup2.devices.deny = a\n" },
    },
    {
      name: 'v2: a deny with other letters is not identical, LXC keeps the allow',
      config: `${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n${V2}.deny = c 5:1 rw\n`,
      errors: [{ messageId: 'allowConsole', line: 2 }],
      suggestionOutput: { config: "lxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.deny = c 5:1 rw\n" },
    },
    {
      name: 'v1: a deny of mknod only leaves read and write',
      config: `${V1}.deny = a\n${V1}.allow = c 5:1 rwm\n${V1}.deny = c 5:1 m\n`,
      errors: [{ messageId: 'allowConsole', line: 2 }],
      suggestionOutput: { config: "lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.deny = c 5:1 m\n" },
    },
    {
      name: 'v1: mknod first, read/write added by a later line: that line opens it',
      config: `${V1}.deny = a\n${V1}.allow = c 5:1 m\n${V1}.allow = c 5:1 rw\n`,
      errors: [{ messageId: 'allowConsole', line: 3 }],
      suggestionOutput: { config: "lxc.cgroup.devices.deny = a\nlxc.cgroup.devices.allow = c 5:1 m\n" },
    },
    {
      name: 'v1: two lines make one exception; removing either alone leaves the console open, so both are reported',
      config: `${V1}.deny = a\n${V1}.allow = c 5:1 mrw\n${V1}.allow = c 5:1 rwmx\n`,
      errors: [{ messageId: 'allowConsole', line: 2, message: /= c 5:1 mrw lets the container/ }, { messageId: 'allowConsole', line: 3, message: /= c 5:1 rwmx \(read as 'c 5:1 rwm'/ }],
      suggestionOutput: { config: `${V1}.deny = a\n` },
    },
    {
      name: 'v2: the same rule twice is one rule to LXC; both lines are reported',
      config: `${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n${V2}.allow = c 5:1 rwm # again\n`,
      errors: [{ messageId: 'allowConsole', line: 2 }, { messageId: 'allowConsole', line: 3 }],
      suggestionOutput: { config: `${V2}.deny = a\n` },
    },
    {
      name: 'an allow of the path /dev/console (LXC stats it: c 5:1)',
      config: `${V2}.deny = a\n${V2}.allow = /dev/console rwm\n`,
      errors: [{ messageId: 'allowConsole', line: 2, message: /\/dev\/console rwm \(LXC reads \/dev\/console as c 5:1\) lets the container open the host console/ }],
      suggestionOutput: { config: `${V2}.deny = a\n` },
    },
    {
      name: 'v2: "a *:* rwm" is a rule for every device, not the list reset',
      config: `${V2}.deny = a\n${V2}.allow = a *:* rwm\n`,
      errors: [{ messageId: 'allowConsoleAmongOthers', line: 2, message: /among other devices/ }],
    },
    {
      name: 'doctor, hybrid host (the lab\'s): the v1 line is applied, the v2 one is not',
      config: `${V1}.deny = a\n${V1}.allow = c 5:1 rwm\n${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n`,
      host: withLayout('hybrid'),
      container: busybox(),
      errors: [{ messageId: 'allowConsole', line: 2 }],
      suggestionOutput: { config: `${V1}.deny = a\n${V2}.deny = a\n${V2}.allow = c 5:1 rwm\n` },
    },
    {
      name: 'v1 allow lines without deny = a: the cgroup keeps its parent\'s allow-all',
      config: `${V1}.allow = c 1:3 rwm\n${V1}.allow = c 1:5 rwm\nlxc.uts.name = c1\n`,
      errors: [{ messageId: 'inheritsAllowAll', line: 1, message: /^lxc\.cgroup\.devices\.allow = c 1:3 rwm: no lxc\.cgroup\.devices\.deny = a comes before the device lines.*Add lxc\.cgroup\.devices\.deny = c 5:1 rwm after line 2/ }],
      suggestionOutput: { config: `${V1}.allow = c 1:3 rwm\n${V1}.allow = c 1:5 rwm\n${V1}.deny = c 5:1 rwm\nlxc.uts.name = c1\n` },
    },
    {
      name: 'v1 allow = a, then an allow of the console: the deny goes after it (the kernel would take a later allow as removing the deny)',
      config: `${V1}.allow = a\n${V1}.allow = c 5:1 rwm\n`,
      errors: [{ messageId: 'allowAll', line: 1, message: /allows every device.*Add lxc\.cgroup\.devices\.deny = c 5:1 rwm after line 2$/ }],
      suggestionOutput: { config: `${V1}.allow = a\n${V1}.allow = c 5:1 rwm\n${V1}.deny = c 5:1 rwm\n` },
    },
    {
      name: 'v1: "a # all" is allow-all to the kernel',
      config: `${V1}.allow = a # all\n`,
      errors: [{ messageId: 'allowAll', line: 1, message: /allows every device/ }],
      suggestionOutput: { config: "lxc.cgroup.devices.allow = a # all\nlxc.cgroup.devices.deny = c 5:1 rwm\n" },
    },
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
      errors: [{
        messageId: 'allowConsole', file: 'common.conf', line: 2,
        suggestions: [
          { desc: /^remove line 2 of /, output: { 'common.conf': `${V2}.deny = a` } },
          { desc: /^add lxc\.cgroup2\.devices\.deny = c 5:1 rwm at the end of the config/, output: { config: `lxc.include = common.conf\n${V2}.deny = c 5:1 rwm\n` } },
        ],
      }],
    },
    {
      name: 'v1: an allow-all in an included file: the deny after it there, or at the end of the config',
      config: 'lxc.include = common.conf\nlxc.uts.name = c1\n',
      files: { 'common.conf': `${V1}.allow = a\n` },
      errors: [{
        messageId: 'allowAll', file: 'common.conf', line: 1,
        suggestions: [
          { desc: /^add lxc\.cgroup\.devices\.deny = c 5:1 rwm after line 1 of /, output: { 'common.conf': `${V1}.allow = a\n${V1}.deny = c 5:1 rwm\n` } },
          { desc: /at the end of the config/, output: { config: `lxc.include = common.conf\nlxc.uts.name = c1\n${V1}.deny = c 5:1 rwm\n` } },
        ],
      }],
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
  assert.deepEqual(parseDeviceRule('c 5:1 rwm # /dev/console'), { all: false, type: 'c', major: 5, minor: 1, access: 'rwm' });
  assert.deepEqual(parseDeviceRule('c 5:* r'), { all: false, type: 'c', major: 5, minor: '*', access: 'r' });
  assert.equal(parseDeviceRule('c 5:1 rw # x'), undefined);
  assert.equal(parseDeviceRule('c 5:1 '), undefined);
  assert.equal(parseDeviceRule('c 5 :1 rwm'), undefined);
  assert.equal(parseDeviceRule('a # all', 'v2'), undefined);
  assert.equal(parseDeviceRule('a # all', 'v1')?.all, true);
  assert.equal(parseDeviceRule('a *:* rwm', 'v2')?.all, false);
  assert.equal(parseDeviceRule('b 8:0 rw', 'v1')?.type, 'b');
  assert.deepEqual(parseDeviceRule('/dev/console  rwm  trailing', 'v1', 'allow'), { all: false, type: 'c', major: 5, minor: 1, access: 'rwm', devicePath: '/dev/console' });
  assert.equal(parseDeviceRule('/dev/console rwm', 'v2', 'deny'), undefined, 'only devices.allow takes a path');
  assert.equal(parseDeviceRule('/dev/console', 'v2'), undefined, 'a path needs its mode');
});
