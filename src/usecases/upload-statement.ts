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
import { AppError } from '../errors/codes.ts';
import { monthsBetween, type CalendarDate } from '../lib/calendar-date.ts';
import { fetchPublicUrl, UrlRefusedError } from '../net/public-url.ts';
import type { ParsedStatement } from '../domain/statement.ts';
import { sessionsRepository } from '../store/repositories/sessions-repository.ts';
import { statementsRepository } from '../store/repositories/statements-repository.ts';
import type { Queryable } from '../ports/db.ts';
import type { CheckedStatement } from '../ports/statement-parser.ts';
import { recordCompletionOnce } from '../webhooks/webhook-outbox.ts';
import type { Deps } from './deps.ts';
import { discardStatement } from './discard-statements.ts';
import type { AccountSummary } from '../domain/account.ts';
import { accountsRepository } from '../store/repositories/accounts-repository.ts';

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
}

export interface UploadResult {
  session: Session;
  statementId: string;
  accountId: string;
  bankName: string;
  /** With what its fraud check found (null only for a parser asked for no check). */
  parsed: CheckedStatement;
  /** Months this statement covers, and the session's required months still uncovered. */
  months: string[];
  missingMonths: string[];
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

async function fileBytes(deps: UploadDeps, input: UploadInput): Promise<{ bytes: Buffer; fileName: string | null }> {
  if (input.file) return input.file;
  if (input.fileBase64 !== null) {
    const text = input.fileBase64.replace(/^data:[^,]*;base64,/, '');
    if (!BASE64.test(text) || text.replace(/\s/g, '').length % 4 !== 0) throw new AppError('INVALID_BASE_64');
    return { bytes: Buffer.from(text, 'base64'), fileName: null };
  }
  if (input.fileUrl !== null) {
    try {
      const res = await fetchPublicUrl(input.fileUrl, {
        allowPrivate: deps.limits.allowPrivateFileUrls,
        maxBytes: deps.limits.maxBytes,
        timeoutMs: deps.limits.fileUrlTimeoutMs,
      });
      if (res.status < 200 || res.status >= 300) throw new AppError('INVALID_FILE_URL', `This file url is invalid (the server answered ${res.status})`);
      return { bytes: res.body, fileName: decodeURIComponent(new URL(res.url).pathname.split('/').pop() ?? '') || null };
    } catch (error) {
      if (error instanceof UrlRefusedError) {
        if (error.reason === 'too-large') throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${deps.limits.maxBytes} bytes.`);
        throw new AppError('INVALID_FILE_URL');
      }
      throw error;
    }
  }
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
    throw new AppError('BANK_NAME_MISMATCH', `Not ${expected} bank statement`);
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
      if (!(await txRepo.markStored(statementId))) return null;
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
  const months = range ? monthsBetween(range.from, range.to) : [];
  return { session, statementId, accountId, bankName, parsed, months, missingMonths: session.months.filter((m) => !account.months.includes(m)) };
}

/** In a transaction: locks the session (see `lockForStatements`) and refuses it once it takes no more statements. */
async function requireSessionOpen(tx: Queryable, sessionId: string, mode: 'share' | 'no key update' = 'share'): Promise<void> {
  const open = await sessionsRepository(tx).lockForStatements(sessionId, mode);
  if (!open || open.deleted) throw new AppError('SESSION_DELETED');
  // initiate_processing was called while this statement was parsed or stored.
  if (open.processingRequested) throw new AppError('SESSION_EXPIRED');
}
