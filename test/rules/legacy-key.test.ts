import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import rule from '../../rules/legacy-key.js';
import { RuleTester, type InvalidCase } from '../helpers/rule-tester.js';
import { REPO } from '../helpers/cli.js';
import { parseLxcDocument } from '../../src/config/lxc-document.js';
import { checkKey } from '../../src/config/known-keys.js';

const read = (...parts: string[]) => readFileSync(path.join(REPO, 'fixtures', ...parts), 'utf8');

/** `text` with each [from, to] replaced once; a `from` that is not there is a broken test. */
function edited(text: string, changes: [string, string][]): string {
  for (const [from, to] of changes) {
    assert.ok(text.includes(from), `expected '${from}' in the fixture`);
    text = text.replace(from, to);
  }
  return text;
}

const SEED = read('containers', 'seed', 'config');
const SEED_FIXED = edited(SEED, [
  ['lxc.utsname = test-lxc', 'lxc.uts.name = test-lxc'],
  ['lxc.network.type = veth', 'lxc.net.0.type = veth'],
  ['lxc.network.flags = up', 'lxc.net.0.flags = up'],
  ['lxc.network.link = br0', 'lxc.net.0.link = br0'],
  ['lxc.network.name = eth0', 'lxc.net.0.name = eth0'],
  ['lxc.mount = /root/test-lxc/etc/fstab', 'lxc.mount.fstab = /root/test-lxc/etc/fstab'],
  ['lxc.rootfs = /root/test-lxc-root/', 'lxc.rootfs.path = /root/test-lxc-root/'],
  ['lxc.console = none', 'lxc.console.path = none'],
  ['lxc.tty = 0', 'lxc.tty.max = 0'],
]);

// The distribution include replaced by a stand-in beside the config, so the case does not depend on this machine's LXC.
const LXC2 = read('configs', 'legacy-lxc2.conf').replace('/usr/share/lxc/config/debian.common.conf', 'debian.common.conf');
const LXC2_FIXED = edited(LXC2, [
  ['lxc.network.type = veth', 'lxc.net.0.type = veth'],
  ['lxc.network.link = lxcbr0', 'lxc.net.0.link = lxcbr0'],
  ['lxc.network.flags = up', 'lxc.net.0.flags = up'],
  ['lxc.network.hwaddr = ', 'lxc.net.0.hwaddr = '],
  ['lxc.network.veth.pair = ', 'lxc.net.0.veth.pair = '],
  ['lxc.rootfs = /var/lib/lxc/web01/rootfs\nlxc.rootfs.backend = dir\n', 'lxc.rootfs.path = dir:/var/lib/lxc/web01/rootfs\n'],
  ['lxc.mount = ', 'lxc.mount.fstab = '],
  ['lxc.utsname = web01', 'lxc.uts.name = web01'],
  ['lxc.kmsg = 0\n', ''],
  ['lxc.tty = 4', 'lxc.tty.max = 4'],
  ['lxc.pts = 1024', 'lxc.pty.max = 1024'],
  ['lxc.aa_profile = ', 'lxc.apparmor.profile = '],
  ['lxc.loglevel = 1', 'lxc.log.level = 1'],
  ['lxc.logfile = ', 'lxc.log.file = '],
]);

const MIXED = read('configs', 'networks-mixed.conf');
const MIXED_FIXED = edited(MIXED, [
  ['lxc.network.0.type', 'lxc.net.0.type'],
  ['lxc.network.0.link', 'lxc.net.0.link'],
  ['lxc.network.0.flags', 'lxc.net.0.flags'],
  ['lxc.network.0.ipv4 =', 'lxc.net.0.ipv4.address ='],
  ['lxc.network.type = macvlan', 'lxc.net.1.type = macvlan'],
  ['lxc.network.macvlan.mode', 'lxc.net.1.macvlan.mode'],
  ['lxc.network.link = eth1', 'lxc.net.1.link = eth1'],
  ['lxc.network.ipv4 =', 'lxc.net.1.ipv4.address ='],
  ['lxc.network.type = empty', 'lxc.net.2.type = empty'],
]);

const COMPLEX = read('configs', 'real', '07-lxc1.0-example-complex.conf');
const COMPLEX_FIXED = edited(
  COMPLEX,
  ([['lxc.utsname', 'lxc.uts.name']] as [string, string][]).concat(
    [0, 1, 2].flatMap((n): [string, string][] => [
      ['lxc.network.type', `lxc.net.${n}.type`],
      ['lxc.network.flags', `lxc.net.${n}.flags`],
      ['lxc.network.link', `lxc.net.${n}.link`],
      ['lxc.network.hwaddr', `lxc.net.${n}.hwaddr`],
      ['lxc.network.ipv4 =', `lxc.net.${n}.ipv4.address =`],
      ['lxc.network.ipv6 =', `lxc.net.${n}.ipv6.address =`],
    ]),
  ),
);

