/** The built-in rules' CRIU log signatures, as ctcr explain and the runner use them. */
import { loadRules } from '../../src/engine/load-rules.js';
import { signatureTable } from '../../src/criu/signatures.js';

export const BUILTIN_RULES = await loadRules();
export const SIGNATURES = signatureTable(BUILTIN_RULES);
