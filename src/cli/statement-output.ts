/**
 * How `passbook parse` prints a parsed statement: JSON (rupees, ISO dates) or CSV. The JSON
 * uses the upload answer's names where the two say the same thing (`opening_bal`,
 * `closing_bal`, `transaction_count`, `date_range`, `checks`); every field is in
 * docs/statements.md, "passbook parse".
 */
import type { ParsedStatement } from '../domain/statement.ts';
import { checksJson } from '../wire/statement-checks.ts';
import { toRupees, toRupeesOrNull } from '../domain/money.ts';

export function statementJson(parsed: ParsedStatement, bankName: string | null): Record<string, unknown> {
  const first = parsed.transactions[0];
  const last = parsed.transactions.at(-1);
  const range = parsed.period ?? (first && last ? { from: first.date, to: last.date } : null);
  const id = parsed.identity;
  return {
    bank_name: bankName,
    page_count: parsed.pageCount,
    identity: {
      name: id.name,
      account_number: id.accountNumber,
      ifsc: id.ifsc,
      micr: id.micr,
      address: id.address,
      account_category: id.accountCategory,
      account_type: id.accountType,
      od_limit: toRupeesOrNull(id.odLimitPaise),
      credit_limit: toRupeesOrNull(id.creditLimitPaise),
    },
    opening_bal: toRupeesOrNull(parsed.openingBalancePaise),
    closing_bal: toRupeesOrNull(parsed.closingBalancePaise),
    date_range: { from_date: range?.from ?? null, to_date: range?.to ?? null },
    transaction_count: parsed.transactions.length,
    transactions: parsed.transactions.map((t) => ({
      date: t.date,
      transaction_type: t.type,
      amount: toRupees(t.amountPaise),
      balance: toRupeesOrNull(t.balancePaise),
      transaction_note: t.narration,
      chq_num: t.chqNum,
      page: t.page,
      bbox: t.bbox,
    })),
    checks: checksJson(parsed.reconciliation),
  };
}

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statementCsv(parsed: ParsedStatement): string {
  const header = 'date,transaction_type,amount,balance,transaction_note,chq_num,page';
  const rows = parsed.transactions.map((t) =>
    [t.date, t.type, (t.amountPaise / 100).toFixed(2), t.balancePaise === null ? null : (t.balancePaise / 100).toFixed(2), t.narration, t.chqNum, t.page].map(csvField).join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
