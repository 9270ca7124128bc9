/**
 * A statement PDF → account identity, period, balances and every transaction with its page and
 * box, reconciled row by row. Text-layer PDFs only; scanned ones are refused as PDF_IS_IMAGE.
 */
import type { BankCatalogue } from '../../banks/bank-catalogue.ts';
import { AppError } from '../../errors/codes.ts';
import { PdfError } from '../../pdf/pdf-error.ts';
import { readPdfText, type PageShare, type PdfText } from '../../pdf/read-pdf-text.ts';
import { detectBank } from './detect-bank.ts';
import { linesAboveTable, readTransactions } from './read-transactions.ts';
import { vocabularyFor } from './statement-vocabulary.ts';
import { refusalReason } from './statement-kind.ts';
import { readIdentity, readPeriod } from './statement-identity.ts';
import type { ParsedStatement } from '../../domain/statement.ts';
import { pageLines } from './text-lines.ts';

import type { ParseOptions } from '../../ports/statement-parser.ts';

export type { ParseOptions };

export async function parseStatement(bytes: Uint8Array, banks: BankCatalogue, options: ParseOptions = {}): Promise<ParsedStatement> {
  return readStatement(await readStatementText(bytes, options), banks);
}

/**
 * The first half of `parseStatement`: the text of every page. With `share`, other threads read
 * some of the pages; `afterPage` runs after each page (see `readPdfText`).
 */
export function readStatementText(bytes: Uint8Array, options: ParseOptions, share?: PageShare, afterPage?: () => void): Promise<PdfText> {
  return readPdfText(bytes, { password: options.password, maxPages: options.maxPages, share, afterPage }).catch((error: unknown) => {
    throw error instanceof PdfError ? uploadError(error, options) : error;
  });
}

/** The second half of `parseStatement`: the statement in a PDF's text. */
export function readStatement(pdf: PdfText, banks: BankCatalogue): ParsedStatement {
  if (pdf.pages.every((p) => p.items.length === 0)) throw new AppError('PDF_IS_IMAGE');
  const pages = pdf.pages.map(pageLines);
  // The bank, as far as the lines above the first table tell it, decides which of the bank
  // profiles' words apply where two banks use one label differently.
  const top = linesAboveTable(pages[0] ?? []);
  const bank = detectBank(banks, readIdentity(top).ifsc, top);
  const vocabulary = vocabularyFor(banks, bank);
  const table = readTransactions(pages, vocabulary);
  const refusal = refusalReason(pages[0] ?? [], table.header);
  if (refusal) throw new AppError('STATEMENT_UNSUPPORTED_FORMAT', refusal);
  // Month-first dates are a foreign statement's: its other dates would be read wrong, day first.
  if (table.monthFirst) throw new AppError('STATEMENT_UNSUPPORTED_FORMAT', 'Dates are printed month first, as in US statements: Passbook reads Indian bank statements');
  if (!table.found) throw new AppError('STATEMENT_UNSUPPORTED_FORMAT');
  const transactions = table.transactions;
  // A table with no rows read is never a success: either its rows are in a form we do not read
  // (and an empty answer would pass for "nothing happened"), or there is nothing to analyse.
  if (transactions.length === 0) {
    throw new AppError('STATEMENT_UNSUPPORTED_FORMAT', 'No transactions could be read from the statement');
  }
  // Amounts in one column with no Dr/Cr, no sign and no balance to tell debits from credits:
  // reading them would be a guess.
  if (table.undirected) {
    throw new AppError('STATEMENT_UNSUPPORTED_FORMAT', 'Debits cannot be told from credits: the statement prints no balance, Dr/Cr mark or sign');
  }
  const identity = readIdentity(table.preamble, vocabulary);
  return {
    detectedBank: detectBank(banks, identity.ifsc, table.preamble),
    pageCount: pdf.pageCount,
    identity,
    period: readPeriod(table.preamble),
    openingBalancePaise: table.openingBalancePaise,
    closingBalancePaise: table.closingBalancePaise,
    transactions,
    reconciliation: { reconciled: table.reconciled, firstBreak: table.firstBreak },
    printedTotals: table.printedTotals,
  };
}

/** The BankConnect upload code for a PDF the reader could not read. */
function uploadError(error: PdfError, options: ParseOptions): AppError {
  switch (error.code) {
    case 'PDF_EMPTY':
      return new AppError('EMPTY_FILE');
    case 'PDF_PASSWORD_REQUIRED':
      return new AppError('PASSWORD_INCORRECT', 'The statement is password protected; provide pdf_password');
    case 'PDF_PASSWORD_INCORRECT':
      return new AppError('PASSWORD_INCORRECT');
    case 'PDF_TOO_MANY_PAGES':
      return new AppError('STATEMENT_TOO_MANY_PAGES', `The statement has ${error.pageCount} pages; at most ${options.maxPages} are accepted`);
    case 'PDF_OVER_BUDGET':
      // A decompression bomb, or pages that take far more work to read than a statement's.
      return new AppError('INVALID_FILE_OBJECT', 'The file would take far more memory or work to read than a statement does (refused as possibly hostile)');
    case 'PDF_NOT_A_PDF':
    case 'PDF_UNREADABLE':
      return new AppError('INVALID_FILE_OBJECT');
  }
}
