/**
 * Writes one account's DEPOSIT FI data, the inverse of readDeposit (src/aa/deposit-data.ts), for
 * the sandbox FIP (issue 12 §4): ReBIT XML v1.1 (deposit_v1.1.xsd's element and attribute names)
 * or v2.0.0 (its renamed attributes, aa.md §6.2), and Finvu-style JSON (the same names,
 * attributes as properties, amounts as strings). Amounts are written as rupees with two decimals.
 */
import { createHash } from 'node:crypto';
import type { CalendarDate } from '../lib/calendar-date.ts';
import { DEPOSIT_MODES, DEPOSIT_NAMESPACE, type DepositAccount, type DepositMode } from './deposit-data.ts';

export interface DepositDocumentTransaction {
  date: CalendarDate;
  narration: string;
  type: 'debit' | 'credit';
  amountPaise: number;
  /** The balance after the transaction. */
  balancePaise: number;
  /** A v2.0.0 mode; v1.1 documents get the nearest of CASH, ATM, CARD, UPI, FT, OTHERS. */
  mode: DepositMode;
  reference: string;
  transactionId: string;
  /** Defaults to `date`. */
  valueDate?: CalendarDate;
  /** `HH:MM:SS` in IST; defaults to 09:00:00 plus one minute per earlier row of the same day. */
  time?: string;
}

export interface DepositDocumentInput {
  holder: {
    name: string;
    dob?: CalendarDate;
    mobile?: string;
    email?: string;
    pan?: string;
    address?: string;
    nominee?: 'REGISTERED' | 'NOT-REGISTERED';
    ckycCompliant?: boolean;
  };
  account: {
    /** The full number; written masked (all but the last four digits as X) unless it already is. */
    number: string;
    ifsc: string;
    micr: string;
    type: 'SAVINGS' | 'CURRENT';
    linkedAccRef?: string;
    branch?: string;
    openingDate?: CalendarDate;
    status?: 'ACTIVE' | 'INACTIVE';
    holdersType?: 'SINGLE' | 'JOINT';
  };
  transactions: DepositDocumentTransaction[];
  /** The balance before the first transaction; the current balance when there is none. */
  openingBalancePaise: number;
  period: { from: CalendarDate; to: CalendarDate };
}

export type DepositVersion = '1.1' | '2.0.0';

const V1_MODES: Record<DepositMode, string> = {
  CASH: 'CASH', ATM: 'ATM', CARD: 'CARD', UPI: 'UPI', FT: 'FT', IMPS: 'FT', NEFT: 'FT', RTGS: 'FT',
  CHEQUE: 'OTHERS', DEMAND_DRAFT: 'OTHERS', AUTO_DEBIT: 'OTHERS', INTEREST_CREDIT: 'OTHERS', NACH: 'OTHERS',
  ECS: 'OTHERS', REMITTANCE: 'OTHERS', OTHERS: 'OTHERS',
};

