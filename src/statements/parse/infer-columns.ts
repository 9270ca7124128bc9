/**
 * Names the columns a header's labels leave unnamed, from the rows printed under it.
 *
 * Real headers are not always readable: the last label clipped at the page edge ("Closing B"),
 * a word no bank list has, a rupee sign that the font turns into a box. The rows are still
 * plainly there, and the numbers under a column say what it is: a column filled on every row
 * whose figures follow one another (each the previous ± that row's amount) is the balance; the
 * columns filled one at a time are the debits and credits, and the balance chain tells which is
 * which. Every guess must be confirmed by that chain; without a balance to confirm it, only
 * columns whose labels say what they are are read (a statement without a balance column is
 * still read when its labels name the debit and credit columns, or its amounts carry a sign).
 */
import type { CalendarDate } from '../../lib/calendar-date.ts';
import { parseAmount, parseAmountCell } from '../../domain/money.ts';
import { cellTexts, namesAmounts, type Column, type HeaderKey } from './table-columns.ts';
import type { TextLine } from './text-lines.ts';

/** A share of filled cells that parse as amounts, above which a column holds amounts. */
const NUMERIC_SHARE = 0.9;
/** At most this many unknown columns are named from their numbers. */
const MAX_GUESSED = 4;
/** A share of balance steps that must add up for a guess to be taken. */
const CHAIN_SHARE = 0.8;

type AmountRole = 'balance' | 'debit' | 'credit' | 'amount';

interface Sample {
  /** Each column's text on one dated row. */
  cells: string[];
}

/**
 * How many of the rows' balance steps add up with columns named `roles` (column index →
 * role). Amounts without a direction (one unsigned amount column) count when either sign fits.
 */
function chainScore(samples: Sample[], roles: Map<number, AmountRole>): number {
  const indexOf = (role: AmountRole) => [...roles].find(([, r]) => r === role)?.[0];
  const balanceAt = indexOf('balance');
  if (balanceAt === undefined) return 0;
  const debitAt = indexOf('debit');
  const creditAt = indexOf('credit');
  const amountAt = indexOf('amount');
  let score = 0;
  let previous: number | null = null;
  for (const { cells } of samples) {
    const b = parseAmountCell(cells[balanceAt]);
    if (!b) {
      previous = null;
      continue;
    }
    const balance = b.marker === 'dr' ? -b.paise : b.paise;
    if (previous !== null) {
      const debit = debitAt === undefined ? null : parseAmountCell(cells[debitAt]);
      const credit = creditAt === undefined ? null : parseAmountCell(cells[creditAt]);
      const amount = amountAt === undefined ? null : parseAmountCell(cells[amountAt]);
      const step = balance - previous;
      if (debit || credit) {
        if (step === (credit?.paise ?? 0) - (debit?.paise ?? 0)) score++;
      } else if (amount) {
        const signed = amount.marker === 'dr' ? -amount.paise : amount.marker === 'cr' ? amount.paise : null;
        if (signed === null ? Math.abs(step) === amount.paise : step === signed) score++;
      }
    }
    previous = balance;
  }
  return score;
}

/** Every way of giving the columns at `indexes` distinct roles from `roles` (a column may take none). */
function* assignments(indexes: number[], roles: AmountRole[]): Generator<Map<number, AmountRole>> {
  if (indexes.length === 0) {
    yield new Map();
    return;
  }
  const [first, ...rest] = indexes;
  for (const tail of assignments(rest, roles)) {
    yield tail;
    for (const role of roles) {
      if ([...tail.values()].includes(role)) continue;
      yield new Map([...tail, [first!, role]]);
    }
  }
}

/**
 * `columns` (from the header, `unknown` where a label names nothing) with the unknown ones
 * named from the rows in `below`, whose dates `readDate` reads; null when the table cannot be
 * read with confidence.
 */
export function inferColumns(columns: Column[], below: TextLine[], readDate: (text: string) => CalendarDate | null): Column[] | null {
  const dateAt = columns.findIndex((c) => c.key === 'date');
  const samples: Sample[] = [];
  for (const line of below) {
    const cells = cellTexts(line, columns);
    if (readDate(cells[dateAt]!)) samples.push({ cells });
  }
  if (samples.length === 0) return null;

  const filled = (i: number) => samples.filter((s) => s.cells[i] !== '').length;
  const numeric = (i: number) => {
    const texts = samples.map((s) => s.cells[i]!).filter((t) => t !== '' && !/^[\s\-–—]*$/.test(t));
    return texts.length > 0 && texts.filter((t) => parseAmount(t) !== null).length >= NUMERIC_SHARE * texts.length;
  };
  const named = new Map<number, HeaderKey>(columns.map((c, i) => [i, c.key]));
  // The rightmost few only (amounts stand right of the narration): the namings tried grow as
  // 5^n, and a header of many unknown numeric columns must not cost seconds.
  const unknownNumeric = columns.flatMap((c, i) => (c.key === 'unknown' && numeric(i) ? [i] : [])).slice(-MAX_GUESSED);
  const missing = (['balance', 'debit', 'credit', 'amount'] as const).filter((role) => ![...named.values()].includes(role));

  // The known amount columns keep their names; the unknown numeric ones may take the missing roles.
  const knownRoles = new Map<number, AmountRole>();
  for (const [i, key] of named) if (key === 'balance' || key === 'debit' || key === 'credit' || key === 'amount') knownRoles.set(i, key);

  let best: { roles: Map<number, AmountRole>; score: number } | null = null;
  for (const guess of assignments(unknownNumeric, missing)) {
    const roles = new Map([...knownRoles, ...guess]);
    if (!namesAmounts(roles.values())) continue;
    // A balance column is filled on (nearly) every row.
    const balanceAt = [...roles].find(([, r]) => r === 'balance')?.[0];
    if (balanceAt !== undefined && filled(balanceAt) < NUMERIC_SHARE * samples.length) continue;
    const score = chainScore(samples, roles);
    if (!best || score > best.score || (score === best.score && roles.size < best.roles.size)) best = { roles, score };
  }
  if (!best) return null;

  const steps = samples.length - 1;
  const hasBalance = [...best.roles.values()].includes('balance');
  const guessed = [...best.roles.keys()].some((i) => named.get(i) === 'unknown');
  // A column named from its numbers must be confirmed by the balance chain; columns named by
  // their labels need no confirmation (a break in the chain is then the statement's, reported
  // by the reconciliation).
  if (guessed && (!hasBalance || steps === 0 || best.score < CHAIN_SHARE * steps)) return null;

  const result = columns.map((c, i) => ({ ...c, key: best.roles.get(i) ?? c.key }));
  // A narration column without a label: the unknown column with the most text.
  if (!result.some((c) => c.key === 'narration')) {
    const text = (i: number) => samples.reduce((n, s) => n + s.cells[i]!.length, 0);
    const candidates = result.flatMap((c, i) => (c.key === 'unknown' && !numeric(i) && filled(i) > 0 ? [i] : []));
    const widest = candidates.sort((a, b) => text(b) - text(a))[0];
    if (widest !== undefined) result[widest] = { ...result[widest]!, key: 'narration' };
  }
  return result;
}
