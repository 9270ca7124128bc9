/**
 * The fraud findings of one uploaded statement, each with its reason in plain words and its
 * evidence (a row's or a drawing's box on a page, or a metadata field of the PDF): metadata
 * (producer, modification, revisions, covered-and-redrawn text, odd fonts in the amount
 * columns), accounting (balances that do not chain) and dates (outside the period, out of
 * order, impossible). Definitions: docs/insights.md ("Fraud findings").
 *
 * Runs at upload on every statement, on bytes that may be hostile: it never throws. Each check
 * runs on its own, so a part of the file that cannot be read leaves out only the checks that
 * need it; the page checks stop within the text reader's work budgets.
 */
import type { FraudFinding } from '../domain/insights.ts';
import type { ParsedStatement } from '../domain/statement.ts';
import { standardDecryptor, type StreamDecryptor } from '../pdf/decrypt.ts';
import { PdfFile } from '../pdf/objects.ts';
import { fontMismatchIn, moneyRunsOnPage, overwrittenTextOnPage, rowsByPage, type MoneyRun } from './drawing-checks.ts';
import { modifiedFindings, producerFindings, revisionFindings } from './metadata-checks.ts';
import { visitPageMarks } from './page-marks.ts';
import { countRevisions, objectRoles, readDocumentInfo, readXmp, type DocumentInfo } from './pdf-metadata.ts';
import { balanceBreakFindings, dateFindings, MAX_FINDINGS_PER_TYPE, totalsFindings } from './statement-checks.ts';

export interface StatementFraudOptions {
  statementId: string;
  /** Software the bank's statements are made with (its profile's `producers`); empty when not known. */
  knownProducers: string[];
  password?: string;
}

export function findStatementFraud(bytes: Uint8Array, parsed: ParsedStatement, options: StatementFraudOptions): FraudFinding[] {
  const { statementId } = options;
  const findings: FraudFinding[] = [];
  const check = (run: () => FraudFinding[]): void => {
    try {
      findings.push(...run());
    } catch {
      // This check could not be made on this file; the others stand.
    }
  };

  const opened = openFile(bytes, options.password);
  const info = opened ? (attempt(() => readDocumentInfo(opened.file, opened.decryptor)) ?? rawDocumentInfo(bytes)) : rawDocumentInfo(bytes);
  if (opened?.readable) info.xmp = attempt(() => readXmp(opened.file)) ?? undefined;
  check(() => producerFindings(info, options.knownProducers, statementId));
  check(() => modifiedFindings(info, statementId));
  check(() => revisionFindings(countRevisions(bytes), statementId, (opened && attempt(() => objectRoles(opened.file))) ?? undefined));

  if (opened?.readable) {
    // Page by page, keeping only the amounts in the rows: the drawing of every page together is large.
    const overwritten: FraudFinding[] = [];
    const money: MoneyRun[] = [];
    const byPage = attempt(() => rowsByPage(parsed)) ?? new Map<number, number[]>();
    attempt(() =>
      visitPageMarks(opened.file, (page) => {
        if (overwritten.length < MAX_FINDINGS_PER_TYPE) overwritten.push(...(attempt(() => overwrittenTextOnPage(page, parsed, statementId)) ?? []));
        money.push(...(attempt(() => moneyRunsOnPage(page, parsed, byPage)) ?? []));
      }),
    );
    findings.push(...overwritten.slice(0, MAX_FINDINGS_PER_TYPE));
    check(() => fontMismatchIn(money, parsed, statementId));
  }

  check(() => balanceBreakFindings(parsed, statementId));
  check(() => totalsFindings(parsed, statementId));
  check(() => dateFindings(parsed, statementId));
  return findings;
}

function attempt<T>(run: () => T): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

/**
 * The file through the object reader, decrypted with `password` (or the empty user password)
 * when it is encrypted. `readable` is false when it is encrypted and the password does not open
 * it: its streams and strings cannot be read then.
 */
function openFile(bytes: Uint8Array, password: string | undefined): { file: PdfFile; decryptor: StreamDecryptor | null; readable: boolean } | null {
  const file = attempt(() => new PdfFile(bytes));
  if (!file) return null;
  const encrypt = file.trailer.get('Encrypt');
  if (encrypt === undefined) return { file, decryptor: null, readable: true };
  const decryptor = attempt(() => standardDecryptor(file, encrypt, password || undefined));
  if (!decryptor) return { file, decryptor: null, readable: false };
  file.setDecryptor(decryptor);
  return { file, decryptor, readable: true };
}

/**
 * The information fields found by scanning the bytes, for a file whose structure the object
 * reader declines (a broken cross-reference table): the last value of each literal string
 * written, as a reader that repairs the file would take the newest. Not for encrypted files.
 */
function rawDocumentInfo(bytes: Uint8Array): DocumentInfo {
  const info: DocumentInfo = { producer: null, creator: null, creationDate: null, modDate: null };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (/\/Encrypt\b/.test(text)) return info;
  const last = (key: string): string | null => {
    const pattern = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)]){0,512})\\)`, 'g');
    let value: string | null = null;
    for (const m of text.matchAll(pattern)) value = m[1]!.replace(/\\(.)/g, '$1').trim() || null;
    return value;
  };
  info.producer = last('Producer');
  info.creator = last('Creator');
  info.creationDate = last('CreationDate');
  info.modDate = last('ModDate');
  return info;
}