/** Paise → "1234.50" (a minus for negative balances). */
export function rupeesText(paise: number): string {
  const abs = Math.abs(paise);
  return `${paise < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function maskAccountNumber(number: string): string {
  if (/[xX*]/.test(number)) return number;
  return number.length <= 4 ? number : 'X'.repeat(number.length - 4) + number.slice(-4);
}

function linkedRef(input: DepositDocumentInput): string {
  if (input.account.linkedAccRef) return input.account.linkedAccRef;
  const h = createHash('sha256').update(`${input.account.ifsc}:${input.account.number}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type Attrs = [string, string | undefined][];

interface Model {
  account: Attrs;
  holders: Attrs;
  holder: Attrs;
  summary: Attrs;
  transactions: Attrs;
  rows: Attrs[];
}

function model(input: DepositDocumentInput, version: DepositVersion): Model {
  const v2 = version === '2.0.0';
  const last = input.transactions.at(-1);
  const closing = last ? last.balancePaise : input.openingBalancePaise;
  const end = input.period.to;
  const h = input.holder;
  const perDay = new Map<string, number>();
  const rows = input.transactions.map((t): Attrs => {
    const n = perDay.get(t.date) ?? 0;
    perDay.set(t.date, n + 1);
    const time = t.time ?? `${String(9 + Math.floor(n / 60) % 15).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00`;
    return [
      ['txnId', t.transactionId],
      ['type', t.type === 'credit' ? 'CREDIT' : 'DEBIT'],
      ['mode', v2 ? t.mode : V1_MODES[t.mode]],
      ['amount', rupeesText(t.amountPaise)],
      [v2 ? 'transactionalBalance' : 'currentBalance', rupeesText(t.balancePaise)],
      ['transactionTimestamp', `${t.date}T${time}+05:30`],
      ['valueDate', t.valueDate ?? t.date],
      ['narration', t.narration],
      ['reference', t.reference],
    ];
  });
  return {
    account: [
      ['type', 'deposit'],
      ['maskedAccNumber', maskAccountNumber(input.account.number)],
      ['version', version],
      ['linkedAccRef', linkedRef(input)],
    ],
    holders: [['type', input.account.holdersType ?? 'SINGLE']],
    holder: [
      ['name', h.name],
      ['dob', h.dob],
      ['mobile', h.mobile],
      ['nominee', h.nominee ?? 'NOT-REGISTERED'],
      ['address', h.address],
      ['email', h.email],
      ['pan', h.pan],
      v2 ? ['ckycRegistered', h.ckycCompliant === undefined ? undefined : h.ckycCompliant ? 'YES' : 'NO'] : ['ckycCompliance', h.ckycCompliant === undefined ? undefined : String(h.ckycCompliant)],
    ],
    summary: [
      ['currentBalance', rupeesText(closing)],
      ['currency', 'INR'],
      ['balanceDateTime', `${end}T23:59:59+05:30`],
      ...(v2 ? ([['accountType', 'REGULAR'], ['accountSubType', input.account.type]] as Attrs) : ([['type', input.account.type]] as Attrs)),
      ['branch', input.account.branch ?? ''],
      [v2 ? 'ifsc' : 'ifscCode', input.account.ifsc],
      ['micrCode', input.account.micr],
      ['openingDate', input.account.openingDate ?? input.period.from],
      ['status', input.account.status ?? 'ACTIVE'],
    ],
    transactions: [
      ['startDate', input.period.from],
      ['endDate', input.period.to],
    ],
    rows,
  };
}

function escapeAttr(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ') // eslint-disable-line no-control-regex
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attrs(list: Attrs): string {
  return list.filter((a): a is [string, string] => a[1] !== undefined).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
}

function object(list: Attrs): Record<string, string> {
  return Object.fromEntries(list.filter((a): a is [string, string] => a[1] !== undefined));
}

/** A DEPOSIT XML document (UTF-8 text) in the schema's names for `version`. */
export function depositXml(input: DepositDocumentInput, version: DepositVersion): string {
  const m = model(input, version);
  const schemaFile = version === '2.0.0' ? 'deposit_v2.0.0.xsd' : 'deposit_v1.1.xsd';
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Account xmlns="${DEPOSIT_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${DEPOSIT_NAMESPACE} ${schemaFile}"${attrs(m.account)}>`,
    '  <Profile>',
    `    <Holders${attrs(m.holders)}>`,
    `      <Holder${attrs(m.holder)}/>`,
    '    </Holders>',
    '  </Profile>',
    `  <Summary${attrs(m.summary)}/>`,
    `  <Transactions${attrs(m.transactions)}>`,
    ...m.rows.map((r) => `    <Transaction${attrs(r)}/>`),
    '  </Transactions>',
    '</Account>',
  ];
  return out.join('\n') + '\n';
}

/** A Finvu-style JSON DEPOSIT document: ReBIT names, attributes as string properties. */
export function depositJson(input: DepositDocumentInput, version: DepositVersion = '2.0.0'): string {
  const m = model(input, version);
  return JSON.stringify({
    ...object(m.account),
    Profile: { Holders: { ...object(m.holders), Holder: [object(m.holder)] } },
    Summary: object(m.summary),
    Transactions: { ...object(m.transactions), Transaction: m.rows.map(object) },
  });
}

/**
 * A read DEPOSIT account as writer input, to give the data in the other format than the FIP
 * sent (`get_pdfs?aa_data_format=`). What the writer has no place for (pending transactions,
 * a second holder, limits) is left out; modes outside ReBIT's list become OTHERS.
 */
export function depositDocumentInputOf(account: DepositAccount): DepositDocumentInput {
  const holder = account.holders[0];
  const summary = account.summary;
  const opt = <K extends string, V>(key: K, value: V | null | undefined) => (value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    holder: {
      name: holder?.name ?? account.identity.name ?? '',
      ...opt('dob', holder?.dob),
      ...opt('mobile', holder?.mobile),
      ...opt('email', holder?.email),
      ...opt('pan', holder?.pan),
      ...opt('address', holder?.address),
    },
    account: {
      number: account.maskedAccountNumber,
      ifsc: summary?.ifsc ?? account.identity.ifsc ?? '',
      micr: summary?.micr ?? account.identity.micr ?? '',
      type: summary?.accountType ?? 'SAVINGS',
      linkedAccRef: account.linkedAccRef,
      ...opt('branch', summary?.branch),
      ...opt('openingDate', summary?.openingDate),
      ...(summary?.status === 'ACTIVE' || summary?.status === 'INACTIVE' ? { status: summary.status } : {}),
      ...(account.holdersType === 'SINGLE' || account.holdersType === 'JOINT' ? { holdersType: account.holdersType } : {}),
    },
    transactions: account.transactions.map((t) => ({
      date: t.date,
      narration: t.narration,
      type: t.type,
      amountPaise: t.amountPaise,
      balancePaise: t.balancePaise,
      mode: (DEPOSIT_MODES as readonly string[]).includes(t.mode) ? (t.mode as DepositMode) : 'OTHERS',
      reference: t.reference,
      transactionId: t.transactionId,
      ...(t.valueDate ? { valueDate: t.valueDate } : {}),
    })),
    openingBalancePaise: account.openingBalancePaise ?? summary?.currentBalancePaise ?? 0,
    period: account.period ?? { from: account.transactions[0]?.date ?? ('1970-01-01' as CalendarDate), to: account.transactions.at(-1)?.date ?? ('1970-01-01' as CalendarDate) },
  };
}
