/** The statement-parser port: turns a PDF into a parsed statement, off the main thread in production (statements/pool). */
import type { ParsedStatement } from '../domain/statement.ts';

export interface ParseOptions {
  password?: string;
  /** Refuse files with more pages than this (STATEMENT_TOO_MANY_PAGES), before reading their text. */
  maxPages?: number;
}

export interface StatementParser {
  parse(bytes: Uint8Array, options?: ParseOptions): Promise<ParsedStatement>;
}

export interface UploadLimits {
  maxBytes: number;
  maxPages: number;
  /** Let file_url point at private/loopback addresses (self-hosted networks, tests). */
  allowPrivateFileUrls: boolean;
  fileUrlTimeoutMs: number;
}
