import { readFileSync } from 'node:fs';
import path from 'node:path';
import rule from '../../rules/inline-comment.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';

const QUOTED = readFileSync(path.join(REPO, 'fixtures', 'configs', 'quoted-values.conf'), 'utf8');
/** LXC 1.0's Fedora template: device rules with tab-separated "# /dev/null" comments (harmless after three access letters). */
const FEDORA_COMMON = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '24-lxc1.0-fedora-common.conf'), 'utf8');
const WHEEZY = readFileSync(path.join(REPO, 'fixtures', 'configs', 'real', '20-debian-wheezy-guest.conf'), 'utf8');

new RuleTester().run(rule, {
  valid: [
    { name: 'comments on their own lines', config: '# no ttys\nlxc.tty.max = 0\n   # indented\n' },
    { name: "a '#' not after a blank", config: 'lxc.uts.name = web#1\n' },
    { name: "a '#' inside quotes", config: 'lxc.environment = GREETING="hello # world"\nlxc.uts.name = "a # b"\n' },
    { name: 'hook commands go through /bin/sh', config: 'lxc.hook.pre-start = /usr/local/bin/prepare # fetch keys\n' },
    { name: 'lxc.apparmor.raw is AppArmor policy text', config: 'lxc.apparmor.raw = deny /sys/** w, # keep sysfs read-only\n' },
    { name: 'getmntent ignores text after the fourth field', config: 'lxc.mount.entry = tmpfs tmp tmpfs defaults # scratch space\n' },
    { name: "LXC 1.0's Fedora template: '# /dev/null' after three access letters is never read", config: FEDORA_COMMON },
    { name: 'a blog config: every device rule commented after rwm', config: WHEEZY.split('\n').filter((l) => l.includes('devices')).join('\n') + '\n' },
    { name: "v1 'deny = a # Deny all': the kernel reads one letter", config: 'lxc.cgroup.devices.deny = a # Deny all access to devices\n' },
  ],
  invalid: [
    {
      name: 'a device rule with two access letters and a comment: rejected, the container does not start',
      config: 'lxc.cgroup2.devices.allow = c 10:200 rw # tun\n',
      errors: [{ messageId: 'inlineComment', line: 1, severity: 'error', message: /not "c 10:200 rw" and LXC rejects it as a device rule \(the container does not start\)/ }],
      suggestionOutput: { config: '# tun\nlxc.cgroup2.devices.allow = c 10:200 rw\n' },
    },
    {
      name: "v2 'allow = a # all': only the exact value a is the reset",
      config: 'lxc.cgroup2.devices.allow = a # all\n',
      errors: [{ messageId: 'inlineComment', line: 1, severity: 'error', message: /LXC rejects it as a device rule/ }],
      suggestionOutput: { config: "# all\nlxc.cgroup2.devices.allow = a\n" },
    },
    {
      name: 'legacy lxc.tty with a comment: LXC 2.0 read the number, LXC 2.1 and later refuse it',
      config: 'lxc.tty = 4 # ttys\n',
      errors: [{ messageId: 'inlineComment', line: 1, severity: 'error', message: /LXC 2\.1 and later refuse it \(LXC 2\.0, which reads lxc\.tty, took the number it starts with\)/ }],
      suggestionOutput: { config: "# ttys\nlxc.tty = 4\n" },
    },
    {
      name: 'a number with a comment: LXC refuses it',
      config: 'lxc.uts.name = c1\nlxc.tty.max = 0 # no ttys\n',
      errors: [{ messageId: 'inlineComment', line: 2, column: 17, severity: 'error', message: 'lxc.tty.max: LXC has no inline comments, so its value is "0 # no ttys", not "0" and LXC refuses it (the config does not load); move "# no ttys" to its own line' }],
      output: null,
      suggestionOutput: { config: 'lxc.uts.name = c1\n# no ttys\nlxc.tty.max = 0\n' },
    },
    {
      name: 'a string keeps the comment: indentation and CRLF kept',
      config: '\tlxc.uts.name = web # the web server\r\n',
      errors: [{ messageId: 'inlineComment', severity: 'warning', message: /its value is "web # the web server", not "web"/ }],
      suggestionOutput: { config: '\t# the web server\r\n\tlxc.uts.name = web\r\n' },
    },
    {
      name: 'nothing before the comment',
      config: 'lxc.pty.max = # none\n',
      errors: [{ messageId: 'inlineComment', column: 15 }],
      suggestionOutput: { config: '# none\nlxc.pty.max =\n' },
    },
    {
      name: 'the console is not disabled by "none # off"',
      config: 'lxc.console.path = none # off\n',
      errors: [{ messageId: 'inlineComment', message: /its value is "none # off", not "none"; move "# off"/ }],
      suggestionOutput: { config: '# off\nlxc.console.path = none\n' },
    },
    {
      name: 'a comment within the first four fields of a mount entry becomes a field',
      config: 'lxc.mount.entry = tmpfs tmp # scratch\n',
      errors: [{ messageId: 'inlineComment', line: 1 }],
      suggestionOutput: { config: '# scratch\nlxc.mount.entry = tmpfs tmp\n' },
    },
    {
      name: 'the quoted-values fixture: an environment variable',
      config: QUOTED,
      errors: [{ messageId: 'inlineComment', line: 5, severity: 'warning', message: /^lxc\.environment: .*not "MOTD=Welcome"/ }],
      suggestionOutput: {
        config: QUOTED.replace(
          'lxc.environment = MOTD=Welcome # part of the value: LXC has no inline comments\n',
          '# part of the value: LXC has no inline comments\nlxc.environment = MOTD=Welcome\n',
        ),
      },
    },
    {
      name: 'lxc.hook.version is a number, not a hook command',
      config: 'lxc.hook.version = 1 # env variables',
      errors: [{ messageId: 'inlineComment', severity: 'error' }],
      suggestionOutput: { config: '# env variables\nlxc.hook.version = 1' },
    },
    {
      name: 'tabs before the comment',
      config: 'lxc.uts.name = a\t\t# x\n',
      errors: [{ messageId: 'inlineComment', column: 19 }],
      suggestionOutput: { config: '# x\nlxc.uts.name = a\n' },
    },
  ],
});
