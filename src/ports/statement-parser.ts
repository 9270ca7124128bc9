/** The statement-parser port: turns a PDF into a parsed statement, off the main thread in production (statements/pool). */
import type { FraudFinding } from '../domain/insights.ts';
import type { ParsedStatement } from '../domain/statement.ts';

export interface ParseOptions {
  password?: string;
  /** Refuse files with more pages than this (STATEMENT_TOO_MANY_PAGES), before reading their text. */
  maxPages?: number;
  /**
   * Check the file and its rows for tampering (src/fraud/) while its bytes are at hand: the
   * statement's id names it in the findings; the bank (asked for, else detected) says which
   * producers its statements come from.
   */
  fraudCheck?: { statementId: string; bankName: string | null };
}

/** A parsed statement and what its fraud check found: null when no check was asked for. */
export type CheckedStatement = ParsedStatement & { fraudFindings: FraudFinding[] | null };

export interface StatementParser {
  parse(bytes: Uint8Array, options?: ParseOptions): Promise<CheckedStatement>;
}

export interface UploadLimits {
  maxBytes: number;
  maxPages: number;
  /** Let file_url point at private/loopback addresses (self-hosted networks, tests). */
  allowPrivateFileUrls: boolean;
  fileUrlTimeoutMs: number;
}
