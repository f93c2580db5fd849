/** Established TCP connections in the container: CRIU dumps them only when asked. */
import { defineRule } from '../src/rule.js';
import { containerLocation, describeProcess, dumpSide, isRunning, known, needsTcpEstablished, processByPid } from '../src/live/facts.js';

export default defineRule({
  id: 'tcp-established',
  severity: 'info',
  summary: 'The container has established TCP connections, which need --tcp-established on dump and restore.',
  scope: 'live',
  messages: {
    established: 'the container has connected TCP sockets',
  },
  docs: {
    why:
      'CRIU refuses to dump a connected TCP socket (ESTABLISHED, FIN_WAIT, CLOSE_WAIT, SYN_SENT...) unless --tcp-established is given: ' +
      '"Connected TCP socket, consider using --tcp-established option.", and restore needs the flag as well. lxc-checkpoint always passes it, ' +
      'so this is information for lxc-checkpoint, and an error for a criu command line without the flag. The connections survive only if ' +
      'the restored container has the same addresses and the peers wait for it.',
    fix: 'Nothing with lxc-checkpoint (it passes --tcp-established). With criu directly, pass --tcp-established on dump and restore, or --tcp-close to drop the connections.',
    reference: 'criu/sk-inet.c; lxc src/lxc/criu.c exec_criu',
  },
  logSignatures: [
    {
      pattern: /Connected TCP socket, consider using --tcp-established|Connected TCP socket in image/,
      explain: (m) => ({
        message: /in image/.test(m[0]) ? 'the images hold established TCP connections and the restore was not given --tcp-established' : 'the container has established TCP connections',
        fix: 'Pass --tcp-established on dump and on restore (lxc-checkpoint does), or --tcp-close to drop them.',
        criuOptions: ['--tcp-established'],
      }),
      samples: [
        { line: '(00.685912) Error (criu/sk-inet.c:188): inet: Connected TCP socket, consider using --tcp-established option.', source: 'https://github.com/checkpoint-restore/criu/issues/589 (quoted with \'>\' in the issue; only the first line carries the marker)' },
        { line: '(00.123498)   1374: Error (criu/sk-inet.c:654): Connected TCP socket in image', source: 'https://github.com/checkpoint-restore/criu/issues/286 (restore errors with child pid prefixes, as pasted)' },
      ],
    },
    {
      pattern: /Need to set the --tcp-close options/,
      explain: () => ({ message: 'the dump used --tcp-close and the restore did not', fix: 'Pass --tcp-close on restore too.', criuOptions: ['--tcp-close'] }),
      samples: [
        { line: 'Need to set the --tcp-close options.', source: 'criu v4.2 criu/image.c:94 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
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
        messageId: 'established',
        message:
          `${connected.length} connected TCP socket${connected.length === 1 ? '' : 's'} (${shown.join('; ')}${connected.length > 4 ? '; ...' : ''}): CRIU dumps them only with --tcp-established ` +
          '(lxc-checkpoint passes it; a criu command line needs it on dump and restore)',
        location: containerLocation(c),
        criuOptions: ['--tcp-established'],
      },
    ];
  },
});
