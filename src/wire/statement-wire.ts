/** Pieces of statement responses shared by the HTTP API and `passbook parse`. */
import { toRupees } from '../domain/money.ts';
import type { ParsedStatement } from '../domain/statement.ts';

/** The reconciliation result: whether every balance follows, and the first row that does not. */
export function checksJson(reconciliation: ParsedStatement['reconciliation']): Record<string, unknown> {
  const b = reconciliation.firstBreak;
  return {
    balance_reconciled: reconciliation.reconciled,
    first_break: b && {
      row: b.index + 1,
      page: b.page,
      date: b.date,
      expected_balance: toRupees(b.expectedBalancePaise),
      printed_balance: toRupees(b.printedBalancePaise),
    },
  };
}

/** `XXXXXXXXXX3135`: all but the last four digits hidden. */
export function maskAccountNumber(accountNumber: string | null): string | null {
  return accountNumber ? `${'X'.repeat(Math.max(0, accountNumber.length - 4))}${accountNumber.slice(-4)}` : null;
}
