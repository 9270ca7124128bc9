/**
 * Backend upload of one statement into a session (`statement/upload_session/`): get the file
 * (multipart, BASE64 or file_url), refuse duplicates, parse it in a worker, check bank and date
 * range, then store the PDF (durably) and its account, statement and transactions before
 * answering. The transactions go in short chunks under an invisible (`storing`) statement row
 * that one last short transaction makes visible (docs/architecture.md, "Storing a statement").
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '../domain/client.ts';
import { statusAt, type Session } from '../domain/session.ts';
import { AppError, ERROR_CODES } from '../errors/codes.ts';
import type { CalendarDate } from '../lib/calendar-date.ts';
import { fetchPublicUrl, UrlRefusedError } from '../net/public-url.ts';
import type { ParsedStatement } from '../domain/statement.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import type { Queryable } from '../ports/db.ts';
import type { CheckedStatement } from '../ports/statement-parser.ts';
import { recordCompletionOnce } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';
import { discardStatement } from './discard-statements.ts';
import { coveredMonths, type AccountSummary } from '../domain/account.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';
import { sessionEventsRepository } from '../store/repositories/session-events-repository.ts';

export type UploadDeps = Pick<Deps, 'db' | 'banks' | 'now' | 'blobs' | 'parser' | 'limits' | 'webhooks'>;

export interface UploadInput {
  sessionId: string;
  uploadType: 'PDF' | 'BASE64';
  /** The uploaded file part (PDF uploads) or the BASE64 text. */
  file: { bytes: Buffer; fileName: string | null } | null;
  fileBase64: string | null;
  fileUrl: string | null;
  bankName: string | null;
  pdfPassword: string | null;
  /** Who uploaded: the lender's backend (the default) or the user in the hosted journey; the console's timeline says which. */
  channel?: 'api' | 'journey';
}

export interface UploadResult {
  session: Session;
  statementId: string;
  accountId: string;
  bankName: string;
  /** With what its fraud check found (null only for a parser asked for no check). */
  parsed: CheckedStatement;
  /** Months this statement covers (`coveredMonths`), and the session's required months still uncovered. */
  months: string[];
  missingMonths: string[];
}

/** BANK_NAME_MISMATCH, knowing the bank the statement is from (the hosted journey names it). */
export class BankMismatchError extends AppError {
  readonly detectedBank: string;

  constructor(expected: string, detectedBank: string) {
    super('BANK_NAME_MISMATCH', `Not ${expected} bank statement`);
    this.detectedBank = detectedBank;
  }
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * Why a file_url was refused, after "This file url is invalid": the lender needs the reason to
 * fix its side (a presigned link that expired answers 403, a private bucket address is refused),
 * as webhook_url refusals already say. Never the URL (a presigned one carries a secret) nor a
 * resolved address.
 */
function fileUrlReason(error: UrlRefusedError, timeoutMs: number): string {
  switch (error.reason) {
    case 'invalid-url':
      return 'it is not a valid URL';
    case 'scheme':
      return 'only http and https URLs are allowed';
    case 'credentials':
      return 'URLs with a user name or password are not allowed';
    case 'private-address':
      return 'it points to a private, loopback or reserved address';
    case 'unresolvable':
      return 'its host name does not resolve';
    case 'timeout':
      return `the server did not send the file within ${timeoutMs / 1000} seconds`;
    case 'too-many-redirects':
      return 'it redirects too many times';
    case 'connection':
      return 'the connection to the server failed';
    case 'too-large':
    case 'http-status':
      // Answered by the caller with their own codes and details; kept for exhaustiveness.
      return error.message;
  }
}

function fileUrlRefused(reason: string): AppError {
  return new AppError('INVALID_FILE_URL', `${ERROR_CODES.INVALID_FILE_URL.message}: ${reason}.`);
}

/** A PDF starts with `%PDF-`, which readers accept anywhere in the first 1024 bytes. */
function looksLikePdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 1024).includes('%PDF-');
}

