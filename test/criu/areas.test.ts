/**
 * Every source file of CRIU (v4.2's, and the paths older versions printed)
 * belongs to exactly one area rule, so that an error line no signature knows
 * still names the subsystem that failed (src/criu/areas.ts). The lists of
 * CRIU's files are fixtures copied from CRIU's repository with their tags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaForLine, areaOf } from '../../src/criu/areas.js';
import { explainCriuLog } from '../../src/criu/log.js';
import { BUILTIN_RULES, SIGNATURES } from '../helpers/signatures.js';
import { readFixture } from './fixtures.js';

const listed = (name: string) =>
  readFixture(`criu-sources/${name}`)
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(' ')[0]!);

const v42 = listed('v4.2.txt');
const older = listed('older.txt');
const areaRules = BUILTIN_RULES.filter((r) => r.logArea);
const areas = SIGNATURES.areas!;

test('the fixture lists are CRIU 4.2 and its older paths', () => {
  assert.ok(readFixture('criu-sources/v4.2.txt').startsWith('# source: https://github.com/checkpoint-restore/criu tag v4.2'));
  assert.ok(v42.length > 200, `${v42.length} files in v4.2`);
  assert.ok(v42.includes('criu/sk-unix.c') && v42.includes('compel/src/lib/infect.c'));
  assert.ok(older.includes('sk-unix.c') && older.includes('criu/pie/piegen/main.c'));
});

test('every .c file of CRIU 4.2 is in an area', () => {
  const unmapped = v42.filter((f) => !areas.has(f));
  assert.deepEqual(unmapped, []);
});

test('every file older CRIUs had is in an area', () => {
  assert.deepEqual(older.filter((f) => !areas.has(f)), []);
});

test('no file is in two areas, and every listed file is one of CRIU\'s (no typos)', () => {
  const known = new Set([...v42, ...older]);
  const seen = new Map<string, string>();
  for (const r of areaRules) {
    assert.equal(r.scope, 'log', r.id);
    assert.ok(r.logArea!.files.length > 0, r.id);
    for (const f of r.logArea!.files) {
      // LXC's files are named `lxc:FILE` (lxc-checkpoint-error), apart from CRIU's.
      assert.ok(known.has(f) || f.startsWith('lxc:'), `${r.id}: ${f} is not a file of CRIU`);
      assert.equal(seen.get(f), undefined, `${f} in ${seen.get(f)} and ${r.id}`);
      seen.set(f, r.id);
    }
  }
  assert.ok(areaRules.length >= 15, `${areaRules.length} areas`);
});

test('a printed path finds its file: absolute distro paths, v2 top-level paths, ./ prefixes', () => {
  assert.equal(areaOf(areas, '/usr/src/debug/criu/4.1.1+git/criu/timer.c')?.area.ruleId, 'criu-tasks');
  assert.equal(areaOf(areas, '/usr/src/debug/criu/4.1.1+git/criu/timer.c')?.file, 'criu/timer.c');
  assert.equal(areaOf(areas, 'sk-unix.c')?.area.ruleId, 'criu-sockets');
  assert.equal(areaOf(areas, './criu/tty.c')?.area.ruleId, 'criu-ttys');
  assert.equal(areaOf(areas, 'criu/arch/x86/crtools.c')?.area.ruleId, 'criu-parasite');
  assert.equal(areaOf(areas, 'criu/arch/x86/cpu.c')?.area.ruleId, 'criu-cpu');
  assert.equal(areaOf(areas, 'lxc/criu.c'), undefined, "LXC's criu.c is not CRIU's");
  assert.equal(areaOf(areas, 'criu/no-such-file.c'), undefined);
});

test('an unknown message names the area of its file, with the file and the area rule\'s guidance', () => {
  const log = [
    '(00.010000) Dumping processes (pid: 1234)',
    "(00.012345) Error (/usr/src/debug/criu-3.17/criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1",
    '(00.012400) Error (criu/cr-dump.c:1681): Dump files (pid: 1) failed with -1',
    '(00.012500) Error (criu/cr-dump.c:2128): Dumping FAILED.',
  ].join('\n');
  const d = explainCriuLog(log, SIGNATURES).diagnoses[0]!;
  assert.equal(d.ruleId, 'criu-sockets');
  assert.equal(d.line, 2);
  assert.match(d.message, /^CRIU failed in socket dump\/restore \(criu\/sk-unix\.c:279\): unix: Can't resolve fs root/);
  assert.match(d.fix, /tcp-established/);
});

test("an error line of a file that is not CRIU's and names no area's subject, or only the FAILED marker, stays criu-error", () => {
  assert.equal(explainCriuLog('Error (criu/future-subsystem.c:12): boom\nError (criu/cr-dump.c:2128): Dumping FAILED.\n', SIGNATURES).diagnoses[0]?.ruleId, 'criu-error');
  // A newer CRIU's file: the subject of its message still names the area.
  assert.equal(explainCriuLog('Error (criu/landlock.c:12): seccomp: cannot stack the filter\n', SIGNATURES).diagnoses[0]?.ruleId, 'criu-seccomp');
  assert.equal(explainCriuLog('(00.1) Error (criu/cr-dump.c:2128): Dumping FAILED.\n', SIGNATURES).diagnoses[0]?.ruleId, 'criu-error');
});

test('a line from a file serving every subsystem goes to the area its message names; a specific file keeps its own', () => {
  const area = (line: string) => explainCriuLog(`${line}\nError (criu/cr-restore.c:2447): Restoring FAILED.\n`, SIGNATURES).diagnoses[0]?.ruleId;
  assert.equal(area('pie: Error (pie/restorer.c:375): sys_seccomp() returned -22'), 'criu-seccomp');
  assert.equal(area('(00.013005) Error (criu/cr-restore.c:1003): Core march mismatch 2'), 'criu-cpu');
  assert.equal(area('Error (criu/util.c:981): Unable to restore TCP_CORK (1): Operation not supported'), 'criu-sockets');
  assert.equal(area('(00.029267) Error (criu/cr-dump.c:1349): Dump eventpoll (pid: 15786) failed with -1'), 'criu-files');
  assert.equal(area('(00.1) Error (criu/cr-dump.c:1570): Collect mappings (pid: 170650) failed with -1'), 'criu-memory');
  assert.equal(area('(00.1) Error (criu/pstree.c:386): Current sid 1 intersects with pid (1) in images'), 'criu-tasks', 'no other subject named: the file\'s area');
  // sk-unix.c is the sockets area's own file: a word of another area in its message does not move it.
  assert.equal(area("Error (criu/sk-unix.c:279): unix: Can't resolve fs root for pid 1 (mount namespace)"), 'criu-sockets');
});

test('on restore the first error of the task whose end failed it is the root, past an error the main process survived', () => {
  const log = [
    '(00.000167) Error (sysctl.c:142): Can\'t open sysctl net/ipv4/tcp_rmem: No such file or directory',
    '(00.005886)     48: Error (fsnotify.c:486): fsnotify: Can\'t add watch for 0x3 with 0x1: Invalid argument',
    '(00.006307) Error (cr-restore.c:1234): 48 exited, status=1',
    '(00.006335) Error (cr-restore.c:1933): Restoring FAILED.',
  ].join('\n');
  const d = explainCriuLog(log, SIGNATURES).diagnoses[0]!;
  assert.equal(d.line, 2);
  assert.equal(d.ruleId, 'criu-files');
  // Without the task's end, the first error stays the root.
  const noEnd = log.split('\n').filter((l) => !l.includes('exited')).join('\n');
  assert.equal(explainCriuLog(noEnd, SIGNATURES).diagnoses[0]!.line, 1);
});

test("a strerror text names no area: \"No such file or directory\" does not move a /proc error to the files area", () => {
  const d = explainCriuLog('(00.000502) Error (criu/proc_parse.c:2600): Can\'t open 2833428/task/2833428/children on procfs: No such file or directory\n', SIGNATURES).diagnoses[0]!;
  assert.equal(d.ruleId, 'criu-tasks');
});

test("LXC's lines name LXC's area, never one of CRIU's files of the same name", () => {
  assert.equal(areaForLine(areas, 'criu.c', 'dump failed with 1', 'lxc')?.area.ruleId, 'lxc-checkpoint-error');
  assert.equal(areaForLine(areas, 'cgroups/cgfsng.c', 'Failed to create cgroup', 'lxc')?.area.ruleId, 'lxc-checkpoint-error');
  assert.notEqual(areaForLine(areas, 'cgroup.c', 'cg: failed', 'criu')?.area.ruleId, 'lxc-checkpoint-error');
  // lxc-checkpoint's stderr as GitHub Actions prints it, with a timestamp before each line.
  const ci = '2021-04-15T18:52:48.0085803Z lxc-checkpoint: lxc-test-criu: criu.c: do_dump: 1279 dump failed with 1\n2021-04-15T18:52:48.0091575Z lxc-checkpoint: lxc-test-criu: tools/lxc_checkpoint.c: checkpoint: 184 Checkpointing lxc-test-criu failed\n';
  const d = explainCriuLog(ci, SIGNATURES).diagnoses[0]!;
  assert.equal(d.ruleId, 'lxc-checkpoint-error');
  assert.equal(d.line, 1);
});
