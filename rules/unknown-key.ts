/**
 * A config key the LXC in use does not know: LXC refuses the whole config,
 * so the container can neither start nor be restored.
 */
import { defineRule, at } from '../src/rule.js';
import type { Report, Snapshot } from '../src/types.js';
import { CGROUP_V1_PREFIX, checkKey, nearestKnownKey } from '../src/config/known-keys.js';
import { renameKey } from '../src/config/line-edits.js';
import { formatVersion } from '../src/criu/version.js';
import { lxcVersionOf } from '../src/live/facts.js';
import { textTable } from '../src/util/table.js';

/** cgroup v1 files whose cgroup2 file has the same name and value format: renaming keeps the setting. */
const SAME_IN_CGROUP2 = new Set(['devices.allow', 'devices.deny', 'cpuset.cpus', 'cpuset.mems', 'pids.max']);
/** v1 files whose v2 counterpart has another name (values may need converting). */
const CGROUP2_NAME = textTable<string>({
  'memory.limit_in_bytes': 'memory.max',
  'memory.soft_limit_in_bytes': 'memory.low',
  'memory.memsw.limit_in_bytes': 'memory.swap.max',
  'cpu.shares': 'cpu.weight',
  'blkio.weight': 'io.weight',
});

export default defineRule({
  id: 'unknown-key',
  severity: 'error',
  summary: 'A config key the LXC in use does not know; LXC refuses to load the config.',
  scope: 'static',
  messages: {
    cgroupV1: 'a cgroup v1 key that this LXC (cgroup2 only) refuses',
    tooNew: 'a key newer than the LXC judged for',
    unknownKey: 'a key LXC does not know',
  },
  hasSuggestions: true,
  docs: {
    why:
      'LXC fails the whole config load on a key it does not know ("Unsupported config key", "Failed to parse config file ... at line"), so ' +
      'the container does not start and lxc-checkpoint cannot restore it. What is known depends on the LXC version: LXC 7.0 rejects the ' +
      'cgroup v1 keys lxc.cgroup.<controller>.*, and LXC before 2.1 knows none of the current names. Pre-2.1 names (lxc.tty, ' +
      'lxc.network.*) are reported by legacy-key, not here.',
    fix:
      'Fix the spelling, or use the name this LXC knows. The suggestion renames the key to the nearest known one (for cgroup v1 keys under ' +
      'LXC 7.0, to lxc.cgroup2.* only where the cgroup2 file has the same name and format; otherwise write the cgroup2 setting by hand, ' +
      'e.g. memory.limit_in_bytes becomes memory.max). It is a suggestion because it changes what LXC reads.',
    reference: 'lxc src/lxc/confile.c (config_jump_table, parse_line); LXC 7.0 release notes (cgroup v1 removed)',
  },
  check(snapshot) {
    const config = snapshot.config;
    if (!config) return [];
    const version = lxcVersionOf(snapshot);
    const lxc = `LXC ${formatVersion(version)}`;
    const reports: Report[] = [];
    for (const entry of config.entries) {
      const verdict = checkKey(entry.key, version);
      if (verdict.known || verdict.reason === 'legacy') continue;
      let nearest = nearestKnownKey(entry.key, version);
      let message: string;
      let messageId: string;
      if (verdict.reason === 'cgroup-v1') {
        const file = entry.key.slice(CGROUP_V1_PREFIX.length + 1);
        if (!SAME_IN_CGROUP2.has(file)) nearest = undefined;
        const v2 = nearest ?? (CGROUP2_NAME[file] ? `lxc.cgroup2.${CGROUP2_NAME[file]}` : undefined);
        messageId = 'cgroupV1';
        message =
          `${entry.key} is a cgroup v1 key, which ${lxc} refuses ("Unsupported config key"): only cgroup2 is supported; ` +
          (v2 ? `use ${v2}${nearest ? '' : ' (check the value: the cgroup2 file counts differently)'}` : 'write the setting as an lxc.cgroup2.* key');
      } else if (verdict.reason === 'too-new') {
        messageId = 'tooNew';
        message = `${entry.key} is unknown to ${lxc}, which refuses the config${nearest ? `; before LXC 2.1 it was called ${nearest}` : ''}`;
      } else {
        messageId = 'unknownKey';
        message = `unknown key ${entry.key}: ${lxc} refuses the config ("Unsupported config key")${nearest ? `; did you mean ${nearest}?` : ''}`;
      }
      reports.push({
        messageId,
        message,
        location: at(entry),
        ...(nearest ? { suggestions: [{ description: `rename ${entry.key} to ${nearest}`, edits: [renameKey(entry, nearest)] }] } : {}),
      });
    }
    return reports;
  },
});