async function fetchFileUrl(deps: UploadDeps, fileUrl: string): Promise<{ bytes: Buffer; fileName: string | null }> {
  const { maxBytes, fileUrlTimeoutMs } = deps.limits;
  let res: Awaited<ReturnType<typeof fetchPublicUrl>>;
  try {
    res = await fetchPublicUrl(fileUrl, { allowPrivate: deps.limits.allowPrivateFileUrls, maxBytes, timeoutMs: fileUrlTimeoutMs });
  } catch (error) {
    if (!(error instanceof UrlRefusedError)) throw error;
    // Too large stays PAYLOAD_TOO_LARGE, as a too-large file part is.
    if (error.reason === 'too-large') throw new AppError('PAYLOAD_TOO_LARGE', `The file at file_url is larger than ${maxBytes} bytes.`);
    throw fileUrlRefused(fileUrlReason(error, fileUrlTimeoutMs));
  }
  if (res.status < 200 || res.status >= 300) throw fileUrlRefused(`the server answered HTTP ${res.status}`);
  // An HTML error or login page served with 200 (an expired share link, say) is the usual
  // case; an empty answer is left to EMPTY_FILE.
  if (res.body.length > 0 && !looksLikePdf(res.body)) {
    const type = res.headers['content-type']?.split(';')[0]?.trim();
    throw new AppError('INVALID_FILE_OBJECT', `${ERROR_CODES.INVALID_FILE_OBJECT.message}: the file at file_url is not a PDF${type ? ` (the server sent ${type})` : ''}.`);
  }
  return { bytes: res.body, fileName: decodeURIComponent(new URL(res.url).pathname.split('/').pop() ?? '') || null };
}

async function fileBytes(deps: UploadDeps, input: UploadInput): Promise<{ bytes: Buffer; fileName: string | null }> {
  if (input.file) return input.file;
  if (input.fileBase64 !== null) {
    const text = input.fileBase64.replace(/^data:[^,]*;base64,/, '');
    if (!BASE64.test(text) || text.replace(/\s/g, '').length % 4 !== 0) throw new AppError('INVALID_BASE_64');
    return { bytes: Buffer.from(text, 'base64'), fileName: null };
  }
  if (input.fileUrl !== null) return fetchFileUrl(deps, input.fileUrl);
  throw new AppError('MISSING_FILE_OBJECT');
}

/** The period a statement covers: as printed, else from its first to its last transaction. */
function statementRange(parsed: ParsedStatement): { from: CalendarDate; to: CalendarDate } | null {
  const first = parsed.transactions[0]?.date;
  const last = parsed.transactions.at(-1)?.date;
  return parsed.period ?? (first && last ? { from: first, to: last } : null);
}

export async function uploadStatement(deps: UploadDeps, client: Client, input: UploadInput): Promise<UploadResult> {
  const session = await sessionsRepository(deps.db).findForClient(client.clientId, input.sessionId);
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  if (session.deletedAt) throw new AppError('SESSION_DELETED');
  try {
    return await storeUpload(deps, client, session, input);
  } catch (error) {
    if (error instanceof AppError && error.code !== 'SESSION_DELETED') await recordRefusal(deps, session.sessionId, input, error);
    throw error;
  }
}

/**
 * A refused upload goes in the session's timeline with its reason, so that the lender's people
 * can tell a borrower what went wrong. Never the password or the file: its name and how it came.
 * Recording is best-effort: the upload's own answer matters more than its log line.
 */
async function recordRefusal(deps: UploadDeps, sessionId: string, input: UploadInput, error: AppError): Promise<void> {
  const details: Record<string, unknown> = {
    code: error.code,
    message: error.message,
    channel: input.channel ?? 'api',
    source: input.file ? 'file' : input.fileBase64 !== null ? 'base64' : input.fileUrl !== null ? 'file_url' : null,
    file_name: input.file?.fileName ?? null,
  };
  if (error instanceof BankMismatchError) details.detected_bank = error.detectedBank;
  await sessionEventsRepository(deps.db).record(sessionId, 'upload_refused', deps.now(), details).catch(() => {});
}