const COMMON2 = read('configs', 'real', '04-lxc2.0-common.conf');
const COMMON2_FIXED = edited(COMMON2, [
  ['lxc.devttydir = lxc', 'lxc.tty.dir = lxc'],
  ['lxc.pts = 1024', 'lxc.pty.max = 1024'],
  ['lxc.tty = 4', 'lxc.tty.max = 4'],
  ['lxc.pivotdir = lxc_putold\n', ''],
  ['lxc.seccomp = ', 'lxc.seccomp.profile = '],
]);

const PELAGI = read('configs', 'real', '15-pelagicontain.conf');
const PELAGI_FIXED = edited(PELAGI, [
  ['lxc.utsname=contained', 'lxc.uts.name=contained'],
  ['lxc.network.type = veth', 'lxc.net.0.type = veth'],
  ['lxc.network.link', 'lxc.net.0.link'],
  ['lxc.network.flags', 'lxc.net.0.flags'],
  ['lxc.tty = 1', 'lxc.tty.max = 1'],
  ['lxc.pts = 1', 'lxc.pty.max = 1'],
]);

const STANDIN = { 'debian.common.conf': '# stand-in for the distribution file\n' };
const REFUSED = /is a pre-2\.1 key: LXC 6\.0 refuses the config \("Unsupported config key"\)/;

const goldens: InvalidCase[] = [
  {
    name: "the CRIU wiki's container (seed)",
    config: SEED,
    files: { fstab: read('containers', 'seed', 'fstab') },
    errors: [2, 3, 4, 5, 6, 7, 8, 9, 10].map((line) => ({ messageId: 'legacyKey', file: 'config', line, column: 1, severity: 'error' as const, message: REFUSED })),
    output: { config: SEED_FIXED },
    suggestionOutput: null,
  },
  {
    name: 'an LXC 2.0 Debian container (backend, kmsg, unnumbered network)',
    config: LXC2,
    files: STANDIN,
    errors: [10, 11, 12, 13, 14, 15, 16, 22, 23, 26, 27, 28, 29, 33, 34].map((line) => ({ messageId: 'legacyKey', line })),
    output: { config: LXC2_FIXED },
  },
  {
    name: 'numbered and unnumbered networks mixed',
    config: MIXED,
    errors: [
      { messageId: 'legacyKey', line: 2, message: /rename it to lxc\.net\.0\.type$/ },
      { messageId: 'legacyKey', line: 3 },
      { messageId: 'legacyKey', line: 4 },
      { messageId: 'legacyKey', line: 5, message: /rename it to lxc\.net\.0\.ipv4\.address \(lxc-update-config would write lxc\.net\.0\.ipv4, which LXC 3\+ refuses\)$/ },
      { messageId: 'legacyKey', line: 6, message: /rename it to lxc\.net\.1\.type \(lxc-update-config would number it lxc\.net\.0, merging it into another network: it does not skip the numbered network 0\)$/ },
      { messageId: 'legacyKey', line: 7 },
      { messageId: 'legacyKey', line: 8 },
      { messageId: 'legacyKey', line: 9, message: /lxc\.net\.1\.ipv4\.address/ },
      { messageId: 'legacyKey', line: 10, message: /rename it to lxc\.net\.2\.type \(lxc-update-config would number it lxc\.net\.1, merging it into another network\)$/ },
    ],
    output: { config: MIXED_FIXED },
  },
  { name: "LXC 1.0's complex example: three unnumbered networks", config: COMPLEX, errors: Array.from({ length: 19 }, () => ({ messageId: 'legacyKey' })), output: { config: COMPLEX_FIXED } },
  {
    name: "LXC 2.0's common.conf: pivotdir deleted, comments untouched",
    config: COMMON2,
    errors: [5, 8, 11, 17, 55].map((line) => ({ messageId: 'legacyKey', line })),
    output: { config: COMMON2_FIXED },
  },
  { name: 'an embedded config without spaces around =', config: PELAGI, errors: [2, 3, 4, 5, 8, 9].map((line) => ({ messageId: 'legacyKey', line })), output: { config: PELAGI_FIXED } },
];

