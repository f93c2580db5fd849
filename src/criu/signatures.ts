/**
 * The CRIU log signatures of a set of rules, in the order ctcr explain tries
 * them (src/criu/signature-order.ts): the table a diagnosis is made with, so
 * that the rule that predicts a cause is the one that recognises it.
 */
import type { LogSignature, Rule } from '../types.js';
import { SIGNATURE_ORDER } from './signature-order.js';

export interface RankedSignature {
  ruleId: string;
  signature: LogSignature;
}

export type SignatureTable = readonly RankedSignature[];

/** No signatures: every root error is a `criu-error` (for callers that only want the root line). */
export const NO_SIGNATURES: SignatureTable = [];

export function signatureTable(rules: readonly Rule[]): SignatureTable {
  const rank = new Map(SIGNATURE_ORDER.map((id, i) => [id, i]));
  const withSignatures = rules.filter((r) => (r.logSignatures?.length ?? 0) > 0);
  // Listed rules in their listed order, then the others (user rules) in load order: a stable sort keeps that.
  const ordered = [...withSignatures].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity));
  return ordered.flatMap((r) => r.logSignatures!.map((signature) => ({ ruleId: r.id, signature })));
}

export function matchSignature(table: SignatureTable, message: string): { ranked: RankedSignature; match: RegExpExecArray } | undefined {
  for (const ranked of table) {
    const match = ranked.signature.pattern.exec(message);
    if (match) return { ranked, match };
  }
  return undefined;
}
