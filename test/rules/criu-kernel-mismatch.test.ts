import rule from '../../rules/criu-kernel-mismatch.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, criu, host, packetSocket, stoppedBusybox, udhcpc, version, withSockets } from '../helpers/live-facts.js';

/** `criu check` of Debian 12's CRIU 3.17.1 on kernel 6.18 (fixtures/live/criu-3.17.1-check.txt). */
const CHECK_3_17_1 = [
  'Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds',
  'Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable',
  'Error (criu/kerndat.c:1615): kerndat_vdso_fill_symtable failed when initializing kerndat.',
  'Error (criu/crtools.c:260): Could not initialize kernel features detection.',
].join('\n');

const dhcp = () => busybox({ sockets: withSockets([packetSocket(udhcpc().pid)]) });
const kernel612 = { ok: true as const, value: { release: '6.12.9-amd64', version: version('6.12.9'), arch: 'x86_64' } };

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host: CRIU 4.2.1 on 6.18', host: host() },
    { name: 'CRIU 4.2.1 on 6.18 and a DHCP client with a packet socket', config: BUSYBOX_CONFIG, host: host(), container: dhcp() },
    { name: 'CRIU 4.1.1 on kernel 6.12, before both kernel changes', config: BUSYBOX_CONFIG, host: host({ kernel: kernel612, criu: criu({ version: version('4.1.1') }) }), container: dhcp() },
  ],
  invalid: [
    {
      name: 'criu check fails: CRIU 3.17.1 cannot read the 6.18 vDSO',
      host: host({ criu: criu({ version: version('3.17.1'), checkOk: false, checkOutput: CHECK_3_17_1, checkExitCode: 1 }) }),
      errors: [
        { messageId: 'knownIssue', file: 'host', line: 0, severity: 'warning', message: /^CRIU 3\.17\.1 \(\/usr\/local\/sbin\/criu\) on kernel 6\.18\.44-fc-v669: kernel ≥ 6\.13 guard regions/ },
        { messageId: 'checkFails', file: 'host', line: 0, severity: 'error', message: /^`criu check` of CRIU 3\.17\.1 .* fails: Error \(criu\/vdso\.c:381\): vdso: Unexpected rt vDSO area bounds; known cause: x86 kernel ≥ 6\.13 maps \[vvar_vclock\].*CRIU 4\.1 fixes it.*Install CRIU 4\.1 or newer$/ },
      ],
    },
    {
      name: '"Looks good but some kernel features are missing" is a warning',
      host: host({ criu: criu({ checkOk: false, checkExitCode: 1, checkOutput: 'Looks good but some kernel features are missing\nwhich, depending on your process tree, may cause\ndump or restore failure.' }) }),
      errors: [{ messageId: 'checkIncomplete', file: 'host', severity: 'warning', message: /Looks good but some kernel features are missing/ }],
    },
    {
      name: 'CRIU 4.1.1 says "Looks good." on 6.18, but udhcpc holds a packet socket',
      config: BUSYBOX_CONFIG,
      host: host({ criu: criu({ version: version('4.1.1') }) }),
      container: dhcp(),
      errors: [
        { messageId: 'socketsAffected', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: /^CRIU 4\.1\.1 on kernel 6\.18\.44-fc-v669: kernel ≥ 6\.16 refuses SO_PASSCRED.*udhcpc \(PID 6 in the container, \d+ on the host\) holds a packet socket \(dgram\), so the dump fails \("sockets: Can't get 1:16 opt: Operation not supported \(and 1:34\)"\)\. CRIU 4\.2 fixes it: install CRIU 4\.2 or newer$/ },
        { messageId: 'knownIssue', file: 'host', severity: 'warning', message: /guard regions/ },
      ],
    },
    {
      name: 'CRIU 4.1.1 on 6.18 and a stopped container: its sockets are not known',
      config: BUSYBOX_CONFIG,
      host: host({ criu: criu({ version: version('4.1.1') }) }),
      container: stoppedBusybox(),
      errors: [
        { messageId: 'socketsUnknown', file: BUSYBOX_CONFIG_PATH, severity: 'error', message: /Whether this container holds such sockets is not known \(it is STOPPED\); nearly every container does/ },
        { messageId: 'knownIssue', file: 'host', severity: 'warning' },
      ],
    },
  ],
});