async function storeUpload(deps: UploadDeps, client: Client, session: Session, input: UploadInput): Promise<UploadResult> {
  // After initiate_processing the session is concluded: it takes no more statements.
  if (statusAt(session, deps.now()) !== 'created' || session.processingRequestedAt) throw new AppError('SESSION_EXPIRED');

  const given = input.bankName === null ? undefined : deps.banks.find(input.bankName);
  if (input.bankName !== null && !given) throw new AppError('INVALID_BANK_NAME');

  const { bytes, fileName } = await fileBytes(deps, input);
  if (bytes.length === 0) throw new AppError('EMPTY_FILE');
  if (bytes.length > deps.limits.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${deps.limits.maxBytes} bytes.`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const repo = statementsRepository(deps.db);
  if (await repo.findBySha256(session.sessionId, sha256)) throw new AppError('STATEMENT_DUPLICATE');

  const statementId = randomUUID();
  const parsed = await deps.parser.parse(bytes, {
    maxPages: deps.limits.maxPages,
    ...(input.pdfPassword ? { password: input.pdfPassword } : {}),
    fraudCheck: { statementId, bankName: given?.name ?? (session.journeyMode === 'multi_banking' ? null : session.bankName) },
  });

  // The bank: the one asked for must match what the statement shows; with none asked for
  // (a "bankless" upload) the session's bank or the detected one is used.
  const expected = given?.name ?? (session.journeyMode === 'multi_banking' ? null : session.bankName);
  if (expected && parsed.detectedBank && parsed.detectedBank !== expected) {
    throw new BankMismatchError(expected, parsed.detectedBank);
  }
  const bankName = expected ?? parsed.detectedBank;
  if (!bankName) throw new AppError('BANK_NAME_UNDETECTED');

  if (!session.acceptAnything && !parsed.transactions.some((t) => t.date >= session.fromDate && t.date <= session.toDate)) {
    throw new AppError('OUT_OF_DATE_RANGE');
  }

  // Parsing takes a while: the same file may have been stored meanwhile.
  if (await repo.findBySha256(session.sessionId, sha256)) throw new AppError('STATEMENT_DUPLICATE');

  const range = statementRange(parsed);
  const blobKey = `sessions/${session.sessionId}/${statementId}.pdf`;
  // 1. The statement row, in state `storing`: invisible to every reader, so nothing half-stored
  //    is ever seen, yet it names the blob and the rows for cleanup if the upload never ends.
  const accountId = await deps.db.transaction(async (tx) => {
    await requireSessionOpen(tx, session.sessionId);
    const txRepo = statementsRepository(tx);
    const id = await txRepo.ensureAccount(session.sessionId, bankName, parsed.identity, randomUUID());
    await txRepo.insertStoring({
      statementId,
      sessionId: session.sessionId,
      accountId: id,
      bankName,
      source: 'pdf',
      fileSha256: sha256,
      blobKey,
      uploadFileName: fileName,
      pageCount: parsed.pageCount,
      fromDate: range?.from ?? null,
      toDate: range?.to ?? null,
      openingBalancePaise: parsed.openingBalancePaise,
      closingBalancePaise: parsed.closingBalancePaise,
      reconciled: parsed.reconciliation.reconciled,
      firstBreak: parsed.reconciliation.firstBreak,
      fraudFindings: parsed.fraudFindings ?? [],
    });
    return id;
  });
  let accounts: AccountSummary[] | null;
  try {
    // 2. The PDF (durable before the answer), then the transactions in short chunks, so that
    //    a big statement never holds the store (PGlite: the main thread) for long.
    await deps.blobs.put(blobKey, bytes);
    await repo.appendTransactions(statementId, accountId, parsed.transactions);
    // 3. One short transaction makes it visible, unless the file was stored meanwhile (STATEMENT_DUPLICATE)
    //    or the statement was discarded (its session deleted, or swept as abandoned).
    //    The first statement that meets the acceptance criteria announces the completion, in
    //    the same transaction. The lock is exclusive here (not `share`), because announcing
    //    updates the session row: two uploads each holding a share lock would deadlock.
    accounts = await deps.db.transaction(async (tx) => {
      await requireSessionOpen(tx, session.sessionId, 'no key update');
      const txRepo = statementsRepository(tx);
      if (!(await txRepo.markStored(statementId, deps.now()))) return null;
      await txRepo.refreshAccount(accountId, parsed.identity);
      const all = await accountsRepository(tx).summaries(session);
      if (all.some((a) => a.complete)) await recordCompletionOnce(tx, deps, session, all);
      return all;
    });
    if (!accounts) throw new Error(`Statement ${statementId} was discarded while it was being stored`);
  } catch (error) {
    // The blob too when the row is already gone (with its session), so nothing is left behind.
    await deps.blobs.delete(blobKey).catch(() => {});
    await discardStatement(deps, statementId).catch(() => {});
    // Deleting the session takes its statements with it, this one included.
    if (!(error instanceof AppError) && (await sessionsRepository(deps.db).findForClient(client.clientId, session.sessionId).catch(() => null))?.deletedAt) {
      throw new AppError('SESSION_DELETED');
    }
    throw error;
  }
  deps.webhooks?.wake();
  // Coverage counts every statement of this account in the session, this one included.
  const account = accounts.find((a) => a.accountId === accountId)!;
  // The statement's own months, by the rule session_upload_status and insights use for the account.
  const months = coveredMonths(range ? [range] : []);
  return { session, statementId, accountId, bankName, parsed, months, missingMonths: session.months.filter((m) => !account.months.includes(m)) };
}

/** In a transaction: locks the session (see `lockForStatements`) and refuses it once it takes no more statements. */
async function requireSessionOpen(tx: Queryable, sessionId: string, mode: 'share' | 'no key update' = 'share'): Promise<void> {
  const open = await sessionsRepository(tx).lockForStatements(sessionId, mode);
  if (!open || open.deleted) throw new AppError('SESSION_DELETED');
  // initiate_processing was called while this statement was parsed or stored.
  if (open.processingRequested) throw new AppError('SESSION_EXPIRED');
}
