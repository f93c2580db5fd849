/**
 * Where the lab keeps what it creates. Everything lives under folders the lab
 * owns, so `down` can remove them without touching the host's own LXC state.
 */
export const LAB_ROOT = '/var/lib/ctcr-lab';
/** A separate lxcpath: nothing of the host's /var/lib/lxc is read or written. */
export const LAB_LXCPATH = `${LAB_ROOT}/lxc`;
export const LAB_STATE_FILE = `${LAB_ROOT}/state.json`;
/** Copy of the host's LXC default config with only the network link changed. */
export const LAB_DEFAULT_CONF = `${LAB_ROOT}/default.conf`;
/** Private apt state (lists, cache, downloaded .debs) for the CRIU candidates. */
export const LAB_APT_DIR = `${LAB_ROOT}/apt`;
/** Scratch space (trial dumps). */
export const LAB_TMP = `${LAB_ROOT}/tmp`;
/** Private CRIU prefixes: /opt/ctcr-lab/criu-<suite>/. */
export const LAB_OPT = '/opt/ctcr-lab';
/** Outside LAB_ROOT on purpose: `down` deletes LAB_ROOT while holding the lock. */
export const LAB_LOCK = '/run/ctcr-lab.lock';
/** The isolated bridge: no uplink, no address, nothing routes to it. */
export const LAB_BRIDGE = 'ctcrlab0';
export const CONTAINER_PREFIX = 'ctcrlab-';
/** Marker line that tells our criu wrapper from anybody else's. */
export const WRAPPER_MARKER = '# ctcr-lab criu wrapper';
/** What a real run needs from the distribution's packages. */
export const APT_PACKAGES = ['lxc', 'lxc-templates', 'busybox-static', 'iptables'];
