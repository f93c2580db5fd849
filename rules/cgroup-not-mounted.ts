/** lxc-checkpoint freezes the container through its cgroup before CRIU seizes it. */
import { defineRule } from '../src/rule.js';
import { HOST_LOCATION, hostOf, known } from '../src/live/facts.js';

/** Where LXC builds --freeze-cgroup: /sys/fs/cgroup/<path> on a pure cgroup2 host, else /sys/fs/cgroup/freezer/<path> (lxc src/lxc/criu.c). */
const FREEZER_V1 = '/sys/fs/cgroup/freezer';
const UNIFIED = '/sys/fs/cgroup';

export default defineRule({
  id: 'cgroup-not-mounted',
  severity: 'error',
  summary: 'No cgroup hierarchy is mounted, or the freezer is not where lxc-checkpoint looks for it.',
  scope: 'live',
  messages: {
    noCgroup: 'no cgroup filesystem is mounted',
    unifiedElsewhere: 'cgroup2 is mounted elsewhere than /sys/fs/cgroup, where lxc-checkpoint looks',
    freezerMissing: 'the v1 freezer controller is not mounted where lxc-checkpoint looks',
  },
  docs: {
    why:
      'lxc-checkpoint passes --freeze-cgroup to CRIU: /sys/fs/cgroup/<container cgroup> on a pure cgroup2 host, /sys/fs/cgroup/freezer/<container cgroup> ' +
      'otherwise. CRIU freezes the container there before dumping; without it the dump fails ("Neither a cgroupv1 (freezer.state) or cgroupv2 ' +
      '(cgroup.freeze) control file found"). CRIU also dumps and restores the container\'s cgroups (--manage-cgroups=full). The CRIU wiki\'s ' +
      'LXC page starts with "Mount cgroupfs".',
    fix: 'Mount the cgroup hierarchies the way your distribution does (systemd does it at boot): cgroup2 at /sys/fs/cgroup, or on a v1/hybrid host the freezer controller at /sys/fs/cgroup/freezer.',
    reference: 'lxc src/lxc/criu.c (freezer path); criu/seize.c; https://criu.org/LXC',
  },
  check(snapshot) {
    const host = hostOf(snapshot);
    const cg = host && known(host.cgroups);
    if (!cg) return [];
    if (cg.layout === 'none') {
      return [{ messageId: 'noCgroup', message: 'no cgroup filesystem is mounted: LXC cannot freeze the container for CRIU, nor can CRIU dump its cgroups. Mount cgroup2 at /sys/fs/cgroup', location: HOST_LOCATION }];
    }
    if (cg.layout === 'v2') {
      if (cg.unifiedPath === UNIFIED) return [];
      return [{ messageId: 'unifiedElsewhere', message: `cgroup2 is mounted at ${cg.unifiedPath}, not ${UNIFIED}, where lxc-checkpoint looks for the container's cgroup.freeze; mount it at ${UNIFIED}`, location: HOST_LOCATION }];
    }
    if (cg.freezerV1 === FREEZER_V1) return [];
    const where = cg.freezerV1 ? `is mounted at ${cg.freezerV1}` : 'is not mounted';
    return [
      {
        messageId: 'freezerMissing',
        message: `this host has v1 cgroup hierarchies (${cg.layout}), so lxc-checkpoint freezes the container through ${FREEZER_V1}, but the freezer controller ${where}; mount it at ${FREEZER_V1}`,
        location: HOST_LOCATION,
      },
    ];
  },
});
