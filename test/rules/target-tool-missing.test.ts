import rule from '../../rules/target-tool-missing.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, criu } from '../helpers/live-facts.js';
import { move, readyTarget, sourceNeeds, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const th = targetFacts().host;

new RuleTester().run(rule, {
  valid: [
    { name: 'everything on both sides', ...base, move: move(readyTarget()) },
    { name: 'no iptables-restore, but the target\'s CRIU config chooses nftables', ...base, move: move(readyTarget({ host: { ...th, tools: { ok: true, value: { ...(th.tools.ok ? th.tools.value : {}), 'iptables-restore': null } }, criuConfig: { ok: true, value: { files: ['/etc/criu/default.conf'], argv: ['--network-lock', 'nftables'] } } } })) },
  ],
  invalid: [
    {
      name: 'the recorded target has no rsync',
      ...base,
      move: move(targetFacts()),
      errors: [{ messageId: 'toolMissing', file: 'target host2', message: 'target host2: rsync (the copy of the rootfs and the images) is not on PATH: install rsync there' }],
      output: null,
    },
    {
      name: 'no ip, no iptables-restore, no tar there; no rsync here',
      ...base,
      move: move(readyTarget({ host: { ...th, ip: { ok: true, value: null }, tools: { ok: true, value: { ...(th.tools.ok ? th.tools.value : {}), 'iptables-restore': null, tar: null } } } }), sourceNeeds({ rsync: null })),
      errors: [
        { messageId: 'rsyncMissing', message: /^source: rsync is not on PATH here/ },
        { messageId: 'toolMissing', message: /^target host2: ip \(CRIU restores the network with it\) is not on PATH/ },
        { messageId: 'toolMissing', message: /^target host2: iptables-restore \(the default network lock\)/ },
        { messageId: 'toolMissing', message: /^target host2: tar / },
      ],
    },
  ],
});
