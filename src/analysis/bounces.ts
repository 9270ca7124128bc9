/**
 * Bounced or penal transactions: inward and outward cheque returns, ECS / NACH / ACH returns,
 * NEFT returns, and the charges banks levy for them (and other penalties). Each return is linked,
 * where the statement allows, to the item that bounced and to the charge for it.
 *
 * - A return: channel `inward_cheque_bounce`, `outward_cheque_bounce` or
 *   `auto_debit_payment_bounce`, or description `chq_bounce_insuff_funds` or `neft_return`.
 * - A charge: description `ach_bounce_charge`, `chq_bounce_charge` or `penalty_charge`, or a
 *   `bank_charge` debit whose narration names a return (RETURN, RTN, RET, BOUNCE, DISHONOUR…).
 * - The bounced item of a return: the nearest earlier transaction of the same amount on the
 *   other side, up to 7 days before, with the same cheque number (in the cheque column or the
 *   narration), a reference both narrations carry (6+ characters with a digit: loan account,
 *   UMRN), or the same counterparty (the words of one clean note, months and numbers aside,
 *   all in the other's, or the same parsed name); null when none is.
 * - The charge of a return: the next bounce charge (or a charge or penalty whose narration names
 *   a return) on the same day or up to 3 days after, not already linked to an earlier return;
 *   null when none is.
 */
import type { CalendarDate } from '../lib/calendar-date.ts';
import type { Description, EnrichedTransaction, TransactionChannel } from '../domain/insights.ts';
import { recurringNoteKey } from './recurring.ts';

const RETURN_CHANNELS: ReadonlySet<TransactionChannel> = new Set<TransactionChannel>(['inward_cheque_bounce', 'outward_cheque_bounce', 'auto_debit_payment_bounce']);
const RETURN_DESCRIPTIONS: ReadonlySet<Description> = new Set<Description>(['chq_bounce_insuff_funds', 'neft_return']);
const CHARGE_DESCRIPTIONS: ReadonlySet<Description> = new Set<Description>(['ach_bounce_charge', 'chq_bounce_charge', 'penalty_charge']);
const RETURN_WORDS = /\b(RETURN|RETURNED|RETURNS|RTN|RTND|RET|BOUNCE|BOUNCED|BOUNCING|DISHONOU?R|DISHONOU?RED|UNPAID|INSUFF|INSUFFICIENT)\b/;

const BOUNCED_WITHIN_DAYS = 7;
const CHARGED_WITHIN_DAYS = 3;

const DAY_MS = 86_400_000;
const dayNumber = (date: CalendarDate): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const words = (text: string | null): string => ` ${(text ?? '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim()} `;

export interface BounceLink {
  bounceHash: string;
  bouncedHash: string | null;
  chargeHash: string | null;
}

function isReturn(t: EnrichedTransaction): boolean {
  return RETURN_CHANNELS.has(t.enrichment.channel) || RETURN_DESCRIPTIONS.has(t.enrichment.description);
}

function isCharge(t: EnrichedTransaction): boolean {
  if (CHARGE_DESCRIPTIONS.has(t.enrichment.description)) return true;
  return t.type === 'debit' && t.enrichment.channel === 'bank_charge' && RETURN_WORDS.test(words(t.narration));
}

function chequeOf(t: EnrichedTransaction): string | null {
  const cheque = (t.chqNum ?? t.enrichment.counterparty.chequeNumber ?? '').replace(/^0+/, '');
  return cheque === '' ? null : cheque;
}

/** A charge levied for a return: a bounce charge, or a charge or penalty whose narration names a return. */
function isReturnCharge(t: EnrichedTransaction): boolean {
  const d = t.enrichment.description;
  if (d === 'ach_bounce_charge' || d === 'chq_bounce_charge') return true;
  return t.type === 'debit' && (t.enrichment.channel === 'bank_charge' || d === 'penalty_charge') && RETURN_WORDS.test(words(t.narration));
}

/** The narration's tokens, numbers without leading zeros. */
function tokensOf(t: EnrichedTransaction): Set<string> {
  return new Set(words(t.narration).trim().split(' ').map((w) => (/^\d+$/.test(w) ? w.replace(/^0+/, '') : w)));
}

/** Whether every word of `a` is a word of `b` (and `a` has a word of 3 letters or more). */
function wordsWithin(a: string, b: string): boolean {
  const wa = a.split(' ').filter((w) => w !== '');
  const wb = new Set(b.split(' '));
  return wa.some((w) => w.length >= 3) && wa.every((w) => wb.has(w));
}

function sameCounterparty(a: EnrichedTransaction, b: EnrichedTransaction): boolean {
  const noteA = recurringNoteKey(a.enrichment.cleanNote);
  const noteB = recurringNoteKey(b.enrichment.cleanNote);
  if (noteA !== '' && noteB !== '' && (wordsWithin(noteA, noteB) || wordsWithin(noteB, noteA))) return true;
  const nameA = a.enrichment.counterparty.name?.trim().toUpperCase();
  const nameB = b.enrichment.counterparty.name?.trim().toUpperCase();
  return !!nameA && nameA === nameB;
}

/** A reference both narrations carry: a token of 6 or more characters with a digit (loan account, UMRN, cheque). */
function sharedReference(a: Set<string>, b: Set<string>): boolean {
  for (const token of a) if (token.length >= 6 && /\d/.test(token) && b.has(token)) return true;
  return false;
}

function isBouncedItem(item: EnrichedTransaction, bounce: EnrichedTransaction): boolean {
  if (item.type === bounce.type || item.amountPaise !== bounce.amountPaise) return false;
  const itemCheque = chequeOf(item);
  const bounceCheque = chequeOf(bounce);
  const itemTokens = tokensOf(item);
  const bounceTokens = tokensOf(bounce);
  if (itemCheque !== null && (itemCheque === bounceCheque || bounceTokens.has(itemCheque))) return true;
  if (bounceCheque !== null && itemTokens.has(bounceCheque)) return true;
  return sharedReference(itemTokens, bounceTokens) || sameCounterparty(item, bounce);
}

/** `ts` oldest first. Hashes (returns and charges) oldest first; one link per return, in order. */
export function findBounces(ts: EnrichedTransaction[]): { hashes: string[]; links: BounceLink[] } {
  const hashes: string[] = [];
  const links: BounceLink[] = [];
  const usedItems = new Set<number>();
  const usedCharges = new Set<number>();
  ts.forEach((t, i) => {
    const returned = isReturn(t);
    if (returned || isCharge(t)) hashes.push(t.hash);
    if (!returned) return;
    const day = dayNumber(t.date);
    let bounced: number | null = null;
    for (let j = i - 1; j >= 0; j--) {
      const item = ts[j];
      if (!item || day - dayNumber(item.date) > BOUNCED_WITHIN_DAYS) break;
      if (!usedItems.has(j) && !isReturn(item) && isBouncedItem(item, t)) {
        bounced = j;
        break;
      }
    }
    let charge: number | null = null;
    for (let j = i + 1; j < ts.length; j++) {
      const candidate = ts[j];
      if (!candidate || dayNumber(candidate.date) - day > CHARGED_WITHIN_DAYS) break;
      if (!usedCharges.has(j) && isReturnCharge(candidate)) {
        charge = j;
        break;
      }
    }
    if (bounced !== null) usedItems.add(bounced);
    if (charge !== null) usedCharges.add(charge);
    links.push({ bounceHash: t.hash, bouncedHash: bounced === null ? null : (ts[bounced]?.hash ?? null), chargeHash: charge === null ? null : (ts[charge]?.hash ?? null) });
  });
  return { hashes, links };
}
