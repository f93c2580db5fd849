/**
 * A `# ctcr-disable...` comment that suppresses nothing. The engine reports
 * these after every other rule has run (only it knows which suppressions
 * matched a finding); this module gives the rule what every rule has: its
 * place in `ctcr rules`, SARIF and docs/rules.md, and a level `.ctcrrc` can
 * change.
 */
import { defineRule } from '../src/rule.js';
import { UNUSED_SUPPRESSION } from '../src/engine/suppressions.js';

export default defineRule({ ...UNUSED_SUPPRESSION, scope: 'static', messages: { unused: 'a suppression comment that suppresses nothing', unknownRule: 'a suppression comment naming a rule that does not exist' }, fixable: true, check: () => [] });
