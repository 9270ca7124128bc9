/** Statement upload responses, and their pieces shared with `passbook parse`. */
import { Type, type Static } from 'typebox';
import { IsoDate, Month, Nullable, OneOf, Uuid } from './wire-formats.ts';

export const NameMatches = Type.Array(Type.Object({ name: Type.String(), matched: Type.Boolean() }));

/** Rendered by `checksJson` (statement-checks.ts). */
export const Checks = Type.Object({
  balance_reconciled: Nullable(Type.Boolean()),
  first_break: Nullable(
    Type.Object({ row: Type.Integer(), page: Type.Integer(), date: IsoDate, expected_balance: Type.Number(), printed_balance: Type.Number() }),
  ),
});

const DateRange = Type.Object({ from_date: Nullable(IsoDate), to_date: Nullable(IsoDate) });

/** `statement/upload_session/`; `identity` only with `?identity=true`. */
export const UploadResponse = Type.Object({
  bank_name: Type.String(),
  statement_id: Uuid,
  page_count: Type.Integer(),
  identity: Type.Optional(
    Type.Object({
      account_number: Nullable(Type.String()),
      name: Nullable(Type.String()),
      address: Nullable(Type.String()),
      ifsc: Nullable(Type.String()),
      micr: Nullable(Type.String()),
      account_category: OneOf(['individual', 'corporate']),
      account_type: Nullable(OneOf(['SAVINGS', 'CURRENT', 'OVERDRAFT'])),
      credit_limit: Type.Number(),
      od_limit: Type.Number(),
      account_id: Uuid,
      bank_name: Type.String(),
    }),
  ),
  date_range: DateRange,
  opening_date: Type.Null(),
  opening_bal: Nullable(Type.Number()),
  closing_bal: Nullable(Type.Number()),
  is_fraud: Type.Boolean(),
  fraud_type: Nullable(Type.String()),
  metadata_analysis: Type.Object({ name_matches: NameMatches }),
  country_code: Type.Literal('IN'),
  currency_code: Type.Literal('INR'),
  extracted_date_range: DateRange,
  account_id: Uuid,
  masked_account_number: Nullable(Type.String()),
  months: Type.Array(Month),
  missing_months: Type.Array(Month),
  transaction_count: Type.Integer(),
  checks: Checks,
  status: Type.Literal(1),
  session_id: Uuid,
});
export type UploadResponse = Static<typeof UploadResponse>;
export type Checks = Static<typeof Checks>;

/** `XXXXXXXXXX3135`: all but the last four digits hidden. */
export function maskAccountNumber(accountNumber: string | null): string | null {
  return accountNumber ? `${'X'.repeat(Math.max(0, accountNumber.length - 4))}${accountNumber.slice(-4)}` : null;
}
