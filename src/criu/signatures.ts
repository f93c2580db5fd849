/**
 * The CRIU log signatures of a set of rules, in the order ctcr explain tries
 * them (src/criu/signature-order.ts): the table a diagnosis is made with, so
 * that the rule that predicts a cause is the one that recognises it.
 */
import type { LogSignature, Rule } from '../types.js';
import { SIGNATURE_ORDER } from './signature-order.js';
import { areaTable, type AreaTable } from './areas.js';

export interface RankedSignature {
  ruleId: string;
  signature: LogSignature;
}

/**
 * The signatures in order, and the areas of CRIU's source files (src/criu/areas.ts) for a root error none
 * of them knows: both come from the same rules, so they travel together to every caller of explain.
 */
export type SignatureTable = readonly RankedSignature[] & { readonly areas?: AreaTable };

/** No signatures: every root error is a `criu-error` (for callers that only want the root line). */
export const NO_SIGNATURES: SignatureTable = [];

export function signatureTable(rules: readonly Rule[]): SignatureTable {
  const rank = new Map(SIGNATURE_ORDER.map((id, i) => [id, i]));
  const withSignatures = rules.filter((r) => (r.logSignatures?.length ?? 0) > 0);
  // Listed rules in their listed order, then the others (user rules) in load order: a stable sort keeps that.
  const ordered = [...withSignatures].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity));
  const table = ordered.flatMap((r) => r.logSignatures!.map((signature) => ({ ruleId: r.id, signature })));
  return Object.assign(table, { areas: areaTable(rules) });
}

export function matchSignature(table: SignatureTable, message: string): { ranked: RankedSignature; match: RegExpExecArray } | undefined {
  for (const ranked of table) {
    const match = ranked.signature.pattern.exec(message);
    if (match) return { ranked, match };
  }
  return undefined;
}
