/**
 * A target ctcr could not read: a config LXC would reject as written, an
 * include cycle, an unreadable file, a truncated rootfs image. The engine
 * turns such a failure into this rule's finding on that file (the other
 * targets are still linted); this module gives the rule its place in
 * `ctcr rules`, SARIF and the docs.
 */
import { defineRule } from '../src/rule.js';
import { PARSE_ERROR } from '../src/engine/lint.js';

export default defineRule({ ...PARSE_ERROR, scope: 'static', messages: { parseError: 'a file that could not be read or parsed' }, check: () => [] });
