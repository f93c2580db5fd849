import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCascade, isNoise, parseCriuLog, sourceIs } from '../../src/criu/log-lines.js';

const one = (text: string) => parseCriuLog(text).lines[0]!;

test('an -v4 error line: timestamp, file, line, prefix, message', () => {
  const l = one("(00.118198) Error (criu/sockets.c:640): sockets: Can't get 1:16 opt: Operation not supported");
  assert.equal(l.level, 'error');
  assert.equal(l.origin, 'criu');
  assert.equal(l.timestamp, 0.118198);
  assert.equal(l.file, 'criu/sockets.c');
  assert.equal(l.sourceLine, 640);
  assert.equal(l.prefix, 'sockets');
  assert.equal(l.message, "sockets: Can't get 1:16 opt: Operation not supported");
});

test('a -v2 line without timestamp, and a warning with two spaces', () => {
  const e = one("Error (criu/tty.c:2306): tty: Unable to find a master for /3");
  assert.equal(e.level, 'error');
  assert.equal(e.timestamp, undefined);
  const w = one('Warn  (compel/arch/x86/src/lib/infect.c:418): Will restore 873 with interrupted system call');
  assert.equal(w.level, 'warn');
  assert.equal(w.file, 'compel/arch/x86/src/lib/infect.c');
});

test('restore pid prefixes and pie lines', () => {
  const child = one('(00.123498)   1374: Error (criu/sk-inet.c:654): Connected TCP socket in image');
  assert.equal(child.pid, 1374);
  assert.equal(child.message, 'Connected TCP socket in image');
  const pie = one('(00.189574)pie: 1: Error (criu/pie/restorer.c:273): Unable to restore capabilities: -1');
  assert.equal(pie.piePid, 1);
  assert.equal(pie.level, 'error');
  const noTs = one('     1: Error (criu/files-reg.c:1189): Can\'t link dev/null.cr.1.ghost -> dev/null: File exists');
  assert.equal(noTs.pid, 1);
  const info = one('(10.375019)  45917: Restoring resources');
  assert.equal(info.level, 'info');
  assert.equal(info.pid, 45917);
});

test('absolute source paths match by suffix', () => {
  const l = one('(00.01) Error (/usr/src/debug/criu/4.1.1+git/criu/timer.c:120): timerfd: something');
  assert.equal(l.file, '/usr/src/debug/criu/4.1.1+git/criu/timer.c');
  assert.ok(sourceIs(l, 'criu/timer.c'));
  assert.ok(!sourceIs(l, 'r/timer.c'));
  assert.ok(sourceIs(one('Error (mount.c:737): FS mnt /x dev 0x18 root / unsupported'), 'mount.c'));
});

test('pasted text: > quoting, leading blanks, CRLF, podman and zdtm wrapping', () => {
  assert.equal(one('> > (00.1) Error (criu/a.c:1): boom').message, 'boom');
  assert.equal(one('    Error (criu/a.c:1): boom\r').message, 'boom');
  const lines = parseCriuLog('a\r\n(00.2) Error (criu/a.c:1): boom\r\n').lines;
  assert.equal(lines[1]!.line, 2);
  assert.equal(lines[1]!.raw.endsWith('\r'), false);
  assert.equal(one('time="x" level=warning msg="784:(00.025051) Error (criu/sockets.c:640): sockets: Can\'t get 1:16 opt"').level, 'error');
  assert.equal(one(`b"(00.000806) Error (criu/namespaces.c:460): Can't dump nested time namespace for 51"`).file, 'criu/namespaces.c');
});

test('helper and LXC lines', () => {
  const bare = one("Error: Compatible vdso's size is bigger than reserved buf");
  assert.equal(bare.level, 'error');
  assert.equal(bare.origin, 'other');
  const lxcErr = one('lxc-checkpoint: bionic: criu.c: do_dump: 1328 dump failed with 1');
  assert.equal(lxcErr.origin, 'lxc');
  assert.equal(lxcErr.message, 'dump failed with 1');
  const lxcLog = one('lxc-checkpoint example-ubuntu 20190412122351.870 ERROR    criu - criu.c:do_dump:1328 - dump failed with 1');
  assert.equal(lxcLog.origin, 'lxc');
  assert.equal(lxcLog.sourceLine, 1328);
  const tool = one("iptables-restore: invalid option -- 'w'");
  assert.equal(tool.level, 'info');
  assert.equal(tool.origin, 'other');
});

