import rule from '../../rules/target-lxc-version.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { BUSYBOX_CONFIG, busybox, host, version } from '../helpers/live-facts.js';
import { move, readyTarget, targetFacts } from '../helpers/move-facts.js';

const base = { config: BUSYBOX_CONFIG, host: host(), container: busybox() };
const lxc = (text: string | null) => readyTarget({ host: { ...targetFacts().host, lxc: { ok: true, value: text === null ? null : { version: version(text), path: '/usr/bin/lxc-start' } } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'LXC 5.0.2 on both (recorded)', ...base, move: move(readyTarget()) },
    { name: 'another 5.0 point release', ...base, move: move(lxc('5.0.3')) },
  ],
  invalid: [
    { name: 'no LXC there', ...base, move: move(lxc(null)), errors: [{ messageId: 'noLxc', file: 'target host2', severity: 'error', message: /^target host2: no LXC \(lxc-start, lxc-info\) on PATH/ }], output: null },
    { name: 'LXC 6.0 there, 5.0 here', ...base, move: move(lxc('6.0.4')), errors: [{ messageId: 'otherMajor', severity: 'warning', message: 'target host2: LXC 6.0.4, the source has LXC 5.0.2: the config is read by another major release. Lint it with --lxc-version 6.0' }] },
  ],
});
