/** `insights/`: every account's details and transactions, each transaction with the page and box it was printed in. */
import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import type { AccountSummary } from '../domain/account.ts';
import { toRupees, toRupeesOrNull } from '../domain/money.ts';
import { nameMatches } from '../domain/name-match.ts';
import type { Session } from '../domain/session.ts';
import type { StoredTransaction } from '../domain/statement.ts';
import { NameMatches } from './statement-wire.ts';
import { IsoDate, Month, Nullable, OneOf, Uuid } from './wire-formats.ts';

const DateRange = Type.Object({ from_date: Nullable(IsoDate), to_date: Nullable(IsoDate) });

export const Transaction = Type.Object({
  transaction_type: OneOf(['debit', 'credit']),
  transaction_note: Type.String(),
  chq_num: Nullable(Type.String()),
  amount: Type.Number(),
  balance: Nullable(Type.Number()),
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} 00:00:00$' }),
  hash: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  statement_id: Uuid,
  page: Type.Integer({ minimum: 1 }),
  bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description: '[x0, top, x1, bottom] in PDF points from the top-left corner' }),
});

export const AccountDetails = Type.Object({
  name: Nullable(Type.String()),
  address: Nullable(Type.String()),
  metadata_analysis: Type.Object({ name_matches: NameMatches }),
  account_category: OneOf(['individual', 'corporate']),
  account_number: Nullable(Type.String()),
  account_opening_date: Type.Null(),
  bank: Type.String(),
  credit_limit: Type.Number(),
  ifsc: Nullable(Type.String()),
  micr: Nullable(Type.String()),
  missing_data: Type.Array(Type.Object({ from_date: IsoDate, to_date: IsoDate })),
  od_limit: Type.Number(),
  statements: Type.Array(Uuid),
  months: Type.Array(Month),
  uploaded_months: Type.Array(Month),
  country_code: Type.Literal('IN'),
  currency_code: Type.Literal('INR'),
  account_status: OneOf(['completed', 'failed', '']),
  account_type: Nullable(OneOf(['SAVINGS', 'CURRENT', 'OVERDRAFT'])),
  account_date_range: DateRange,
  transaction_date_range: DateRange,
});

/** `insights/`. */
export const InsightsResponse = Type.Object({
  session_id: Uuid,
  link_id: Type.String(),
  session_date_range: Type.Object({ from_date: IsoDate, to_date: IsoDate }),
  accounts: Type.Array(
    Type.Object({
      account_id: Uuid,
      data: Type.Object({ account_details: AccountDetails, transactions: Type.Array(Transaction) }),
    }),
  ),
});
export type InsightsResponse = Static<typeof InsightsResponse>;

export function renderInsights(session: Session, accounts: (AccountSummary & { transactions: StoredTransaction[] })[]): InsightsResponse {
  return {
    session_id: session.sessionId,
    link_id: session.linkId,
    session_date_range: { from_date: session.fromDate, to_date: session.toDate },
    accounts: accounts.map((a) => {
      const rows = a.transactions;
      const ranges = a.statements.filter((s) => s.fromDate && s.toDate);
      const id = a.identity;
      return {
        account_id: a.accountId,
        data: {
          account_details: {
            name: id.name,
            address: id.address,
            metadata_analysis: { name_matches: nameMatches(session.metadata?.names ?? [], id.name) },
            account_category: id.accountCategory,
            account_number: a.accountNumber,
            account_opening_date: null,
            bank: a.bankName,
            credit_limit: id.creditLimitPaise === null ? 0 : toRupees(id.creditLimitPaise),
            ifsc: id.ifsc,
            micr: id.micr,
            missing_data: a.missing.map((g) => ({ from_date: g.from, to_date: g.to })),
            od_limit: id.odLimitPaise === null ? 0 : toRupees(id.odLimitPaise),
            statements: a.statements.map((s) => s.statementId),
            months: a.months,
            uploaded_months: a.months,
            country_code: 'IN',
            currency_code: 'INR',
            account_status: a.processingStatus ?? '',
            account_type: id.accountType,
            account_date_range: {
              from_date: ranges.map((s) => s.fromDate!).sort()[0] ?? null,
              to_date: ranges.map((s) => s.toDate!).sort().at(-1) ?? null,
            },
            transaction_date_range: { from_date: rows[0]?.date ?? null, to_date: rows.at(-1)?.date ?? null },
          },
          transactions: rows.map((t) => ({
            transaction_type: t.type,
            transaction_note: t.narration,
            chq_num: t.chqNum,
            amount: toRupees(t.amountPaise),
            balance: toRupeesOrNull(t.balancePaise),
            date: `${t.date} 00:00:00`,
            hash: createHash('md5').update(`${t.statementId}:${t.seq}`).digest('hex'),
            // Where the row is printed: Passbook's addition, for tracing every number.
            statement_id: t.statementId,
            page: t.page,
            bbox: t.bbox,
          })),
        },
      };
    }),
  };
}
