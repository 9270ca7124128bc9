import type { CalendarDate } from '../../lib/calendar-date.ts';
import type { BalanceBreak, StatementIdentity, StatementTransaction } from '../../statements/statement-types.ts';
import type { Queryable } from '../db.ts';

export interface NewStatement {
  statementId: string;
  sessionId: string;
  accountId: string;
  bankName: string;
  source: 'pdf';
  fileSha256: string;
  blobKey: string;
  uploadFileName: string | null;
  pageCount: number;
  fromDate: CalendarDate | null;
  toDate: CalendarDate | null;
  openingBalancePaise: number | null;
  closingBalancePaise: number | null;
  reconciled: boolean;
  firstBreak: BalanceBreak | null;
}

/** Rows per INSERT when storing transactions: few statements, well under the parameter limit. */
const TRANSACTION_BATCH = 500;
const TRANSACTION_COLUMNS = ['statement_id', 'seq', 'account_id', 'date', 'narration', 'chq_num', 'type', 'amount_paise', 'balance_paise', 'page', 'bbox'];

interface TransactionRow extends Record<string, unknown> {
  statement_id: string;
  seq: number;
  date: string;
  narration: string;
  chq_num: string | null;
  type: 'debit' | 'credit';
  amount_paise: bigint;
  balance_paise: bigint;
  page: number;
  bbox: number[];
}

export type StoredTransaction = StatementTransaction & { statementId: string; seq: number };

function toTransaction(r: TransactionRow): StatementTransaction {
  return {
    date: r.date as CalendarDate,
    narration: r.narration,
    chqNum: r.chq_num,
    type: r.type,
    amountPaise: Number(r.amount_paise),
    balancePaise: Number(r.balance_paise),
    page: r.page,
    bbox: r.bbox as StatementTransaction['bbox'],
  };
}

export function statementsRepository(db: Queryable) {
  return {
    /** The account for (session, bank, account number), created on first sight. */
    async upsertAccount(sessionId: string, bankName: string, identity: StatementIdentity, newAccountId: string): Promise<string> {
      const rows = await db.query<{ account_id: string }>(
        `insert into accounts (account_id, session_id, bank_name, account_number, identity)
         values ($1, $2, $3, $4, $5::jsonb)
         on conflict (session_id, bank_name, coalesce(account_number, ''))
         do update set identity = excluded.identity, updated_at = now()
         returning account_id`,
        [newAccountId, sessionId, bankName, identity.accountNumber, JSON.stringify(identity)],
      );
      return rows[0]!.account_id;
    },

    async findBySha256(sessionId: string, sha256: string): Promise<string | null> {
      const rows = await db.query<{ statement_id: string }>(
        'select statement_id from statements where session_id = $1 and file_sha256 = $2',
        [sessionId, sha256],
      );
      return rows[0]?.statement_id ?? null;
    },

    async insert(s: NewStatement, transactions: StatementTransaction[]): Promise<void> {
      await db.query(
        `insert into statements (statement_id, session_id, account_id, bank_name, source, file_sha256, blob_key,
           upload_file_name, page_count, from_date, to_date, opening_balance_paise, closing_balance_paise, reconciled, first_break)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb)`,
        [
          s.statementId, s.sessionId, s.accountId, s.bankName, s.source, s.fileSha256, s.blobKey, s.uploadFileName,
          s.pageCount, s.fromDate, s.toDate, s.openingBalancePaise, s.closingBalancePaise, s.reconciled,
          s.firstBreak === null ? null : JSON.stringify(s.firstBreak),
        ],
      );
      for (let start = 0; start < transactions.length; start += TRANSACTION_BATCH) {
        const batch = transactions.slice(start, start + TRANSACTION_BATCH);
        const params: unknown[] = [];
        const tuples = batch.map((t, i) => {
          params.push(s.statementId, start + i + 1, s.accountId, t.date, t.narration, t.chqNum, t.type, t.amountPaise, t.balancePaise, t.page, t.bbox);
          const base = i * TRANSACTION_COLUMNS.length;
          return `(${TRANSACTION_COLUMNS.map((_, c) => `$${base + c + 1}`).join(', ')})`;
        });
        await db.query(`insert into transactions (${TRANSACTION_COLUMNS.join(', ')}) values ${tuples.join(', ')}`, params);
      }
    },

    async transactionsOf(statementId: string): Promise<StatementTransaction[]> {
      const rows = await db.query<TransactionRow>('select * from transactions where statement_id = $1 order by seq', [statementId]);
      return rows.map(toTransaction);
    },

    /** An account's transactions from all its statements, by date, each with where it is stored. */
    async transactionsOfAccount(accountId: string): Promise<StoredTransaction[]> {
      const rows = await db.query<TransactionRow>('select * from transactions where account_id = $1 order by date, statement_id, seq', [accountId]);
      return rows.map((r) => ({ ...toTransaction(r), statementId: r.statement_id, seq: r.seq }));
    },

    async blobKeyOf(statementId: string): Promise<string | null> {
      const rows = await db.query<{ blob_key: string }>('select blob_key from statements where statement_id = $1', [statementId]);
      return rows[0]?.blob_key ?? null;
    },
  };
}
