import rule from '../../rules/target-disk-space.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host } from '../helpers/live-facts.js';
import { move, readyTarget, sourceNeeds, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const GiB = 1024 ** 3;
const disk = (p: string, availableBytes: number, totalBytes = 100 * GiB) => ({ ok: true as const, value: { path: p, measured: p, availableBytes, freeBytes: availableBytes, totalBytes } });

new RuleTester().run(rule, {
  valid: [
    { name: '80 GiB free on the recorded target', ...base, move: move(readyTarget()) },
    { name: 'enough on two filesystems', ...base, move: move(readyTarget({ lxcpath: { ...targetFacts().lxcpath, free: disk('/srv/lxc', 3 * GiB) }, imagesDir: { path: '/var/tmp/i', free: disk('/var/tmp/i', 2 * GiB, 50 * GiB) } }), sourceNeeds({ rootfsBytes: { ok: true, value: 2 * GiB }, memoryBytes: { ok: true, value: 1 * GiB } })) },
  ],
  invalid: [
    {
      name: 'images dir too small for 1 GiB of memory',
      ...base,
      move: move(readyTarget({ imagesDir: { path: '/var/tmp/i', free: disk('/var/tmp/i', 512 * 1024 ** 2, 50 * GiB) } }), sourceNeeds({ memoryBytes: { ok: true, value: 1 * GiB } })),
      errors: [{ messageId: 'notEnoughSpace', file: 'target host2', message: 'target host2: 512.0 MiB free on /var/tmp/i, the images (1.0 GiB of memory) need about 1.2 GiB: free space there or choose another folder' }],
      output: null,
    },
    {
      name: 'one filesystem holds both: the sum counts',
      ...base,
      move: move(readyTarget({ lxcpath: { ...targetFacts().lxcpath, free: disk('/srv/lxc', 3 * GiB) }, imagesDir: { path: '/srv/img', free: disk('/srv/img', 3 * GiB) } }), sourceNeeds({ rootfsBytes: { ok: true, value: 2 * GiB }, memoryBytes: { ok: true, value: 1 * GiB } })),
      errors: [{ messageId: 'notEnoughSpace', message: /^target host2: 3\.0 GiB free on \/srv\/lxc, the rootfs copy \(2\.0 GiB\) and the images \(1\.0 GiB\) need about 3\.4 GiB/ }],
    },
  ],
});
