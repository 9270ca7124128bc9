/**
 * The account holder and account details printed above the transaction table, and the
 * statement period. Each field is optional: banks print different subsets.
 */
import { parseAmount } from '../../domain/money.ts';
import { parseStatementDate } from './statement-dates.ts';
import type { StatementIdentity } from '../../domain/statement.ts';
import type { TextLine } from './text-lines.ts';
import { GENERIC_NAME_LABELS, holderNamePattern, type StatementVocabulary } from './statement-vocabulary.ts';
import type { CalendarDate } from '../../lib/calendar-date.ts';

const IFSC = /\b([A-Z]{4}0[A-Z0-9]{6})\b/;
/** Names that are not the holder's, printed with the same "Name :" label. */
const OTHER_NAMES = /\b(branch|bank|nominee|father'?s?|mother'?s?|spouse|guardian|product|scheme|joint\s+holder)\s*name\b/i;
const GENERIC_HOLDER_NAME = holderNamePattern(GENERIC_NAME_LABELS);

function field(text: string, re: RegExp): string | null {
  const m = re.exec(text);
  return m?.[1]?.trim() || null;
}

export function readIdentity(preamble: TextLine[], vocabulary?: Pick<StatementVocabulary, 'holderName'>): StatementIdentity {
  const lines = preamble.map((l) => l.text);
  const text = lines.join('\n');
  const NAME = vocabulary?.holderName ?? GENERIC_HOLDER_NAME;
  let nameAt = lines.findIndex((l) => NAME.test(l) && !OTHER_NAMES.test(l));
  let name = nameAt >= 0 ? field(lines[nameAt]!, NAME) : null;
  let address = lines.filter((l) => !/\bbranch\s+address\b/i.test(l)).map((l) => field(l, /address\s*[:.-]\s*(.+)$/i)).find((a) => a) ?? null;
  const honorific = lines.findIndex((l) => /^(MR|MRS|MS|MISS|DR|M\/S)\.?\s+[A-Z]/.test(l));
  if (!name && honorific >= 0) {
    name = lines[honorific]!.replace(/^(MR|MRS|MS|MISS|DR|M\/S)\.?\s+/, '').trim();
    nameAt = honorific;
  }
  // Without an address label, the address is the unlabelled lines right under the name,
  // whether the name is printed after an honorific or after a label.
  if (!address && name && nameAt >= 0) {
    const rest: string[] = [];
    for (const line of lines.slice(nameAt + 1)) {
      if (/[:]|account|a\/c/i.test(line)) break;
      rest.push(line.trim());
    }
    address = rest.join(', ') || null;
  }
  const odLimit = field(text, /(?:od|overdraft|drawing\s+power)\s*limit\s*[:.-]?\s*([\d,]+(?:\.\d{1,2})?)/i);
  const creditLimit = field(text, /credit\s+limit\s*[:.-]?\s*([\d,]+(?:\.\d{1,2})?)/i);
  const accountType = /overdraft|\bOD\s+A\/?C/i.test(text)
    ? 'OVERDRAFT'
    : /current|\bCA[-\s]/i.test(text)
      ? 'CURRENT'
      : /savings|\bSB\b|\bSB\s/i.test(text)
        ? 'SAVINGS'
        : null;
  return {
    name,
    accountNumber: field(text, /(?:a\/?c|account)\s*(?:no|number|num)\.?\s*[:.-]?\s*([0-9X*]{6,20})/i),
    ifsc: field(text, /\b(?:ifsc|ifs)\s*(?:code)?\s*[:.-]?\s*([A-Z]{4}0[A-Z0-9]{6})\b/i) ?? field(text, IFSC),
    micr: field(text, /micr\s*(?:code)?\s*[:.-]?\s*(\d{9})\b/i),
    address,
    accountCategory: name && /^M\/S\b|\b(LTD|LIMITED|LLP|PVT|ENTERPRISES|TRADERS)\b/i.test(name) ? 'corporate' : 'individual',
    accountType,
    odLimitPaise: odLimit ? (parseAmount(odLimit)?.paise ?? null) : null,
    creditLimitPaise: creditLimit ? (parseAmount(creditLimit)?.paise ?? null) : null,
  };
}

/**
 * "Statement From : 01/05/2026 To : 31/10/2026", "Period: … to …", "from 1 May 2026 to …",
 * "for the period (From : … To : …)" (the period in brackets at the end of a sentence).
 */
export function readPeriod(preamble: TextLine[]): { from: CalendarDate; to: CalendarDate } | null {
  for (const line of preamble) {
    const m = /(?:from|period(?:\s+of)?)\s*[:.-]?\s*([0-9A-Za-z ,./-]{6,14}?)\s*(?:to|till|-)\s*[:.-]?\s*([0-9A-Za-z ,./-]{6,14})\s*\)?\s*$/i.exec(line.text);
    if (!m) continue;
    const from = parseStatementDate(m[1]!);
    const to = parseStatementDate(m[2]!);
    if (from && to && from <= to) return { from, to };
  }
  return null;
}
