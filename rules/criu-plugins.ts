/** CRIU failed in a plugin (the AMD GPU or CUDA plugin, or one loaded from CRIU_LIBS_DIR). explain's answer for a root error no signature knows, by the CRIU source file the error line names. */
import { defineRule } from '../src/rule.js';

export default defineRule({
  id: 'criu-plugins',
  severity: 'error',
  summary: 'CRIU failed in a plugin (the AMD GPU or CUDA plugin, or one loaded from CRIU_LIBS_DIR).',
  scope: 'log',
  docs: {
    why: "CRIU loads plugins (criu/plugin.c) from /usr/lib/criu or CRIU_LIBS_DIR and hands them the devices and files it cannot dump itself: plugins/amdgpu for AMD GPUs (/dev/kfd, /dev/dri), plugins/cuda for NVIDIA GPUs through cuda-checkpoint. A plugin's error stops the dump or restore.",
    fix: "Read the plugin's lines above the error; a container without GPU work needs no plugin (remove it from CRIU_LIBS_DIR or /usr/lib/criu). For GPU containers: the plugin must match the driver (amdgpu: the KFD topology of dump and restore host; cuda: cuda-checkpoint in PATH and a driver that supports it), and restore on the same GPU model.",
  },
  logArea: {
    name: 'a CRIU plugin (GPU)',
    // Its subject as a message from a file that serves every subsystem names it (src/criu/areas.ts areaForLine).
    mentions: /\bplugins?\b|\bamdgpu\b|\bcuda\b/,
    // CRIU's source files of this area: v4.2's (fixtures/criu-sources/v4.2.txt) and the paths older versions printed (older.txt).
    files: [
      'criu/plugin.c',
      'plugin.c',
      'plugins/amdgpu/amdgpu_plugin.c',
      'plugins/amdgpu/amdgpu_plugin_drm.c',
      'plugins/amdgpu/amdgpu_plugin_topology.c',
      'plugins/amdgpu/amdgpu_plugin_util.c',
      'plugins/amdgpu/tests/test_topology_remap.c',
      'plugins/cuda/cuda_plugin.c',
    ],
  },
});
