/** CRIU could not put a restored task into its cgroup (a controller refused it). Recognised in CRIU and lxc-checkpoint logs (ctcr explain); no fact shows it before the run. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'cgroup-restore',
  severity: 'error',
  summary: 'CRIU could not put a restored task into its cgroup (a controller refused it).',
  scope: 'log',
  docs: {
    why: 'With --manage-cgroups (LXC passes full) CRIU recreates the cgroups and moves each task in. A cpuset with no cpus or mems, or a controller missing on the target, refuses the move: "Can\'t move N into ... No space left on device".',
    fix: 'Make the target host\'s cgroup controllers match the source\'s (cpuset.cpus and cpuset.mems set), or restore with --manage-cgroups=soft|none.',
  },
  logSignatures: [
    {
      pattern: /Can't move (\S+) into (\S+)|Cgroup dir (\S+) doesn't exist|Abort restore of existing cgroups/,
      explain: (m, { root }) => ({
        message: /No space left on device/.test(root.message) ? "a restored task could not join its cgroup: the cpuset cgroup has empty cpuset.cpus/mems" : `CRIU could not recreate or join the container's cgroups (${m[0]})`,
        fix: 'Check the --manage-cgroups mode and --cgroup-root; with cpuset, give the target cgroup cpus and mems (copy them from the parent).',
      }),
      samples: [
        { line: 'cg: Can\'t move 12 into cpuset/lxc/c1/cgroup.procs (-1/-1): No space left on device', source: 'criu v4.2 criu/cgroup.c:1140 (the message it prints, with this run\'s values)' },
      ],
    },
  ],
});
