/**
 * Why a PDF could not be read. The reader knows nothing of bank statements: the statement
 * parser maps these onto the BankConnect upload codes (statements/parse/parse-statement.ts).
 */
export type PdfErrorCode =
  | 'PDF_EMPTY'
  | 'PDF_NOT_A_PDF'
  | 'PDF_PASSWORD_REQUIRED'
  | 'PDF_PASSWORD_INCORRECT'
  | 'PDF_TOO_MANY_PAGES'
  /** The file decodes to far more data than its size allows (a decompression bomb). */
  | 'PDF_OVER_BUDGET'
  | 'PDF_UNREADABLE';

export class PdfError extends Error {
  readonly code: PdfErrorCode;
  /** The document's page count, with PDF_TOO_MANY_PAGES. */
  readonly pageCount?: number;

  constructor(code: PdfErrorCode, message: string, pageCount?: number) {
    super(message);
    this.name = 'PdfError';
    this.code = code;
    this.pageCount = pageCount;
  }
}

/** Something the lean reader does not handle exactly as pdfjs does: read the document with pdfjs instead. */
export class Unsupported extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Unsupported';
  }
}
