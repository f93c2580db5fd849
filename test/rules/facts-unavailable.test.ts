import rule from '../../rules/facts-unavailable.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, BUSYBOX_CONFIG_PATH, busybox, criu, host, stoppedBusybox, udhcpc, withProcesses } from '../helpers/live-facts.js';

const failed = (reason: string) => ({ ok: false as const, reason });

new RuleTester().run(rule, {
  valid: [
    { name: 'everything answered', config: BUSYBOX_CONFIG, host: host(), container: busybox() },
    {
      name: 'tasks whose descriptors, mappings, locks and peers were read',
      config: BUSYBOX_CONFIG, host: host(),
      container: busybox({ processes: withProcesses([{ ...udhcpc(), pid: 900, fds: { ok: true, value: [] }, mappings: { ok: true, value: [] } }]), locks: { ok: true, value: [] }, unixPeers: { ok: true, value: 'no unix sockets' } }),
    },
    { name: 'a stopped container has nothing to read: container-not-running says so', config: BUSYBOX_CONFIG, host: host(), container: { ...stoppedBusybox(), state: 'UNKNOWN', processes: failed('processes of PID 1: gone') } },
    { name: 'an unknown feature name is an answer (older CRIU), not a failure', host: host({ criu: criu({ unknownFeatures: ['timens'] }) }) },
  ],
  invalid: [
    {
      name: 'criu check timed out: an error, the CRIU rules did not run',
      host: host({ criu: failed('criu: criu check timed out after 10000 ms') }),
      errors: [{ messageId: 'factUnavailable', file: 'host', line: 0, severity: 'error', message: 'could not determine CRIU (criu --version, criu check): criu: criu check timed out after 10000 ms; not checked: criu-missing, criu-kernel-mismatch, network-lock-unavailable, bind-mount-restore' }],
    },
    {
      name: 'bridges unreadable: a warning',
      host: host({ bridges: failed('bridges: permission denied (/sys/class/net)') }),
      errors: [{ messageId: 'factUnavailable', file: 'host', severity: 'warning', message: /^could not determine this host's bridges: bridges: permission denied \(\/sys\/class\/net\); not checked: bridge-missing$/ }],
    },
    {
      name: 'a feature probe that did not answer',
      host: host({ criu: criu({ featureErrors: { move_mount_set_group: 'timed out after 10000 ms' } }) }),
      errors: [{ messageId: 'featureUnknown', severity: 'warning', message: /^could not determine whether CRIU supports move_mount_set_group/ }],
    },
    {
      name: 'the running container\'s sockets could not be read',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ sockets: failed('sockets of PID 12175: /proc/12175/net/tcp: permission denied') }),
      errors: [{ messageId: 'factUnavailable', file: BUSYBOX_CONFIG_PATH, line: 0, severity: 'error', message: /^could not determine the container's sockets: .*permission denied; not checked: netlink-pending-data, tcp-established, criu-kernel-mismatch$/ }],
    },
    {
      name: 'the locks and the unix peers could not be read: warnings naming each',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ locks: failed('/proc/locks: permission denied'), unixPeers: failed('ss (iproute2) is not on PATH') }),
      errors: [
        { messageId: 'factUnavailable', severity: 'warning', message: /^could not determine the file locks its tasks hold \(\/proc\/locks\): \/proc\/locks: permission denied; not checked: / },
        { messageId: 'factUnavailable', severity: 'warning', message: /^could not determine the peers of its unix sockets: ss \(iproute2\) is not on PATH; not checked: / },
      ],
    },
    {
      name: 'two tasks whose descriptors could not be read: one finding naming both PIDs',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ processes: withProcesses([
        { ...udhcpc(), pid: 900, fds: failed('/proc/900/fd: permission denied') },
        { ...udhcpc(), pid: 901, fds: failed('/proc/901/fd: permission denied'), mappings: { ok: true, value: [] } },
      ]) }),
      errors: [{ messageId: 'factUnavailable', severity: 'warning', message: /^could not determine the open descriptors of PID 900, 901: \/proc\/900\/fd: permission denied; \/proc\/901\/fd: permission denied; not checked: / }],
    },
    {
      name: 'bind sources and the checkpoint directory: warnings',
      config: BUSYBOX_CONFIG,
      host: host(),
      container: busybox({ bindSources: failed('bind mount sources: timed out after 10 ms') }),
      checkpointDir: { path: '/srv/ckpt', exists: true, isDirectory: true, hasInventory: false, hasTtyInfo: false, error: '/srv/ckpt/tty.info: permission denied' },
      errors: [
        { messageId: 'factUnavailable', severity: 'warning', message: /^could not determine the host paths its bind mounts name/ },
        { messageId: 'checkpointDirUnreadable', severity: 'warning', message: /^could not fully read the checkpoint directory/ },
      ],
    },
  ],
});
