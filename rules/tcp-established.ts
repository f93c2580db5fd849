/** Established TCP connections in the container: CRIU dumps them only when asked. */
import { defineRule } from '../src/rule.js';
import { containerLocation, describeProcess, dumpSide, isRunning, known, needsTcpEstablished, processByPid } from '../src/live/facts.js';

export default defineRule({
  id: 'tcp-established',
  severity: 'info',
  summary: 'The container has established TCP connections, which need --tcp-established on dump and restore.',
  scope: 'live',
  docs: {
    why:
      'CRIU refuses to dump a connected TCP socket (ESTABLISHED, FIN_WAIT, CLOSE_WAIT, SYN_SENT...) unless --tcp-established is given: ' +
      '"Connected TCP socket, consider using --tcp-established option.", and restore needs the flag as well. lxc-checkpoint always passes it, ' +
      'so this is information for lxc-checkpoint, and an error for a criu command line without the flag. The connections survive only if ' +
      'the restored container has the same addresses and the peers wait for it.',
    fix: 'Nothing with lxc-checkpoint (it passes --tcp-established). With criu directly, pass --tcp-established on dump and restore, or --tcp-close to drop the connections.',
    reference: 'criu/sk-inet.c; lxc src/lxc/criu.c exec_criu',
  },
  check(snapshot) {
    const c = snapshot.container;
    if (!c || !dumpSide(snapshot) || !isRunning(c)) return [];
    const connected = (known(c.sockets) ?? []).filter(needsTcpEstablished);
    if (connected.length === 0) return [];
    const procs = processByPid(c);
    const shown = connected.slice(0, 4).map((s) => {
      const p = procs.get(s.pid);
      return `${p ? describeProcess(p) : `PID ${s.pid}`} ${s.local ?? '?'} -> ${s.remote ?? '?'} ${s.state}`;
    });
    return [
      {
        message:
          `${connected.length} connected TCP socket${connected.length === 1 ? '' : 's'} (${shown.join('; ')}${connected.length > 4 ? '; ...' : ''}): CRIU dumps them only with --tcp-established ` +
          '(lxc-checkpoint passes it; a criu command line needs it on dump and restore)',
        location: containerLocation(c),
        criuOptions: ['--tcp-established'],
      },
    ];
  },
});
