/**
 * A statement's reconciliation as BankConnect-style JSON, shared by the upload response and
 * `passbook parse`. Apart from statement-wire.ts, whose schemas build TypeBox at load time
 * (about a third of a second), so that the CLI's parse command never loads TypeBox.
 */
import { toRupees } from '../domain/money.ts';
import type { ParsedStatement } from '../domain/statement.ts';
import type { Checks } from './statement-wire.ts';

/** The reconciliation result: whether every balance follows, and the first row that does not. */
export function checksJson(reconciliation: ParsedStatement['reconciliation']): Checks {
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