test('terminal markers give action and outcome', () => {
  assert.deepEqual(pick(parseCriuLog('x\nError (criu/cr-dump.c:2128): Dumping FAILED.\n')), { action: 'dump', outcome: 'failed', terminal: 2 });
  assert.deepEqual(pick(parseCriuLog('(00.1) Dumping finished successfully')), { action: 'dump', outcome: 'succeeded', terminal: 1 });
  assert.deepEqual(pick(parseCriuLog('(00.1) Restore finished successfully. Tasks resumed.')), { action: 'restore', outcome: 'succeeded', terminal: 1 });
  assert.deepEqual(pick(parseCriuLog('Error (criu/cr-restore.c:2324): Restoring FAILED.')), { action: 'restore', outcome: 'failed', terminal: 1 });
  assert.deepEqual(pick(parseCriuLog('Error (criu/cr-dump.c:1): Pre-dumping FAILED.')), { action: 'pre-dump', outcome: 'failed', terminal: 1 });
  assert.deepEqual(pick(parseCriuLog('(00.000046) Dumping processes (pid: 2381)\n(00.1) Error (criu/x.c:1): y')), { action: 'dump', outcome: 'unknown', terminal: undefined });
});

function pick(log: ReturnType<typeof parseCriuLog>) {
  return { action: log.action, outcome: log.outcome, terminal: log.terminal?.line };
}

test('the CRIU version CRIU logs at -v4', () => {
  assert.equal(parseCriuLog('(00.000000) Version: 4.1.1 (gitid 0)\n').criuVersion?.text, '4.1.1');
  assert.equal(parseCriuLog('nothing').criuVersion, undefined);
});

test('noise and cascade lists', () => {
  assert.ok(isNoise(one("Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted")));
  assert.ok(!isNoise(one('Error (criu/tty.c:1): tty: Unable to find a master for /4')));
  for (const m of [
    'Dump files (pid: 873) failed with -1',
    'Collect mappings (pid: 1) failed with -1',
    "Can't infect (pid: 23538) with parasite",
    'Unable to open fd=3 id=0x10',
    "mnt: A few mount points can't be mounted",
    '1371 killed by signal 9: Killed',
    'exited, status=1',
    'Killing processes because of failure on restore.',
    'Could not initialize kernel features detection.',
  ]) {
    assert.ok(isCascade(one(`Error (criu/x.c:1): ${m}`)), m);
  }
  assert.ok(!isCascade(one("Error (criu/x.c:1): Can't fork for 15047: File exists")));
});

test('classifying a line costs time linear in its length: a long run of digits or of non-blanks is not rescanned from every start', () => {
  const n = 200_000;
  for (const body of ['7'.repeat(n), '7'.repeat(n) + ' killed by signa', 'x'.repeat(n), '7:'.repeat(n / 2)]) {
    const log = parseCriuLog(`(00.000100) Error (criu/cr-dump.c:1234): ${body}\n`);
    const line = log.lines[0]!;
    const t0 = performance.now();
    isCascade(line);
    isNoise(line);
    const took = performance.now() - t0;
    // Quadratic patterns take tens of seconds here; linear ones a few milliseconds.
    assert.ok(took < 1000, `${body.slice(0, 12)}... (${body.length} characters): ${took.toFixed(0)} ms`);
  }
});

test("zdtm's b'...' and runc's msg=\"...\" wrappings are not part of the message", () => {
  const zdtm = parseCriuLog(`b"(00.013141) Error (soccr/soccr.c:94): Can't turn TCP repair mode ON: Operation not permitted"`).lines[0]!;
  assert.equal(zdtm.message, "Can't turn TCP repair mode ON: Operation not permitted");
  assert.equal(zdtm.file, 'soccr/soccr.c');
  const tab = parseCriuLog("b'(00.051039)      1: mnt-v2: \\tMounting unsupported @994 (0)'").lines[0]!;
  assert.equal(tab.message, 'mnt-v2: \tMounting unsupported @994 (0)');
  const runc = parseCriuLog('time="2026-04-01T21:18:58Z" level=warning msg="723:(00.016761) Error (criu/page-xfer.c:299): page-xfer: Missing 7faf0323b000 in parent pagemap"').lines[0]!;
  assert.equal(runc.message, 'page-xfer: Missing 7faf0323b000 in parent pagemap');
});
