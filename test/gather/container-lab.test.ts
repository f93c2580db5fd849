/**
 * gatherContainer on a real LXC container (LXC's stock busybox template in
 * the lab), by both routes: lxc-info, and the monitor process when lxc-info
 * is not on PATH.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gatherContainer } from '../../src/gather/container.js';
import { parseProcStat } from '../../src/gather/procfs.js';
import { processesInPidns, stopContainer } from '../../src/lab/index.js';
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

    await stopContainer(c);
    const stopped = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000 });
    assert.deepEqual([stopped.state, stopped.initPid, stopped.stateSource], ['STOPPED', null, 'lxc-info']);
    const stoppedViaMonitor = await gatherContainer(c.name, c.lxcpath, { timeoutMs: 10_000, env: { PATH: '/nonexistent' } });
    assert.deepEqual([stoppedViaMonitor.state, stoppedViaMonitor.initPid, stoppedViaMonitor.stateSource], ['STOPPED', null, 'monitor']);
  });
});
