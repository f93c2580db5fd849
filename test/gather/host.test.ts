import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ExecResult } from '../../src/gather/exec.js';
import { gatherHost, HOST_TOOLS, parseFeatureAnswer } from '../../src/gather/host.js';
import { defaultLxcpath, isContainerName, lxcpathFromGlobalConfig } from '../../src/gather/lxcpath.js';
import { liveFixture } from './fixtures.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ctcr-host-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/**
 * A folder of fake programs; each replays recorded output for the arguments it
 * is given (on stderr with `stderr`: criu logs Error/Warn lines there, results on stdout).
 */
function fakeBin(programs: Record<string, { args: string; fixture?: string; text?: string; exit?: number; sleep?: number; stderr?: boolean }[]>): string {
  const dir = path.join(scratch, `bin${counter++}`);
  mkdirSync(dir);
  for (const [name, cases] of Object.entries(programs)) {
    const lines = ['#!/bin/sh', 'case "$*" in'];
    cases.forEach((c, i) => {
      const out = path.join(dir, `${name}.${i}.out`);
      writeFileSync(out, c.fixture ? liveFixture(c.fixture) : c.text ?? '');
      lines.push(`  ${c.args === '*' ? '*' : JSON.stringify(c.args)}) ${c.sleep ? `sleep ${c.sleep}; ` : ''}cat '${out}'${c.stderr ? ' >&2' : ''}; exit ${c.exit ?? 0};;`);
    });
    lines.push('esac', 'echo "fake: unexpected arguments: $*" >&2', 'exit 99');
    writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

/** PATH with the fakes first, then the system folders (sh, cat, sleep). */
const withFakes = (dir: string) => ({ PATH: `${dir}:/usr/sbin:/usr/bin:/sbin:/bin` });

describe('gatherHost on this machine', () => {
  test('kernel, cgroups, bridges and AppArmor are read and agree with other ways of asking', async (t) => {
    const t0 = performance.now();
    const host = await gatherHost({ env: process.env, timeoutMs: 5000 });
    const took = performance.now() - t0;

    assert.ok(host.kernel.ok, JSON.stringify(host.kernel));
    assert.equal(host.kernel.value.release, os.release());
    assert.equal(host.kernel.value.arch, os.machine());
    assert.equal(host.kernel.value.version.major, Number(os.release().split('.')[0]));

    // /proc/mounts is a different file from the mountinfo gatherHost reads.
    const fstypes = new Set(readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[2]));
    const expectedLayout = fstypes.has('cgroup') && fstypes.has('cgroup2') ? 'hybrid' : fstypes.has('cgroup') ? 'v1' : fstypes.has('cgroup2') ? 'v2' : 'none';
    assert.ok(host.cgroups.ok, JSON.stringify(host.cgroups));
    assert.equal(host.cgroups.value.layout, expectedLayout);

    assert.ok(host.bridges.ok, JSON.stringify(host.bridges));
    const ipBridges = execFileSync('ip', ['-o', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' })
      .split('\n').filter((l) => l.trim()).map((l) => l.split(':')[1].trim().replace(/@.*/, '')).sort();
    assert.deepEqual(host.bridges.value, ipBridges);

    assert.ok(host.apparmor.ok, JSON.stringify(host.apparmor));
    assert.equal(host.apparmor.value.securityfs, existsSync('/sys/kernel/security/apparmor'));
    assert.equal(host.apparmor.value.enabled, host.apparmor.value.securityfs);
    const moduleFile = '/sys/module/apparmor/parameters/enabled';
    assert.equal(host.apparmor.value.moduleEnabled, existsSync(moduleFile) ? readFileSync(moduleFile, 'utf8').trim() === 'Y' : null);

    // The host mount table, as /proc/self/mountinfo lists it: / and /proc are in every one.
    assert.ok(host.mounts?.ok, JSON.stringify(host.mounts));
    const mountLines = readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n');
    assert.equal(host.mounts.value.length, mountLines.length);
    assert.ok(host.mounts.value.some((m) => m.mountPoint === '/proc' && m.fstype === 'proc' && m.root === '/'), 'proc at /proc');
    assert.ok(host.mounts.value.some((m) => m.mountPoint === '/'), 'a root mount');

    assert.ok(host.tools.ok);
    assert.deepEqual(Object.keys(host.tools.value), [...HOST_TOOLS]);
    assert.equal(host.tools.value.tar, execFileSync('sh', ['-c', 'command -v tar'], { encoding: 'utf8' }).trim());
    assert.ok(host.criu.ok, `criu must be found or absent, not unknown: ${JSON.stringify(host.criu)}`);
    assert.deepEqual(Object.keys(host.timings ?? {}).sort(), ['apparmor', 'bridges', 'cgroups', 'criu', 'ip', 'kernel', 'lxc', 'mounts', 'tools']);
    assert.equal(host.euid, process.geteuid?.());
    const criuMs = host.timings?.criu ?? NaN;
    t.diagnostic(`gatherHost: ${took.toFixed(0)} ms in all, criu probes ${criuMs} ms, timings ${JSON.stringify(host.timings)}`);
  });

  test('without criu, ip or LXC on PATH: null values, not failures', async () => {
    const host = await gatherHost({ env: { PATH: '/nonexistent' }, timeoutMs: 2000 });
    assert.deepEqual(host.criu, { ok: true, value: null });
    assert.deepEqual(host.ip, { ok: true, value: null });
    assert.deepEqual(host.lxc, { ok: true, value: null });
    assert.ok(host.tools.ok);
    assert.ok(Object.values(host.tools.value).every((p) => p === null));
    assert.ok(host.kernel.ok);
    assert.equal(host.env.PATH, '/nonexistent');
  });

  test('a criu that hangs becomes "timed out", quickly, and the other facts still answer', async () => {
    const bin = fakeBin({ criu: [{ args: '*', sleep: 30 }] });
    const t0 = performance.now();
    const host = await gatherHost({ env: withFakes(bin), timeoutMs: 200 });
    const took = performance.now() - t0;
    assert.equal(host.criu.ok, false);
    // Either the probe's own limit (200 ms) or the gatherer's outer one fires first, depending on load.
    assert.match(!host.criu.ok ? host.criu.reason : '', /^criu: (criu (--version|check.*) )?timed out after \d+ ms/);
    assert.ok(took < 3000, `gatherHost returned after ${Math.round(took)} ms`);
    assert.ok(host.kernel.ok && host.cgroups.ok && host.tools.ok);
  });
});

describe('criu facts from the real criu', () => {
  const criu = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v criu'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  const skip = !criu ? 'criu is not on PATH' : process.geteuid?.() !== 0 ? 'criu check needs root' : false;

  test('version and `criu check` agree with running criu directly; a CRIU_CONFIG_FILE meant for one command does not sink `criu check`', { skip }, async () => {
    const status = (env: NodeJS.ProcessEnv): number => {
      try {
        execFileSync(criu, ['check'], { env, stdio: 'ignore' });
        return 0;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    const version = /Version:\s*(\S+)/.exec(execFileSync(criu, ['--version'], { encoding: 'utf8' }))?.[1];
    const host = await gatherHost({ env: process.env, timeoutMs: 20_000 });
    assert.ok(host.criu.ok && host.criu.value, JSON.stringify(host.criu));
    assert.equal(host.criu.value.path, criu);
    assert.equal(host.criu.value.version.text, version);
    assert.equal(host.criu.value.checkExitCode, status(process.env));
    assert.equal(host.criu.value.checkOk, status(process.env) === 0);

    // A restore-only option: criu itself refuses `check` with it (measured: "--inherit-fd is restore-only option").
    const conf = path.join(scratch, 'restore-only.conf');
    writeFileSync(conf, 'inherit-fd fd[1]:x\n');
    const env = { ...process.env, CRIU_CONFIG_FILE: conf };
    assert.notEqual(status(env), 0, 'criu check fails with the file set, or this test shows nothing');
    const withFile = await gatherHost({ env, timeoutMs: 20_000 });
    assert.ok(withFile.criu.ok && withFile.criu.value);
    assert.equal(withFile.criu.value.checkOk, host.criu.value.checkOk);
    assert.equal(withFile.env.CRIU_CONFIG_FILE, conf, 'the file is still recorded as a fact');
  });
});

describe('criu facts from recorded outputs', () => {
  test('criu 4.2.1 on this kernel: version, "Looks good.", a supported, an unsupported and an unknown feature', async () => {
    const bin = fakeBin({
      criu: [
        { args: '--version', fixture: 'criu-4.2.1-version.txt' },
        { args: 'check', fixture: 'criu-4.2.1-check.txt' },
        { args: 'check --feature timens', fixture: 'criu-4.2.1-feature-timens.txt' },
        { args: 'check --feature mem_dirty_track', fixture: 'criu-4.2.1-feature-mem_dirty_track.txt', exit: 1, stderr: true },
        { args: 'check --feature list', fixture: 'criu-4.2.1-feature-list.txt', exit: 1, stderr: true },
      ],
    });
    const host = await gatherHost({ env: withFakes(bin), timeoutMs: 5000, features: ['timens', 'mem_dirty_track', 'list'] });
    assert.ok(host.criu.ok && host.criu.value, JSON.stringify(host.criu));
    const criu = host.criu.value;
    assert.equal(criu.path, path.join(bin, 'criu'));
    assert.deepEqual([criu.version.major, criu.version.minor, criu.version.patch], [4, 2, 1]);
    assert.equal(criu.checkOk, true);
    assert.equal(criu.checkExitCode, 0);
    assert.equal(criu.checkOutput, 'Looks good.');
    assert.deepEqual(criu.features, { timens: true, mem_dirty_track: false, list: false });
    assert.deepEqual(criu.unknownFeatures, ['list']);
    assert.equal(criu.featureErrors, undefined);
  });

  test('criu 3.17.1 on kernel 6.18: check fails on the vDSO, and no feature can be told', async () => {
    const bin = fakeBin({
      criu: [
        { args: '--version', fixture: 'criu-3.17.1-version.txt' },
        { args: 'check', fixture: 'criu-3.17.1-check.txt', exit: 1, stderr: true },
        { args: 'check --feature timens', fixture: 'criu-3.17.1-feature-timens.txt', exit: 1, stderr: true },
        { args: 'check --feature bogus_xyz', fixture: 'criu-3.17.1-feature-unknown.txt', exit: 1, stderr: true },
      ],
    });
    const host = await gatherHost({ env: withFakes(bin), timeoutMs: 5000, features: ['timens', 'bogus_xyz'] });
    assert.ok(host.criu.ok && host.criu.value, JSON.stringify(host.criu));
    const criu = host.criu.value;
    assert.equal(criu.version.text, '3.17.1');
    assert.equal(criu.checkOk, false);
    assert.equal(criu.checkExitCode, 1);
    assert.match(criu.checkOutput, /vdso: Unexpected rt vDSO area bounds/);
    assert.deepEqual(criu.features, { bogus_xyz: false });
    assert.deepEqual(criu.unknownFeatures, ['bogus_xyz']);
    assert.deepEqual(criu.featureErrors, { timens: 'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds' });
  });

  test('"Looks good but some kernel features are missing" is not a passing check', async () => {
    const bin = fakeBin({
      criu: [
        { args: '--version', fixture: 'criu-version-gitid.txt' },
        { args: 'check', fixture: 'criu-check-looks-good-but.txt', exit: 1 },
      ],
    });
    const host = await gatherHost({ env: withFakes(bin), timeoutMs: 5000, features: [] });
    assert.ok(host.criu.ok && host.criu.value);
    assert.equal(host.criu.value.checkOk, false);
    assert.equal(host.criu.value.gitId, 'v3.19-48-g0b2d5e5b1');
    assert.deepEqual(host.criu.value.features, {});
  });

  test('a criu whose --version fails or prints no version is a fact that could not be determined', async () => {
    const broken = fakeBin({ criu: [{ args: '--version', text: 'criu: error while loading shared libraries: libnet.so.1\n', exit: 127 }, { args: '*', text: '' }] });
    const host = await gatherHost({ env: withFakes(broken), timeoutMs: 5000, features: [] });
    assert.equal(host.criu.ok, false);
    assert.match(!host.criu.ok ? host.criu.reason : '', /^criu: criu --version exited with code 127: criu: error while loading shared libraries/);
    const odd = fakeBin({ criu: [{ args: '--version', text: 'hello\n' }, { args: '*', text: '' }] });
    const host2 = await gatherHost({ env: withFakes(odd), timeoutMs: 5000, features: [] });
    assert.match(!host2.criu.ok ? host2.criu.reason : '', /cannot read a version in the output of .*criu --version: "hello"/);
  });
});

describe('ip, LXC, sysfs and /proc from elsewhere', () => {
  test('CR_IP_TOOL names the ip CRIU runs; an old snapshot date maps to its release', async () => {
    const bin = fakeBin({ 'my-ip': [{ args: '-V', fixture: 'ip-V-snapshot.txt' }], ip: [{ args: '-V', fixture: 'ip-V-current.txt' }] });
    const host = await gatherHost({ env: { ...withFakes(bin), CR_IP_TOOL: 'my-ip' }, timeoutMs: 5000, features: [] });
    assert.ok(host.ip.ok && host.ip.value, JSON.stringify(host.ip));
    assert.equal(host.ip.value.path, path.join(bin, 'my-ip'));
    assert.equal(host.ip.value.fromEnv, true);
    assert.equal(host.ip.value.snapshot, '130716');
    assert.deepEqual([host.ip.value.version?.major, host.ip.value.version?.minor], [3, 10]);
    assert.equal(host.env.CR_IP_TOOL, 'my-ip');
    const plain = await gatherHost({ env: withFakes(bin), timeoutMs: 5000, features: [] });
    assert.ok(plain.ip.ok && plain.ip.value);
    assert.equal(plain.ip.value.raw, 'ip utility, iproute2-6.1.0, libbpf 1.1.2');
    assert.equal(plain.ip.value.version?.text, '6.1.0');
    assert.equal(plain.ip.value.fromEnv, undefined);
  });

  test('LXC: version and tool from lxc-start; lxc-config is not asked (lxcpath.ts resolves the lxcpath once per command)', async () => {
    const bin = fakeBin({
      'lxc-start': [{ args: '--version', text: '4.0.12\n' }],
      'lxc-config': [{ args: 'lxc.lxcpath', text: '/srv/lxc/\n' }],
    });
    const host = await gatherHost({ env: withFakes(bin), timeoutMs: 5000, features: [] });
    assert.deepEqual(host.lxc.ok && host.lxc.value && {
      version: host.lxc.value.version?.text, tool: host.lxc.value.path, keys: Object.keys(host.lxc.value).sort(),
    }, { version: '4.0.12', tool: path.join(bin, 'lxc-start'), keys: ['path', 'version'] });
  });

  test('bridges, AppArmor and cgroups read from another sysfs and procfs', async () => {
    const sys = path.join(scratch, 'sys');
    for (const d of ['class/net/br0/bridge', 'class/net/eth0', 'class/net/lxcbr0/bridge', 'kernel/security/apparmor', 'module/apparmor/parameters']) {
      mkdirSync(path.join(sys, d), { recursive: true });
    }
    writeFileSync(path.join(sys, 'module/apparmor/parameters/enabled'), 'Y\n');
    const proc = path.join(scratch, 'proc');
    mkdirSync(path.join(proc, 'self'), { recursive: true });
    // This machine's mounts without the v1 hierarchies: a pure cgroup2 host.
    const v2only = liveFixture('mountinfo-host.txt').split('\n').filter((l) => !l.includes(' - cgroup cgroup ')).join('\n');
    writeFileSync(path.join(proc, 'self/mountinfo'), v2only);
    const host = await gatherHost({ env: { PATH: '/nonexistent' }, timeoutMs: 5000, sysDir: sys, procDir: proc });
    assert.deepEqual(host.bridges, { ok: true, value: ['br0', 'lxcbr0'] });
    assert.deepEqual(host.apparmor, { ok: true, value: { enabled: true, securityfs: true, moduleEnabled: true } });
    assert.ok(host.cgroups.ok);
    assert.deepEqual([host.cgroups.value.layout, host.cgroups.value.freezerV1], ['v2', null]);
  });

  test('an unreadable sysfs or procfs becomes a reason, not an exception', async () => {
    const host = await gatherHost({ env: { PATH: '/nonexistent' }, timeoutMs: 5000, sysDir: '/nonexistent-sys', procDir: '/nonexistent-proc' });
    assert.deepEqual(host.bridges, { ok: false, reason: 'bridges: no such file or directory (/nonexistent-sys/class/net)' });
    assert.deepEqual(host.cgroups, { ok: false, reason: 'cgroup mounts: no such file or directory (/nonexistent-proc/self/mountinfo)' });
    assert.deepEqual(host.apparmor, { ok: true, value: { enabled: false, securityfs: false, moduleEnabled: null } });
  });
});

describe('pure helpers', () => {
  const result = (exitCode: number | undefined, stdout: string, stderr = '', timedOut = false): ExecResult =>
    ({ ok: exitCode === 0, stdout, stderr, exitCode, reason: timedOut ? 'criu check --feature x timed out after 1 ms' : '', timedOut, durationMs: 1 });

  test('parseFeatureAnswer tells supported, unsupported, unknown and undetermined apart', () => {
    assert.deepEqual(parseFeatureAnswer('timens', result(0, liveFixture('criu-4.2.1-feature-timens.txt'))), { kind: 'supported' });
    assert.equal(parseFeatureAnswer('mem_dirty_track', result(1, '', liveFixture('criu-4.2.1-feature-mem_dirty_track.txt'))).kind, 'unsupported');
    assert.deepEqual(parseFeatureAnswer('bogus_xyz', result(1, '', liveFixture('criu-3.17.1-feature-unknown.txt'))), { kind: 'unknown-feature' });
    assert.deepEqual(parseFeatureAnswer('timens', result(1, '', liveFixture('criu-3.17.1-feature-timens.txt'))),
      { kind: 'undetermined', reason: 'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds' });
    assert.equal(parseFeatureAnswer('x', result(undefined, '', '', true)).kind, 'undetermined');
  });

  test('lxcpath from a global config: last lxc.lxcpath wins, trailing slashes go; LXC\'s defaults otherwise', () => {
    assert.equal(lxcpathFromGlobalConfig('# comment\nlxc.lxcpath = /a\nlxc.lxcpath=/srv/lxc//\n'), '/srv/lxc');
    assert.equal(lxcpathFromGlobalConfig('lxc.default_config = /etc/lxc/default.conf\n'), null);
    assert.equal(defaultLxcpath({}, 0), '/var/lib/lxc');
    assert.equal(defaultLxcpath({ HOME: '/home/u' }, 1000), '/home/u/.local/share/lxc');
  });

  test('a container name is one folder of the lxcpath: no slash, no . or .., nothing a shell misreads', () => {
    for (const ok of ['web1', 'ctcrlab-mwyf-1', 'a.b_c+d']) assert.ok(isContainerName(ok), ok);
    for (const bad of ['', '.', '..', 'a/b', '../etc', 'a b', 'x;y', '$(id)']) assert.ok(!isContainerName(bad), bad);
  });
});
