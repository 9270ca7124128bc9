/**
 * The transactions page's data: the parts of the insights document (src/wire/insights-wire.ts,
 * `InsightsResponse`) the page reads, turned into rows that filter fast (20,000 of them), and
 * the filters as the page's URL carries them.
 */
import { request } from '../api.ts';

/** `[x0, top, x1, bottom]` in PDF points, from the page's top-left corner. */
export type BBox = [number, number, number, number];

export interface TransactionWire {
  transaction_type: 'debit' | 'credit';
  transaction_note: string;
  chq_num: string | null;
  amount: number;
  balance: number | null;
  date: string;
  hash: string;
  category: string;
  metadata: {
    unclean_merchant: string | null;
    transaction_channel: string;
    description: string;
    merchant_category: string;
    clean_transaction_note: string;
    counterparty?: { name: string | null; upi_handle: string | null } | null;
  };
  statement_id: string;
  page: number | null;
  bbox: BBox | null;
}

export type EvidenceWire =
  | { kind: 'box'; statement_id: string; page: number; bbox: BBox; transaction_hash: string | null }
  | { kind: 'metadata'; statement_id: string; field: string; value: string | null };

export interface FraudWire {
  statement_id: string | null;
  fraud_type: string;
  transaction_hash: string | null;
  fraud_category: string;
  reason: string;
  evidence: EvidenceWire[];
}

export interface AccountWire {
  account_id: string;
  data: {
    account_details: { bank: string; account_number: string | null; name: string | null };
    fraud: FraudWire[];
    transactions: TransactionWire[];
    statement_stats: { statement_id: string; upload_file_name: string | null; page_count: number | null }[];
  };
}

export interface InsightsDoc {
  session_id: string;
  link_id: string;
  accounts: AccountWire[];
}

export function fetchInsights(sessionId: string, signal?: AbortSignal): Promise<InsightsDoc> {
  return request<InsightsDoc>('GET', `/console/api/sessions/${encodeURIComponent(sessionId)}/insights`, undefined, signal);
}

/** One transaction as the table shows it. */
export interface Row {
  /** Its place in the account's transactions (statement order), from 0. */
  index: number;
  hash: string;
  /** `YYYY-MM-DD`. */
  date: string;
  note: string;
  type: 'debit' | 'credit';
  amount: number;
  balance: number | null;
  channel: string;
  category: string;
  merchant: string | null;
  statementId: string;
  page: number | null;
  bbox: BBox | null;
  /** Lower-cased narration, merchant and counterparty: what the text search looks in. */
  haystack: string;
  /** Fraud findings that name this row (as the finding's transaction or in its evidence). */
  flagged: boolean;
}

export function rowsOf(account: AccountWire): Row[] {
  const flagged = new Set<string>();
  for (const f of account.data.fraud) {
    if (f.transaction_hash) flagged.add(f.transaction_hash);
    for (const e of f.evidence) if (e.kind === 'box' && e.transaction_hash) flagged.add(e.transaction_hash);
  }
  return account.data.transactions.map((t, index) => {
    const m = t.metadata;
    const merchant = m.unclean_merchant ?? m.counterparty?.name ?? null;
    return {
      index,
      hash: t.hash,
      date: t.date.slice(0, 10),
      note: t.transaction_note,
      type: t.transaction_type,
      amount: t.amount,
      balance: t.balance,
      channel: m.transaction_channel,
      category: t.category,
      merchant,
      statementId: t.statement_id,
      page: t.page,
      bbox: t.bbox,
      haystack: [t.transaction_note, merchant, m.clean_transaction_note, m.counterparty?.upi_handle, m.description].filter(Boolean).join('\n').toLowerCase(),
      flagged: flagged.has(t.hash),
    };
  });
}

export interface Filters {
  account: string;
  q: string;
  channel: string;
  category: string;
  type: '' | 'debit' | 'credit';
  /** Rupees, as typed: '' for none. */
  min: string;
  max: string;
  from: string;
  to: string;
}

export const EMPTY_FILTERS: Filters = { account: '', q: '', channel: '', category: '', type: '', min: '', max: '', from: '', to: '' };
const KEYS = Object.keys(EMPTY_FILTERS) as (keyof Filters)[];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d+(\.\d{0,2})?$/;

export function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const get = (key: string) => p.get(key)?.trim() ?? '';
  const type = get('type');
  const date = (key: string) => (ISO_DATE.test(get(key)) ? get(key) : '');
  const amount = (key: string) => (AMOUNT.test(get(key)) ? get(key) : '');
  return {
    account: get('account'),
    q: get('q'),
    channel: get('channel'),
    category: get('category'),
    type: type === 'debit' || type === 'credit' ? type : '',
    min: amount('min'),
    max: amount('max'),
    from: date('from'),
    to: date('to'),
  };
}

export function filtersSearch(filters: Filters): string {
  const p = new URLSearchParams();
  for (const key of KEYS) if (filters[key]) p.set(key, filters[key]);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Whether any filter but the account is set. */
export function hasFilters(filters: Filters): boolean {
  return KEYS.some((key) => key !== 'account' && filters[key] !== '');
}

export function applyFilters(rows: Row[], f: Filters): Row[] {
  if (!hasFilters(f)) return rows;
  const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
  const min = f.min === '' ? null : Number(f.min);
  const max = f.max === '' ? null : Number(f.max);
  return rows.filter(
    (r) =>
      (f.type === '' || r.type === f.type) &&
      (f.channel === '' || r.channel === f.channel) &&
      (f.category === '' || r.category === f.category) &&
      (min === null || r.amount >= min) &&
      (max === null || r.amount <= max) &&
      (f.from === '' || r.date >= f.from) &&
      (f.to === '' || r.date <= f.to) &&
      words.every((w) => r.haystack.includes(w)),
  );
}

/** The distinct values of a column, sorted by their labels. */
export function optionsOf(rows: Row[], pick: (r: Row) => string, label: (v: string) => string): { value: string; label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(pick(r), (counts.get(pick(r)) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, label: label(value), count })).sort((a, b) => a.label.localeCompare(b.label));
}

const CHANNEL_LABELS: Record<string, string> = {
  upi: 'UPI',
  neft: 'NEFT',
  imps: 'IMPS',
  rtgs: 'RTGS',
  ach: 'ACH',
  nach: 'NACH',
  atm: 'ATM',
  emi: 'EMI',
  chq: 'Cheque',
  cash_withdrawl: 'Cash withdrawal',
  net_banking_transfer: 'Net banking transfer',
  Other: 'Other',
};

function humanize(value: string): string {
  const words = value.replaceAll('_', ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '—';
}

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? humanize(channel.replace(/\b(upi|neft|imps|rtgs|ach|nach|atm|emi)\b/gi, (w) => w.toUpperCase()));
}

export function categoryLabel(category: string): string {
  return category ? humanize(category) : 'Uncategorised';
}

export function fraudTypeLabel(type: string): string {
  return humanize(type);
}

const money = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1,23,456.00: Indian grouping, as the statements print it. */
export function formatAmount(rupees: number | null): string {
  return rupees === null ? '—' : money.format(rupees);
}

export function formatRupees(rupees: number | null): string {
  if (rupees === null) return '—';
  return `${rupees < 0 ? '−' : ''}₹${money.format(Math.abs(rupees))}`;
}
