import type { CalendarDate } from '../../lib/calendar-date.ts';
import type { BalanceBreak, FetchedTransaction, StatementIdentity, StatementTransaction, StoredTransaction } from '../../domain/statement.ts';
import type { FraudFinding } from '../../domain/insights.ts';
import type { Queryable } from '../../ports/db.ts';
import { AppError } from '../../errors/codes.ts';
import { isUniqueViolation } from '../db-errors.ts';

export interface NewStatement {
  statementId: string;
  sessionId: string;
  accountId: string;
  bankName: string;
  /** `pdf`: an uploaded file; `aa`: data fetched through an Account Aggregator (no pages). */
  source: 'pdf' | 'aa';
  fileSha256: string;
  blobKey: string;
  uploadFileName: string | null;
  pageCount: number | null;
  fromDate: CalendarDate | null;
  toDate: CalendarDate | null;
  openingBalancePaise: number | null;
  closingBalancePaise: number | null;
  reconciled: boolean | null;
  firstBreak: BalanceBreak | null;
  /** What the file and its rows showed at upload (src/fraud/statement-fraud.ts). */
  fraudFindings: FraudFinding[];
}

/**
 * Rows per INSERT (and per DELETE when discarding) while a statement's transactions are stored.
 * Each chunk is its own short statement, and the event loop gets a turn between chunks, so that
 * other queries (`/healthz`, other requests) run in between. On PGlite, which runs every query
 * on the main thread and one at a time, a 100-row INSERT takes about 4 ms (up to about 30 ms
 * the first few times in a process, while PGlite warms up; 250 rows took up to about 100 ms).
 * Storing the 15 775 rows of a 500-page statement this way takes about as long in total as in
 * 500-row INSERTs (0.6 to 0.8 s each way on a loaded 2-vCPU machine), but in one transaction
 * those rows held the store for all of that time.
 */
export const STORE_CHUNK_ROWS = 100;
const TRANSACTION_COLUMNS = ['statement_id', 'seq', 'account_id', 'date', 'narration', 'chq_num', 'type', 'amount_paise', 'balance_paise', 'page', 'bbox', 'fip_transaction_id', 'reference'];

/**
 * Lets everything already waiting on the event loop run: incoming requests are read in the poll
 * phase, and two check-phase turns guarantee that one poll phase comes in between.
 */
