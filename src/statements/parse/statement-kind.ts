/**
 * Statements Passbook does not read, told apart before their rows are: credit-card statements
 * (their amounts are charges and payments against a limit, not an account's balance) and
 * statements in a currency other than the rupee (their dates may be month-first, their
 * amounts are not paise). Either would be read wrong rather than not at all, so they are
 * refused with a one-line reason.
 */
import type { TextLine } from './text-lines.ts';

/** Wordings only a card statement prints in its summary; two of them make one. */
const CARD_MARKS: RegExp[] = [
  /credit\s+card\s+(statement|account|number|no\b)/i,
  /\b(minimum|min\.?)\s+(amount\s+)?(due|payable)\b/i,
  /\btotal\s+(amount\s+)?(due|payable)\b/i,
  /\bpayment\s+due\s+date\b/i,
  /\bavailable\s+(credit|cash)\s+limit\b/i,
  /\b(previous|last)\s+statement\s+balance\b/i,
  /\bcard\s*(no|number)\.?\s*[:.-]?\s*[0-9X*]{4}[\s-]?[0-9X*]{2,4}/i,
  /\b[0-9]{4}[\s-]?[X*]{4}[\s-]?[X*]{4}[\s-]?[0-9]{4}\b/,
];

const CURRENCIES = ['USD', 'EUR', 'GBP', 'AED', 'SGD', 'AUD', 'CAD', 'CHF', 'JPY', 'HKD', 'NZD', 'SAR', 'QAR'];
const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };

/** A foreign account's own words: its currency named as the account's, or its bank codes. */
const FOREIGN_ACCOUNT = new RegExp(`\\b(account\\s+)?currency\\s*[:.-]?\\s*(${CURRENCIES.join('|')})\\b`, 'i');
const FOREIGN_CODES = /\b(IBAN|sort\s+code|routing\s+(number|no\.?)|ABA\s+number|member\s+FDIC)\b/i;
/** A currency named in a column label: "Amount (USD)", "Balance in EUR", "Debit ($)", "Money out £". */
const LABEL_CURRENCY = new RegExp(`(\\(\\s*(${CURRENCIES.join('|')})\\s*\\))|\\bin\\s+(${CURRENCIES.join('|')})\\b|([$€£])`);
/** A line that looks like a table header: a date label and an amount or balance label. */
const HEADER_LIKE = /\bdate\b.*\b(balance|amount|debit|credit|withdrawals?|deposits?|money\s+(in|out)|paid\s+(in|out))\b/i;
const SYMBOL_AMOUNT = /(^|\s)([$€£])\s?\d{1,3}(,\d{3})*\.\d{2}\b/;

/**
 * Why the statement whose first page is `page` (and whose table header, when found, is
 * `header`) is one Passbook does not read, or null when it is a rupee bank-account statement.
 */
export function refusalReason(page: TextLine[], header: TextLine[]): string | null {
  const text = page.map((l) => l.text);
  const cardMarks = CARD_MARKS.filter((re) => text.some((line) => re.test(line))).length;
  if (cardMarks >= 2) return 'Credit card statements are not supported: Passbook reads bank account statements';

  const named = (code: string | undefined) => (code ? (SYMBOLS[code] ?? code.toUpperCase()) : null);
  // The table's header, or when none was found, the lines of the first page that look like one.
  const headerLines = header.length > 0 ? header.map((l) => l.text) : text.filter((line) => HEADER_LIKE.test(line));
  for (const line of headerLines) {
    const m = LABEL_CURRENCY.exec(line);
    if (m) return notRupees(named(m[2] ?? m[3] ?? m[4]));
  }
  for (const line of text) {
    const m = FOREIGN_ACCOUNT.exec(line);
    if (m) return notRupees(named(m[2]));
  }
  if (text.some((line) => FOREIGN_CODES.test(line))) return notRupees(null);
  // Amounts printed with a foreign currency sign, on several lines (one forex card spend in a
  // narration is not a foreign statement).
  const symbolLines = text.map((line) => SYMBOL_AMOUNT.exec(line)?.[2]).filter((s) => s !== undefined);
  if (symbolLines.length >= 3) return notRupees(named(symbolLines[0]));
  return null;
}

function notRupees(currency: string | null): string {
  return `Statements in a currency other than Indian rupees${currency ? ` (${currency})` : ''} are not supported`;
}
