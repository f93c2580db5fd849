/**
 * gatherContainer on a real LXC container (LXC's stock busybox template in
 * the lab), by both routes: lxc-info, and the monitor process when lxc-info
 * is not on PATH.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gatherContainer, ProcScan } from '../../src/gather/container.js';
import { parseProcStat } from '../../src/gather/procfs.js';
import { lxcTool, processesInPidns, stopContainer } from '../../lab/index.js';
import { labTest, withContainer } from '../helpers/lab.js';

labTest('gatherContainer on a running busybox container, through lxc-info and through its monitor', async (t) => {
  await withContainer(t, async (c) => {
    const t0 = performance.now();
    const facts = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000 });
    t.diagnostic(`gatherContainer: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.equal(facts.stateSource, 'lxc-info');
    assert.equal(facts.state, 'RUNNING');
    assert.equal(facts.initPid, c.initPid);
    assert.equal(facts.defined, true);
    assert.equal(facts.configPath, c.configPath);

    assert.ok(facts.processes.ok, JSON.stringify(facts.processes));
    const expected = processesInPidns(c.initPid).map((p) => p.pid).sort((a, b) => a - b);
    assert.deepEqual(facts.processes.value.map((p) => p.pid), expected);
    assert.ok(facts.processes.value.every((p) => p.inTree));
    assert.equal(facts.processes.value.find((p) => p.pid === c.initPid)?.nspid, 1);

    assert.ok(facts.mountinfo.ok, JSON.stringify(facts.mountinfo));
    const root = facts.mountinfo.value.find((m) => m.mountPoint === '/');
    assert.equal(root?.root, c.rootfs);

    assert.ok(facts.sockets.ok, JSON.stringify(facts.sockets));
    const pids = new Set(expected);
    assert.ok(facts.sockets.value.every((s) => pids.has(s.pid)));
    const comm = (pid: number) => facts.processes.ok ? facts.processes.value.find((p) => p.pid === pid)?.comm : undefined;
    // The template's udhcpc talks DHCP over an AF_PACKET socket (what CRIU < 4.2 cannot dump on kernel >= 6.16).
    assert.ok(facts.sockets.value.some((s) => s.family === 'packet' && comm(s.pid) === 'udhcpc'), JSON.stringify(facts.sockets.value));
    assert.ok(facts.sockets.value.some((s) => s.family === 'unix' && s.path === '/dev/log' && comm(s.pid) === 'syslogd'));

    const viaMonitor = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000, env: { PATH: '/nonexistent' } });
    assert.equal(viaMonitor.stateSource, 'monitor');
    assert.equal(viaMonitor.state, 'RUNNING');
    assert.equal(viaMonitor.initPid, c.initPid);
    assert.equal(viaMonitor.monitorPid, parseProcStat(readFileSync(`/proc/${c.initPid}/stat`, 'utf8')).ppid);
    assert.deepEqual(viaMonitor.processes, facts.processes);

    // Issue 15.5: asking lxc-info must not load the config's side effects. LXC creates the lxc.log.file a config names
    // (and its folders) whenever liblxc loads the config, -o and -l notwithstanding; the gatherer hides the config from it.
    const logDir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-logfile-'));
    t.after(() => rmSync(logDir, { recursive: true, force: true }));
    const logFile = path.join(logDir, 'made-by-lxc', 'container.log');
    appendFileSync(c.configPath, `lxc.log.file = ${logFile}\nlxc.log.level = DEBUG\n`);
    const withLog = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000 });
    assert.deepEqual([withLog.state, withLog.initPid, withLog.stateSource], ['RUNNING', c.initPid, 'lxc-info']);
    assert.ok(!existsSync(path.dirname(logFile)), `${logFile} was created by asking the state of a running container`);

    await stopContainer(c);
    // lxc-stop loads the config too, and so made the file: gone again before the stopped container is asked about.
    rmSync(path.dirname(logFile), { recursive: true, force: true });
    const stopped = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000 });
    assert.deepEqual([stopped.state, stopped.initPid, stopped.stateSource], ['STOPPED', null, 'lxc-info']);
    assert.ok(!existsSync(path.dirname(logFile)), `${logFile} was created by asking the state of a stopped container`);
    // What the gatherer avoids, measured: the same config given to lxc-info as it is.
    await lxcTool(c, 'lxc-info', ['-s', '-o', '/dev/null', '-l', 'ERROR'], 10_000);
    assert.ok(existsSync(logFile), 'plain lxc-info did not create the log file: the guard above proves nothing');
    const stoppedViaMonitor = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000, env: { PATH: '/nonexistent' } });
    assert.deepEqual([stoppedViaMonitor.state, stoppedViaMonitor.initPid, stoppedViaMonitor.stateSource], ['STOPPED', null, 'monitor']);
  });
});

labTest('the process gatherer on a busybox container with processes started by lxc-attach (pipe, deleted file, flock, unix pair)', async (t) => {
  await withContainer(t, async (c) => {
    // setsid: each in a session of its own inside the container; no stdio left to lxc-attach.
    const script = [
      'setsid sh -c "sleep 1000 | sleep 1001" </dev/null >/dev/null 2>&1 &',
      'setsid sh -c "exec 3>/tmp/ghost; echo hello >&3; rm /tmp/ghost; exec sleep 1002" </dev/null >/dev/null 2>&1 &',
      'sleep 0.5',
    ].join('\n');
    const r = await lxcTool(c, 'lxc-attach', ['--', 'sh', '-c', script], 30_000);
    assert.equal(r.code, 0, r.stderr);
    // busybox has no flock: a host flock(1) joins the container's pid namespace only (nsenter -p), so it is a task of the container.
    const lockDir = mkdtempSync(path.join(os.tmpdir(), 'ctcr-lock-'));
    const flocker = spawn('nsenter', ['-t', String(c.initPid), '-p', '--', 'flock', path.join(lockDir, 'l'), 'sleep', '1003'], { stdio: 'ignore', detached: true });
    t.after(() => { try { process.kill(-flocker.pid!, 'SIGKILL'); } catch { /* gone */ } rmSync(lockDir, { recursive: true, force: true }); });
    for (let i = 0; i < 100 && !readFileSync('/proc/locks', 'utf8').includes(' FLOCK '); i++) await new Promise((res) => setTimeout(res, 50));
    const scan = new ProcScan();
    const t0 = performance.now();
    const facts = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000, scan });
    t.diagnostic(`gatherContainer with the process gatherer: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.ok(facts.processes.ok, JSON.stringify(facts.processes));
    const procs = facts.processes.value;
    const byArg = (arg: string) => procs.find((p) => p.cmdline.join(' ') === arg);
    const init = procs.find((p) => p.pid === c.initPid)!;
    for (const p of procs) {
      assert.ok(p.fds?.ok, `${p.pid} ${p.comm}: ${JSON.stringify(p.fds)}`);
      assert.ok(p.mappings?.ok);
      assert.equal(p.namespaces?.pid, init.namespaces?.pid, `${p.pid} ${p.comm} in init's pid namespace`);
      assert.equal(p.tracerPid, 0);
    }
    const left = byArg('sleep 1000')!, right = byArg('sleep 1001')!;
    assert.ok(left && right, JSON.stringify(procs.map((p) => p.cmdline)));
    const out = left.fds!.ok ? left.fds!.value.find((f) => f.fd === 1) : undefined;
    const inn = right.fds!.ok ? right.fds!.value.find((f) => f.fd === 0) : undefined;
    assert.equal(out?.kind, 'pipe');
    assert.equal(out?.link, inn?.link);
    const ghost = byArg('sleep 1002')!;
    const fd3 = ghost.fds!.ok ? ghost.fds!.value.find((f) => f.fd === 3) : undefined;
    assert.deepEqual([fd3?.kind, fd3?.path, fd3?.size, fd3?.nlink], ['deleted', '/tmp/ghost', 6, 0]);
    // The fd's mount is one of the container's mounts.
    assert.ok(facts.mountinfo.ok);
    assert.ok(facts.mountinfo.value.some((m) => m.mountId === fd3?.mntId), `mnt_id ${fd3?.mntId}`);
    const holder = procs.find((p) => p.cmdline[0] === 'flock');
    assert.ok(holder, JSON.stringify(procs.map((p) => p.cmdline)));
    assert.ok(facts.locks?.ok, JSON.stringify(facts.locks));
    assert.deepEqual(facts.locks.value.map((l) => [l.kind, l.pid]), [['FLOCK', holder.pid]], readFileSync('/proc/locks', 'utf8'));
    // syslogd's /dev/log and its clients: unix peers read in the container's netns.
    assert.ok(facts.unixPeers?.ok, JSON.stringify(facts.unixPeers));
    assert.ok(facts.sockets.ok);
    for (const s of facts.sockets.value.filter((x) => x.family === 'unix')) assert.equal(typeof s.peerInode, 'number', JSON.stringify(s));
  });
});
