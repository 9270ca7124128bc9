/**
 * Known lenders named in a narration: the banks and NBFCs of lenders.json, matched as whole
 * words (`BAJAJ FINANCE`, `HDB FINANCIAL`, `TATA CAPITAL`…), whatever the case or spacing.
 */
import type { Lender, NarrationRules } from './narration-rules.ts';

/** The lender named in `text` (the first in reading order), with its kind, or null. */
export function lenderIn(text: string, rules: NarrationRules): Lender | null {
  const { regex, lenderOf } = rules.lenders;
  const match = regex?.exec(text);
  if (!match) return null;
  return lenderOf.get(match[0].toUpperCase().replace(/\s+/g, ' ').replace(/\s*\/\s*/g, '/')) ?? null;
}

/** The name (as lenders.json writes it) of the lender whose name appears in `text` as whole words, or null. */
export function lenderNamed(text: string, rules: NarrationRules): string | null {
  return lenderIn(text, rules)?.name ?? null;
}