export async function yieldToEventLoop(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

interface TransactionRow extends Record<string, unknown> {
  statement_id: string;
  seq: number;
  date: string;
  narration: string;
  chq_num: string | null;
  type: 'debit' | 'credit';
  amount_paise: bigint;
  balance_paise: bigint | null;
  page: number | null;
  bbox: number[] | null;
  fip_transaction_id: string | null;
  reference: string | null;
}

export type { StoredTransaction };

function toTransaction(r: TransactionRow): StatementTransaction {
  return {
    date: r.date as CalendarDate,
    narration: r.narration,
    chqNum: r.chq_num,
    type: r.type,
    amountPaise: Number(r.amount_paise),
    balancePaise: r.balance_paise === null ? null : Number(r.balance_paise),
    page: r.page,
    bbox: r.bbox as StatementTransaction['bbox'],
  };
}

/** A statement that is not (or not yet) complete: still being stored, or being discarded. */
export interface UnfinishedStatement {
  statementId: string;
  sessionId: string;
  accountId: string;
  blobKey: string;
}

/**
 * Statements, their transactions and accounts. A statement is written in three steps (see
 * migrations/0006_statement_visibility.sql): `insertStoring` (state `storing`, invisible),
 * `appendTransactions` (chunked), `markStored` (visible). Every reader looks only at `stored`
 * statements, and at accounts that have one.
 */
export function statementsRepository(db: Queryable) {
  return {
    /**
     * The account for (session, bank, account number), created on first sight. An account that
     * is new here stays invisible until one of its statements is stored; an existing one is
     * left as it is (its identity is refreshed by `refreshAccount` when the statement is stored).
     */
    async ensureAccount(sessionId: string, bankName: string, identity: StatementIdentity, newAccountId: string): Promise<string> {
      const rows = await db.query<{ account_id: string }>(
        `insert into accounts (account_id, session_id, bank_name, account_number, identity)
         values ($1, $2, $3, $4, $5::jsonb)
         on conflict (session_id, bank_name, coalesce(account_number, ''))
         do update set updated_at = accounts.updated_at
         returning account_id`,
        [newAccountId, sessionId, bankName, identity.accountNumber, JSON.stringify(identity)],
      );
      return rows[0]!.account_id;
    },

    /** The identity printed on the latest statement stored for the account. */
    async refreshAccount(accountId: string, identity: StatementIdentity): Promise<void> {
      await db.query('update accounts set identity = $2::jsonb, updated_at = now() where account_id = $1', [accountId, JSON.stringify(identity)]);
    },

    /** The stored statement of this file in the session, if any (unfinished ones do not count). */
    async findBySha256(sessionId: string, sha256: string): Promise<string | null> {
      const rows = await db.query<{ statement_id: string }>(
        "select statement_id from statements where session_id = $1 and file_sha256 = $2 and state = 'stored'",
        [sessionId, sha256],
      );
      return rows[0]?.statement_id ?? null;
    },

    /** Writes the statement row in state `storing`: no reader sees it until `markStored`. */
    async insertStoring(s: NewStatement): Promise<void> {
      await db.query(
        `insert into statements (statement_id, session_id, account_id, bank_name, source, file_sha256, blob_key,
           upload_file_name, page_count, from_date, to_date, opening_balance_paise, closing_balance_paise, reconciled, first_break, fraud_findings, state)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::jsonb, 'storing')`,
        [
          s.statementId, s.sessionId, s.accountId, s.bankName, s.source, s.fileSha256, s.blobKey, s.uploadFileName,
          s.pageCount, s.fromDate, s.toDate, s.openingBalancePaise, s.closingBalancePaise, s.reconciled,
          s.firstBreak === null ? null : JSON.stringify(s.firstBreak), JSON.stringify(s.fraudFindings),
        ],
      );
    },

    /**
     * Stores the transactions (seq 1…n) in chunks of `chunkRows`, each INSERT on its own, with a
     * turn of the event loop before each, so that other queries run in between. Not atomic: the
     * statement stays `storing` (invisible) until `markStored`, and one that never gets there
     * is removed by `discardStatement` (src/core/discard-statements.ts).
     */
    async appendTransactions(statementId: string, accountId: string, transactions: (StatementTransaction | FetchedTransaction)[], chunkRows = STORE_CHUNK_ROWS): Promise<void> {
      for (let start = 0; start < transactions.length; start += chunkRows) {
        await yieldToEventLoop();
        const batch = transactions.slice(start, start + chunkRows);
        const params: unknown[] = [];
        const tuples = batch.map((t, i) => {
          params.push(statementId, start + i + 1, accountId, t.date, t.narration, t.chqNum, t.type, t.amountPaise, t.balancePaise, t.page, t.bbox,
            'fipTransactionId' in t ? t.fipTransactionId : null, 'reference' in t ? t.reference : null);
          const base = i * TRANSACTION_COLUMNS.length;
          return `(${TRANSACTION_COLUMNS.map((_, c) => `$${base + c + 1}`).join(', ')})`;
        });
        await db.query(`insert into transactions (${TRANSACTION_COLUMNS.join(', ')}) values ${tuples.join(', ')}`, params);
      }
    },

    /**
     * Makes a `storing` statement visible. False when it is no longer `storing` (discarded by
     * the sweeper, or gone with its session). Throws STATEMENT_DUPLICATE when the same file was
     * stored in the session meanwhile (the unique index on stored files refuses it).
     */
    async markStored(statementId: string, at: Date): Promise<boolean> {
      try {
        const rows = await db.query("update statements set state = 'stored', stored_at = $2 where statement_id = $1 and state = 'storing' returning 1", [statementId, at]);
        return rows.length === 1;
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('STATEMENT_DUPLICATE');
        throw error;
      }
    },

    /**
     * Claims an unfinished statement for removal: from here on `markStored` fails for it, so it
     * can never become visible. Null when it is stored (never discarded) or already gone.
     */
    async claimForDiscard(statementId: string): Promise<UnfinishedStatement | null> {
      const rows = await db.query<{ statement_id: string; session_id: string; account_id: string; blob_key: string }>(
        "update statements set state = 'discarding' where statement_id = $1 and state <> 'stored' returning statement_id, session_id, account_id, blob_key",
        [statementId],
      );
      const r = rows[0];
      return r ? { statementId: r.statement_id, sessionId: r.session_id, accountId: r.account_id, blobKey: r.blob_key } : null;
    },

    /** Deletes a claimed statement's transactions in chunks, like they were written. */
    async deleteTransactions(statementId: string, chunkRows = STORE_CHUNK_ROWS): Promise<void> {
      for (;;) {
        await yieldToEventLoop();
        const deleted = await db.query(
          `delete from transactions where statement_id = $1 and seq in (
             select seq from transactions where statement_id = $1 order by seq limit $2)
           returning 1`,
          [statementId, chunkRows],
        );
        if (deleted.length < chunkRows) return;
      }
    },

    /**
     * Deletes a claimed (`discarding`) statement row (with any transaction left) and its account
     * if no other statement uses it: an account created for this statement alone goes with it.
     */
    async deleteDiscarded(statementId: string): Promise<void> {
      await db.query(
        `with gone as (delete from statements where statement_id = $1 and state = 'discarding' returning account_id)
         delete from accounts a using gone
         where a.account_id = gone.account_id
           and not exists (select 1 from statements s where s.account_id = a.account_id and s.statement_id <> $1)`,
        [statementId],
      );
    },

    /** Statements not stored, created at least `olderThanSeconds` ago (store time), oldest first. */
    async unfinished(olderThanSeconds: number, limit = 100): Promise<string[]> {
      const rows = await db.query<{ statement_id: string }>(
        `select statement_id from statements
         where state <> 'stored' and created_at <= now() - make_interval(secs => $1)
         order by created_at limit $2`,
        [olderThanSeconds, limit],
      );
      return rows.map((r) => r.statement_id);
    },

    /** A stored statement's transactions, in statement order. */
    async transactionsOf(statementId: string): Promise<StatementTransaction[]> {
      const rows = await db.query<TransactionRow>(
        `select t.* from transactions t join statements s using (statement_id)
         where t.statement_id = $1 and s.state = 'stored' order by t.seq`,
        [statementId],
      );
      return rows.map(toTransaction);
    },

    /** An account's transactions from all its stored statements, by date, each with where it is stored. */
    async transactionsOfAccount(accountId: string): Promise<StoredTransaction[]> {
      const rows = await db.query<TransactionRow>(
        `select t.* from transactions t join statements s using (statement_id)
         where t.account_id = $1 and s.state = 'stored' order by t.date, t.statement_id, t.seq`,
        [accountId],
      );
      return rows.map((r) => ({ ...toTransaction(r), statementId: r.statement_id, seq: r.seq, fipTransactionId: r.fip_transaction_id, reference: r.reference }));
    },

    /** Where a stored statement's PDF is kept. */
    async blobKeyOf(statementId: string): Promise<string | null> {
      const rows = await db.query<{ blob_key: string }>("select blob_key from statements where statement_id = $1 and state = 'stored'", [statementId]);
      return rows[0]?.blob_key ?? null;
    },

    /** Whether the session has at least one stored statement. */
    async anyStored(sessionId: string): Promise<boolean> {
      const rows = await db.query("select 1 from statements where session_id = $1 and state = 'stored' limit 1", [sessionId]);
      return rows.length > 0;
    },
  };
}
