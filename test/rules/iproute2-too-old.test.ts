import rule from '../../rules/iproute2-too-old.js';
import { RuleTester } from '../helpers/rule-tester.js';
import { host, version } from '../helpers/live-facts.js';

const ip = (value: object | null) => ({ ok: true as const, value: value as never });

new RuleTester().run(rule, {
  valid: [
    { name: 'the recorded host: iproute2 6.1.0', host: host() },
    { name: 'an old snapshot that is new enough (ss130716 = 3.10)', host: host({ ip: ip({ path: '/sbin/ip', version: null, snapshot: '130716', raw: 'ip utility, iproute2-ss130716' }) }) },
    { name: 'exactly 3.6.0', host: host({ ip: ip({ path: '/sbin/ip', version: version('3.6.0'), raw: 'ip utility, iproute2-3.6.0' }) }) },
    { name: 'no ip at all: criu-helper-missing says so, per container', host: host({ ip: ip(null) }) },
  ],
  invalid: [
    {
      name: 'a 2012 snapshot before 3.6.0',
      host: host({ ip: ip({ path: '/sbin/ip', version: null, snapshot: '120521', raw: 'ip utility, iproute2-ss120521' }) }),
      errors: [{ messageId: 'tooOld', file: 'host', line: 0, severity: 'error', message: /^\/sbin\/ip is iproute2-ss120521 \(a snapshot of about 2\.6\.38\), older than 3\.6\.0/ }],
    },
    {
      name: 'CR_IP_TOOL names an old one',
      host: host({ env: { CR_IP_TOOL: '/opt/old/ip' }, ip: ip({ path: '/opt/old/ip', version: version('3.2.0'), raw: 'ip utility, iproute2-3.2.0', fromEnv: true }) }),
      errors: [{ messageId: 'tooOld', message: /^\/opt\/old\/ip \(CR_IP_TOOL=\/opt\/old\/ip\) is iproute2 3\.2\.0/ }],
    },
    {
      name: 'BusyBox ip prints no version: a warning',
      host: host({ ip: ip({ path: '/bin/ip', version: null, raw: 'BusyBox v1.35.0 multi-call binary.' }) }),
      errors: [{ messageId: 'versionUnknown', severity: 'warning', message: /^cannot tell the iproute2 version of \/bin\/ip/ }],
    },
  ],
});