new RuleTester().run(rule, {
  valid: [
    { name: 'current keys', config: 'lxc.uts.name = c1\nlxc.net.0.type = veth\nlxc.tty.max = 0\nlxc.prlimit.nofile = 1024\n' },
    { name: 'commented-out legacy lines are not keys', config: '#lxc.aa_profile = unconfined\n  # lxc.tty = 4\n#lxc.network.type = veth\n' },
    { name: 'judged for LXC 2.0, legacy keys are the current names', lxcVersion: '2.0', config: 'lxc.tty = 4\nlxc.network.type = veth\nlxc.network.ipv4 = 10.0.0.2/24\n' },
    { name: 'an unknown lxc.network sub-key is unknown-key\'s, not a legacy key', config: 'lxc.network.0.bogus = 1\n' },
    ...goldens.map((g) => ({ name: `fixed: ${g.name}`, config: (g.output as Record<string, string>).config, files: g.files })),
  ],
  invalid: [
    ...goldens,
    {
      name: 'LXC 2.1 still accepts legacy keys: a warning',
      lxcVersion: '2.1',
      config: 'lxc.tty = 0\n',
      errors: [{ messageId: 'legacyKey', severity: 'warning', message: /^lxc\.tty is a pre-2\.1 key, deprecated since LXC 2\.1 and refused from 3\.0 on; rename it to lxc\.tty\.max$/ }],
      output: { config: 'lxc.tty.max = 0\n' },
    },
    {
      name: 'spacing and value kept',
      config: '  lxc.utsname\t=  "web 01"  \r\n',
      errors: [{ messageId: 'legacyKey', column: 3 }],
      output: { config: '  lxc.uts.name\t=  "web 01"  \r\n' },
    },
    {
      name: 'in an included file: the edit lands there',
      config: 'lxc.include = common.conf\nlxc.uts.name = c1\n',
      files: { 'common.conf': 'lxc.tty = 0\n' },
      errors: [{ messageId: 'legacyKey', file: 'common.conf', line: 1 }],
      output: { 'common.conf': 'lxc.tty.max = 0\n' },
    },
    {
      name: 'a prefixed lxc.rootfs gets no second prefix',
      config: 'lxc.rootfs = overlayfs:/var/lib/lxc/base/rootfs:/var/lib/lxc/c1/delta0\n',
      errors: [{ messageId: 'legacyKey', message: /second prefix \(dir:overlayfs:/ }],
      output: { config: 'lxc.rootfs.path = overlayfs:/var/lib/lxc/base/rootfs:/var/lib/lxc/c1/delta0\n' },
    },
    {
      name: 'lxc.rootfs.backend not on the last line still prefixes the path',
      config: 'lxc.rootfs = /var/lib/lxc/c1/rootfs\nlxc.rootfs.backend = btrfs\nlxc.utsname = c1\n',
      errors: [{ messageId: 'legacyKey', line: 1 }, { messageId: 'legacyKey', line: 2, message: /delete the line \(lxc-update-config honours lxc\.rootfs\.backend only on the last line of the file and would write dir:\/var\/lib\/lxc\/c1\/rootfs\)$/ }, { messageId: 'legacyKey', line: 3 }],
      output: { config: 'lxc.rootfs.path = btrfs:/var/lib/lxc/c1/rootfs\nlxc.uts.name = c1\n' },
    },
    {
      name: 'a quoted rootfs and a backend on a last line without newline',
      config: 'lxc.rootfs = "/srv/c1"\nlxc.rootfs.backend = dir',
      errors: [{ messageId: 'legacyKey', line: 1 }, { messageId: 'legacyKey', line: 2 }],
      output: { config: 'lxc.rootfs.path = "dir:/srv/c1"' },
    },
    {
      name: 'lxc.limit.* (left alone by lxc-update-config)',
      config: 'lxc.limit.nofile = 4096\nlxc.limit = \n',
      errors: [{ messageId: 'legacyKey', line: 1, message: /rename it to lxc\.prlimit\.nofile \(lxc-update-config leaves lxc\.limit\.\* unconverted\)$/ }, { messageId: 'legacyKey', line: 2 }],
      output: { config: 'lxc.prlimit.nofile = 4096\nlxc.prlimit = \n' },
    },
    {
      name: 'a commented-out type line shifts lxc-update-config\'s numbering, not ours',
      config: 'lxc.network.type = veth\nlxc.network.link = br0\n#lxc.network.type = macvlan\nlxc.network.type = empty\n',
      errors: [{ messageId: 'legacyKey', line: 1 }, { messageId: 'legacyKey', line: 2 }, { messageId: 'legacyKey', line: 4, message: /rename it to lxc\.net\.1\.type \(lxc-update-config would number it lxc\.net\.2: it counts the commented-out type line at line 3\)$/ }],
      output: { config: 'lxc.net.0.type = veth\nlxc.net.0.link = br0\n#lxc.network.type = macvlan\nlxc.net.1.type = empty\n' },
    },
    {
      name: 'an unnumbered key before any type line belongs to no network: no fix',
      config: 'lxc.network.link = br0\nlxc.network.type = veth\n',
      errors: [{ messageId: 'legacyKey', line: 1, message: /rename it by hand \(no lxc\.network\.type line comes before it/ }, { messageId: 'legacyKey', line: 2 }],
      output: { config: 'lxc.network.link = br0\nlxc.net.0.type = veth\n' },
    },
    {
      name: 'clearing the networks',
      config: 'lxc.network.type = veth\nlxc.network.type =\nlxc.network =\nlxc.network.type = macvlan\n',
      errors: [{ messageId: 'legacyKey', line: 1 }, { messageId: 'legacyKey', line: 2 }, { messageId: 'legacyKey', line: 3 }, { messageId: 'legacyKey', line: 4 }],
      output: { config: 'lxc.net.0.type = veth\nlxc.net =\nlxc.net =\nlxc.net.0.type = macvlan\n' },
    },
    {
      name: 'lxc.network.0 next to lxc.net.0 were two networks in LXC 2.1: no fix merges them',
      config: 'lxc.net.0.type = veth\nlxc.network.0.type = macvlan\nlxc.network.0.link = eth1\n',
      errors: [
        { messageId: 'legacyKey', line: 2, message: /rename it by hand \(the config also configures lxc\.net\.0 with current keys, which LXC 2\.1 kept as another network/ },
        { messageId: 'legacyKey', line: 3 },
      ],
      output: null,
    },
    {
      name: 'unnumbered legacy networks skip indexes of current lxc.net.N keys',
      config: 'lxc.net.0.type = veth\nlxc.network.type = macvlan\nlxc.network.link = eth1\n',
      errors: [{ messageId: 'legacyKey', line: 2 }, { messageId: 'legacyKey', line: 3 }],
      output: { config: 'lxc.net.0.type = veth\nlxc.net.1.type = macvlan\nlxc.net.1.link = eth1\n' },
    },
  ],
});

test('legacy-key: every fixed golden is a config LXC 3.0 and 6.0 accept', () => {
  for (const g of goldens) {
    const text = (g.output as Record<string, string>).config;
    for (const entry of parseLxcDocument('config', text).entries) {
      for (const v of [{ major: 3, minor: 0 }, { major: 6, minor: 0 }]) {
        assert.ok(checkKey(entry.key, v).known, `${g.name}: ${entry.key} (line ${entry.line}) is not accepted by LXC ${v.major}.${v.minor}`);
      }
    }
  }
});

/** Whether this machine's LXC loads `config` (with `files` beside it): `lxc-info` exits 0 for a config it loads and 1 ("Failed to load config") otherwise. */
function lxcLoads(config: string, files: Record<string, string> = {}): { ok: boolean; said: string } {
  const lxcpath = mkdtempSync(path.join(tmpdir(), 'ctcr-legacy-'));
  try {
    const dir = path.join(lxcpath, 'c');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'config'), config);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const r = spawnSync('lxc-info', ['-P', lxcpath, '-n', 'c'], { cwd: dir, encoding: 'utf8' });
    return { ok: r.status === 0, said: `${r.stdout}${r.stderr}`.trim() };
  } finally {
    rmSync(lxcpath, { recursive: true, force: true });
    rmSync(path.join('/run/lxc/lock', lxcpath), { recursive: true, force: true }); // lxc-info's lock folder for that lxcpath
  }
}

const lxcInfo = spawnSync('lxc-info', ['--version'], { encoding: 'utf8' });
test('legacy-key: the real LXC refuses each golden before the fix and loads it after', { skip: lxcInfo.status === 0 ? false : 'lxc-info is not installed' }, () => {
  assert.equal(lxcLoads('lxc.bogus.key = 1\n').ok, false, 'lxc-info tells a config it refuses, or this test shows nothing');
  for (const g of goldens) {
    const before = lxcLoads(g.config!, g.files);
    assert.equal(before.ok, false, `${g.name}: LXC ${lxcInfo.stdout.trim()} loads the legacy config, so it is not broken: ${before.said}`);
    const after = lxcLoads((g.output as Record<string, string>).config, g.files);
    assert.ok(after.ok, `${g.name}: LXC ${lxcInfo.stdout.trim()} refuses the fixed config: ${after.said}`);
  }
});
