/**
 * The other side of a transaction, as far as its narration says: UPI handle, IFSC, bank,
 * account tail, name, reference (UTR/RRN) and cheque number; and the narration's "clean note",
 * its counterparty words without references, dates or channel codes (what recurring sets are
 * grouped by). Narrations are split into segments at `/`, `-`, `:`, `*` and `|`; a name is the
 * first segment made only of letters that is not a channel code, a bank or a stock phrase.
 */
import { loadBankCatalogue } from '../banks/bank-catalogue.ts';
import type { Counterparty } from '../domain/insights.ts';

const UPI_HANDLE = /(?<![A-Z0-9._-])([A-Z0-9][A-Z0-9._-]{1,}@[A-Z][A-Z0-9]{1,})(?![A-Z0-9])/i;
const IFSC = /(?<![A-Z0-9])([A-Z]{4}0[A-Z0-9]{6})(?![A-Z0-9])/;
const ACCOUNT_TAIL = /(?:[X*]{2,}\d*?|A\/?C(?:\s*NO)?\.?\s*[:#-]?\s*\d*?)(\d{4})(?!\d)/i;
const LABELLED_REFERENCE = /\b(?:UTR|RRN|REF|REFNO|REF NO|TXN ID|TXNID|TRAN ID)\b\.?\s*(?:NO)?\.?\s*[:#-]?\s*([A-Z0-9]{6,22})\b/i;
const UTR = /(?<![A-Z0-9])([A-Z]{4}[A-Z0-9]?\d{9,16}|[A-Z]{1,2}\d{10,16})(?![A-Z0-9])/;
const LONG_NUMBER = /(?<![0-9X*])(\d{9,22})(?![0-9])/;
const CHEQUE = /\b(?:CHQ|CHEQUE|CHQS|INST|INSTR|CHK)\b\.?\s*(?:NO)?\.?\s*[:#-]?\s*(\d{6})(?!\d)/i;
const BANK_WORDS = /^(?:[A-Z&. ]+ )?BANK(?: OF [A-Z]+| LTD| LIMITED| INDIA)?$/;
const isBankName = (segment: string) => segment.includes('BANK') && BANK_WORDS.test(segment);

/** Words that are never a counterparty's name: channel codes, directions, stock phrases. */
const STOP_WORDS = new Set(
  (
    'UPI UPIAR UPIAB UPIOUT UPIIN UPICR UPIDR DR CR P2A P2M P2P NEFT IMPS RTGS ACH NACH ECS ATM POS MB IB INB FT TRF TRFR TFR TRANSFER ' +
    'TO BY FROM IN OUT THE OF FOR AND PAYMENT PAYMENTS PAY PAID SENT RECEIVED REC PAYMENT FROM PHONE NA NO REF UTR RRN TXN ' +
    'D C CRD DBT INWARD OUTWARD IW OW CLG CHQ CHEQUE CTS MICR CASH WDL WITHDRAWAL DEP DEPOSIT SELF ONLINE MOBILE NETBANKING ' +
    'BIL ONL BPAY INFT MMT VPS IPS PCD PRCH PURCHASE REVERSAL REV REFUND OTHERS OTHER COLLECT REQUEST MANDATE SI AUTOPAY ' +
    'MONEY VIA A C AC ACCOUNT FUND FUNDS OK YBL PAYTM IBL AXL APL OKSBI OKAXIS OKICICI OKHDFCBANK NFS EMI INST QR ' +
    'RET RTN RETN RETURN RETURNED BOUNCE BOUNCED INSUFFICIENT INSUFF CLOSED REJECT REJECTED CHG CHGS CHRG CHARGE CHARGES GST ' +
    // Month names change from one month to the next: never a counterparty's, and they would split a recurring set.
    'JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC JANUARY FEBRUARY MARCH APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER ' +
    'INT PD DEBIT CREDIT CLEARING ISSUED DEPOSITED WITHDRAWN INF TPT IFT FTB FTR NWD ATW EAW POS PRCH ACHDR NACHDR MB NEFTIN NEFTOUT IMPSIN IMPSOUT W INTENT'
  ).split(' '),
);

/** What a payment is for, printed where a name could be: kept in the clean note, never a name. */
const PURPOSE_WORDS = new Set('GIFT FAMILY HOUSEHOLD RENT EXPENSES SHARED ORDER FEES FEE MAINTENANCE ADVANCE INVOICE SUPPLIES SALARY SAL LOAN DISB SETTLEMENT'.split(' '));

const notName = (word: string) => STOP_WORDS.has(word) || PURPOSE_WORDS.has(word);
const isTrailingCode = (word: string) => word.length > 1 && word !== 'NA' && (notName(word) || banksByCode().has(word));

/** Words that mark a business, not a person (for telling `Transfer to <NAME>`). */
const BUSINESS_WORDS = new Set(
  (
    'LTD LIMITED PVT PRIVATE LLP INC CORP CORPORATION COMPANY CO TECHNOLOGIES TECHNOLOGY TECH SERVICES SERVICE SOLUTIONS SYSTEMS ' +
    'ENTERPRISES ENTERPRISE TRADERS TRADING INDUSTRIES INDIA INTERNATIONAL GLOBAL RETAIL STORE STORES MART SHOP AGENCIES AGENCY ' +
    'FINANCE FINANCIAL CAPITAL BANK FOODS FOOD HOSPITAL PHARMACY MEDICAL CLINIC HOTEL HOTELS RESTAURANT CAFE MOTORS AUTO ' +
    'ASSOCIATES CONSULTANCY CONSULTING INFOTECH SOFTWARE LABS VENTURES HOLDINGS GROUP SOCIETY TRUST SCHOOL COLLEGE UNIVERSITY ' +
    'INSURANCE SECURITIES COMMUNICATIONS TELECOM POWER ELECTRICITY GAS ENERGY PETROLEUM FUELS TRAVELS TOURS LOGISTICS EXPORTS ' +
    'IMPORTS CONSTRUCTIONS BUILDERS DEVELOPERS PROPERTIES REALTY MERCHANT PAYMENTS PAYU RAZORPAY CORPN HOUSING FOUNDATION ' +
    'SALARY SAL PAYROLL BONUS REIMBURSEMENT RENT EMI LOAN INTEREST CHARGES GST'
  ).split(' '),
);

let bankByCode: Map<string, string> | null = null;
/** NPCI code (the IFSC's first four letters) → catalogue id, loaded on first use. */
function banksByCode(): Map<string, string> {
  if (!bankByCode) {
    bankByCode = new Map();
    for (const b of loadBankCatalogue().all()) if (b.npci_code) bankByCode.set(b.npci_code, b.name);
  }
  return bankByCode;
}

const SEGMENT_SPLIT = /[/:|*\\-]|\s{2,}/;

function segmentsOf(upper: string): string[] {
  const segments: string[] = [];
  for (const part of upper.split(SEGMENT_SPLIT)) {
    const segment = part.trim();
    if (segment !== '') segments.push(segment);
  }
  return segments;
}

/** The segment as a name: its words without leading and trailing stop words; null when nothing is left or it is not letters. */
function nameIn(rawSegment: string): string | null {
  // Card numbers, terminal ids and references sit among the words: drop them, keep the words.
  const segment = /\d/.test(rawSegment) ? rawSegment.split(/\s+/).filter((w) => !/\d/.test(w)).join(' ') : rawSegment;
  if (!/^[A-Z][A-Z .&']*$/.test(segment)) return null;
  if (isBankName(segment) || banksByCode().has(segment)) return null;
  const words = segment.split(/\s+/);
  let start = 0;
  let end = words.length;
  while (start < end && notName(words[start]!)) start++;
  // A trailing single letter or `NA` is kept: it is an initial (`SUNITA D`, `PRIYA NA`) as often as a code.
  while (end > start && isTrailingCode(words[end - 1]!)) end--;
  const name = words.slice(start, end).join(' ').replace(/\.$/, '');
  return name.length >= 3 && /[A-Z]{2}/.test(name) ? name : null;
}

/** Who is on the other side, from the narration alone; every field null where the narration says nothing. */
export function parseCounterparty(narration: string): Counterparty {
  const upper = narration.includes('_') ? narration.toUpperCase().replace(/_/g, ' ') : narration.toUpperCase();
  // Cheap checks first: most narrations have no handle and no IFSC.
  const handle = narration.includes('@') ? (UPI_HANDLE.exec(narration)?.[1]?.toLowerCase() ?? null) : null;
  const ifsc = IFSC.exec(upper)?.[1] ?? null;
  const segments = segmentsOf(upper);
  let bank: string | null = ifsc ? (banksByCode().get(ifsc.slice(0, 4)) ?? null) : null;
  if (!bank) {
    for (const s of segments) {
      if (isBankName(s)) {
        bank = s;
        break;
      }
      const byCode = /^[A-Z]{4}$/.test(s) ? banksByCode().get(s) : undefined;
      if (byCode) {
        bank = byCode;
        break;
      }
    }
  }
  const withoutHandle = handle ? upper.replace(handle.toUpperCase(), ' ') : upper;
  const withoutIfsc = ifsc ? withoutHandle.replace(ifsc, ' ') : withoutHandle;
  const chequeNumber = CHEQUE.exec(withoutIfsc)?.[1] ?? null;
  const reference =
    LABELLED_REFERENCE.exec(withoutIfsc)?.[1] ?? UTR.exec(withoutIfsc)?.[1] ?? LONG_NUMBER.exec(withoutIfsc)?.[1] ?? null;
  const accountTail = ACCOUNT_TAIL.exec(withoutIfsc)?.[1] ?? null;
  let name: string | null = null;
  for (const s of segments) {
    if (handle && s === handle.toUpperCase()) continue;
    name = nameIn(s);
    if (name) break;
  }
  return { name, upiHandle: handle, ifsc, bank, accountTail, reference, chequeNumber };
}

/** Whether `name` reads as a person's (one to four words, none a business word). */
export function isPersonName(name: string): boolean {
  const words = name.split(' ');
  return words.length <= 4 && words.every((w) => !BUSINESS_WORDS.has(w)) && words.some((w) => w.length > 2 && !STOP_WORDS.has(w));
}

/** The narration's counterparty words: upper case, without UPI handles, IFSCs, references, dates, channel codes or digits. */
export function cleanNote(narration: string): string {
  const upper = narration.toUpperCase();
  const words = (upper.includes('@') ? upper.replace(UPI_HANDLE, ' ') : upper).split(/[^A-Z0-9&]+/);
  let note = '';
  for (const w of words) {
    if (w.length > 1 && !STOP_WORDS.has(w) && !/\d|^X+$/.test(w)) note = note === '' ? w : `${note} ${w}`;
  }
  return note;
}
