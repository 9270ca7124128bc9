/**
 * Storing a statement in short chunks (docs/architecture.md, "Storing a statement"): a
 * statement still being stored is invisible to every reader and never makes its file a
 * duplicate; the sweeper removes what a failed or crashed upload left; an upload that loses a
 * race (same file, session deleted, processing requested) fails and leaves nothing; and other
 * queries run between the chunks of a big statement.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { sweepUnfinishedStatements, UNFINISHED_STATEMENT_GRACE_SECONDS } from '../../src/usecases/discard-statements.ts';
import { linkSigningKey, signedPdfUrl } from '../../src/usecases/statement-files.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import type { StatementTransaction } from '../../src/domain/statement.ts';
import type { Queryable, Row } from '../../src/ports/db.ts';
import { statementsRepository } from '../../src/store/repositories/statements-repository.ts';
import { body, buildTestApp, forEachStore, multipartPdf, type TestApp } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const UPLOAD = '/bank-connect/v1/statement/upload_session/';


const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Lets the next blob put (inside an upload, after its statement row is written) wait until released. */
function holdNextBlobPut(app: TestApp): { reached: Promise<void>; release: () => void } {
  const blobs = app.deps.blobs;
  const put = blobs.put.bind(blobs);
  let reached!: () => void;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const reachedP = new Promise<void>((r) => (reached = r));
  blobs.put = async (key, bytes) => {
    blobs.put = put;
    reached();
    await released;
    return put(key, bytes);
  };
  return { reached: reachedP, release };
}

forEachStore((kind) => {
  async function setup(t: TestContext) {
    const app = await buildTestApp(t, kind, { now: () => NOW, jobsStopped: true });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const newSession = async () =>
      body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026' } })).session_id as string;
    const upload = (sid: string, pdf: Buffer) => {
      const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, pdf);
      return app.inject({ method: 'POST', url: UPLOAD, headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
    };
    const api = (method: 'GET' | 'POST' | 'DELETE', sid: string, what: string) => app.inject({ method, url: `/bank-connect/v1/session_data/${sid}/${what}/`, headers: keys });
    const count = async (sql: string, params: unknown[]) => Number((await app.db.query<{ n: bigint }>(sql, params))[0]!.n);
    /** Every statement row of the session, whatever its state, and every transaction row. */
    const rowsOf = async (sid: string) => ({
      statements: await count('select count(*) as n from statements where session_id = $1', [sid]),
      transactions: await count('select count(*) as n from transactions t join statements s using (statement_id) where s.session_id = $1', [sid]),
      accounts: await count('select count(*) as n from accounts where session_id = $1', [sid]),
    });
    const blobsOf = (sid: string) => {
      const dir = path.join(app.blobDir, 'sessions', sid);
      return existsSync(dir) ? readdirSync(dir).length : 0;
    };
    /**
     * What an upload that died part-way leaves: the statement row (`storing`), its PDF and the
     * first `rows` transactions, written through the same repository calls as an upload.
     */
    const halfStored = async (sid: string, pdf: Buffer, rows: number) => {
      const parsed = await app.deps.parser.parse(pdf);
      const repo = statementsRepository(app.db);
      const statementId = randomUUID();
      const blobKey = `sessions/${sid}/${statementId}.pdf`;
      const accountId = await repo.ensureAccount(sid, parsed.detectedBank!, parsed.identity, randomUUID());
      await repo.insertStoring({
        statementId, sessionId: sid, accountId, bankName: parsed.detectedBank!, source: 'pdf', fileSha256: sha256(pdf), blobKey, uploadFileName: 's.pdf',
        pageCount: parsed.pageCount, fromDate: null, toDate: null, openingBalancePaise: null, closingBalancePaise: null, reconciled: true, firstBreak: null, fraudFindings: [],
      });
      await app.deps.blobs.put(blobKey, pdf);
      await repo.appendTransactions(statementId, accountId, parsed.transactions.slice(0, rows), 10);
      return { statementId, accountId, blobKey, parsed };
    };
    return { app, newSession, upload, api, rowsOf, blobsOf, halfStored };
  }

  test('a statement still being stored is invisible to every reader, and so is an account it alone has', async (t) => {
    const { app, newSession, upload, api, halfStored } = await setup(t);
    const repo = statementsRepository(app.db);

    // Only unfinished statements: nothing was uploaded, as far as anyone can tell.
    const empty = await newSession();
    await halfStored(empty, await renderStatementPdf(statement('sbi', { seed: 7, count: 20 })), 15);
    const emptyStatus = body(await api('GET', empty, 'session_upload_status'));
    assert.equal(emptyStatus.upload_status, 'NO_UPLOAD');
    assert.deepEqual(emptyStatus.accounts, []);
    const refused = await api('POST', empty, 'initiate_processing');
    assert.equal(body(refused).error.code, 'UNPARSABLE_STATEMENTS');

    // One stored statement, and two unfinished ones: on the same account and on a new one.
    const sid = await newSession();
    const stored = statement('hdfc', { count: 30 });
    const up = await upload(sid, await renderStatementPdf(stored));
    assert.equal(up.statusCode, 200, up.body);
    const { statement_id: storedId, account_id: accountId } = body(up);
    const sameAccountPdf = await renderStatementPdf(statement('hdfc', { count: 25, from: '2026-08-01' as CalendarDate }));
    const sameAccount = await halfStored(sid, sameAccountPdf, 20);
    assert.equal(sameAccount.accountId, accountId, 'the unfinished statement is on the stored statement\'s account');
    const otherAccount = await halfStored(sid, await renderStatementPdf(statement('sbi', { seed: 7, count: 20 })), 20);

    const status = body(await api('GET', sid, 'session_upload_status'));
    assert.equal(status.accounts.length, 1);
    assert.deepEqual(status.accounts[0].statements.map((s: { statement_id: string }) => s.statement_id), [storedId]);
    assert.equal(await repo.findBySha256(sid, sha256(sameAccountPdf)), null);
    assert.deepEqual(await repo.transactionsOf(sameAccount.statementId), []);
    assert.equal(await repo.blobKeyOf(sameAccount.statementId), null);
    assert.equal((await repo.transactionsOfAccount(accountId)).length, stored.transactions.length);
    assert.deepEqual(await repo.transactionsOfAccount(otherAccount.accountId), []);

    assert.equal((await api('POST', sid, 'initiate_processing')).statusCode, 202);
    await app.worker.drain();
    const sessionStatus = body(await api('GET', sid, 'session_status'));
    assert.deepEqual(sessionStatus.accounts.map((a: { account_id: string }) => a.account_id), [accountId]);
    const insights = body(await api('GET', sid, 'insights'));
    assert.equal(insights.accounts.length, 1);
    assert.deepEqual(insights.accounts[0].data.account_details.statements, [storedId]);
    assert.equal(insights.accounts[0].data.transactions.length, stored.transactions.length);
    const pdfs = body(await api('GET', sid, 'get_pdfs')).statements;
    assert.deepEqual(pdfs.map((p: { statement_id: string }) => p.statement_id), [storedId]);
    // Even a correctly signed link does not serve an unfinished statement's PDF.
    const link = new URL(signedPdfUrl('https://journey.passbook.test', await linkSigningKey(app.db), sameAccount.statementId, NOW));
    const download = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(download.statusCode, 404);
  });

  test('an unfinished statement never makes its file a duplicate; the sweeper removes it, its PDF and a lone account', async (t) => {
    const { app, newSession, upload, api, rowsOf, blobsOf, halfStored } = await setup(t);
    const repo = statementsRepository(app.db);
    const sid = await newSession();
    const full = statement('hdfc', { count: 40 });
    const n = full.transactions.length;
    const pdf = await renderStatementPdf(full);
    const left = await halfStored(sid, pdf, 25);
    const lone = await halfStored(sid, await renderStatementPdf(statement('sbi', { seed: 7, count: 20 })), 20);

    const again = await upload(sid, pdf);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(body(again).account_id, left.accountId, 'the account the unfinished statement created is reused');
    assert.equal(body(await upload(sid, pdf)).error.code, 'STATEMENT_DUPLICATE', 'a stored statement does make it a duplicate');
    assert.deepEqual(await rowsOf(sid), { statements: 3, transactions: 25 + 20 + n, accounts: 2 });
    assert.equal(blobsOf(sid), 3);

    assert.equal(await sweepUnfinishedStatements(app.deps, UNFINISHED_STATEMENT_GRACE_SECONDS), 0, 'too recent: maybe still being stored');
    assert.equal(await sweepUnfinishedStatements(app.deps, 0), 2);
    assert.deepEqual(await rowsOf(sid), { statements: 1, transactions: n, accounts: 1 }, 'the lone account went, the shared one stayed');
    assert.equal(blobsOf(sid), 1);
    assert.equal(await app.deps.blobs.get(left.blobKey), null);
    assert.equal(await app.deps.blobs.get(lone.blobKey), null);
    assert.equal(await repo.markStored(left.statementId, new Date(0)), false, 'a discarded statement can never be made visible');
    assert.equal((await repo.transactionsOf(body(again).statement_id)).length, n, 'the stored statement is untouched');
    assert.equal(await sweepUnfinishedStatements(app.deps, 0), 0);
    const status = body(await api('GET', sid, 'session_upload_status'));
    assert.equal(status.accounts.length, 1);
    assert.equal(status.accounts[0].statements.length, 1);
  });

  test('two uploads of one file at once: the one that finishes second is refused and leaves nothing', async (t) => {
    const { app, newSession, upload, rowsOf, blobsOf } = await setup(t);
    const sid = await newSession();
    const full = statement('hdfc', { count: 40 });
    const pdf = await renderStatementPdf(full);
    const held = holdNextBlobPut(app);
    const first = upload(sid, pdf);
    await held.reached; // the first upload's statement row is written, its rows not yet
    const second = await upload(sid, pdf);
    assert.equal(second.statusCode, 200, second.body);
    held.release();
    const late = await first;
    assert.equal(late.statusCode, 400, late.body);
    assert.equal(body(late).error.code, 'STATEMENT_DUPLICATE');
    assert.deepEqual(await rowsOf(sid), { statements: 1, transactions: full.transactions.length, accounts: 1 });
    assert.equal(blobsOf(sid), 1);
  });

  test('a session deleted, or sent to processing, while a statement is stored: the upload fails and leaves nothing', async (t) => {
    const { app, newSession, upload, api, rowsOf, blobsOf } = await setup(t);
    const full = statement('hdfc', { count: 30 });
    const pdf = await renderStatementPdf(full);

    const doomed = await newSession();
    let held = holdNextBlobPut(app);
    const racing = upload(doomed, pdf);
    await held.reached;
    assert.equal((await api('DELETE', doomed, 'delete')).statusCode, 200);
    held.release();
    const gone = await racing;
    assert.equal(gone.statusCode, 410, gone.body);
    assert.equal(body(gone).error.code, 'SESSION_DELETED');
    assert.deepEqual(await rowsOf(doomed), { statements: 0, transactions: 0, accounts: 0 });
    assert.equal(blobsOf(doomed), 0);

    const sid = await newSession();
    assert.equal((await upload(sid, pdf)).statusCode, 200);
    held = holdNextBlobPut(app);
    const late = upload(sid, await renderStatementPdf(statement('sbi', { seed: 7, count: 20 })));
    await held.reached;
    assert.equal((await api('POST', sid, 'initiate_processing')).statusCode, 202);
    held.release();
    assert.equal(body(await late).error.code, 'SESSION_EXPIRED', 'the session takes no more statements');
    assert.deepEqual(await rowsOf(sid), { statements: 1, transactions: full.transactions.length, accounts: 1 });
    assert.equal(blobsOf(sid), 1);
  });

  test('storing a big statement lets other queries run between its chunks', async (t) => {
    const { app, newSession, halfStored } = await setup(t);
    const sid = await newSession();
    const { statementId, accountId } = await halfStored(sid, await renderStatementPdf(statement('hdfc', { count: 5 })), 0);
    const rows: StatementTransaction[] = Array.from({ length: 1000 }, (_, i) => ({
      date: '2026-05-01' as CalendarDate, narration: `ROW ${i}`, chqNum: null, type: 'debit', amountPaise: 100, balancePaise: 1_000_000 - i * 100, page: 1 + Math.floor(i / 30), bbox: [0, 0, 1, 1],
    }));
    const events: string[] = [];
    let chunks = 0;
    let other: Promise<unknown> | undefined;
    // Watches the store: when the first chunk is sent, another caller (a timer, say a request)
    // asks for `select 1` on the next turn of the event loop.
    const watched: Queryable = {
      async query<R extends Row>(sql: string, params?: unknown[]) {
        if (!sql.startsWith('insert into transactions')) return app.db.query<R>(sql, params);
        const n = ++chunks;
        events.push(`chunk ${n}`);
        if (n === 1) {
          setImmediate(() => {
            events.push('turn');
            other = app.db.query('select 1').then(() => events.push('other query'));
          });
        }
        return app.db.query<R>(sql, params);
      },
      exec: (sql) => app.db.exec(sql),
    };
    await statementsRepository(watched).appendTransactions(statementId, accountId, rows, 100);
    await other;
    assert.equal(chunks, 10);
    const order = events.join(', ');
    const at = (event: string) => {
      const i = events.indexOf(event);
      assert.ok(i >= 0, `${event} happened during the insert: ${order}`);
      return i;
    };
    assert.ok(at('turn') < at('chunk 2'), `the event loop had a turn between the first two chunks: ${order}`);
    if (kind === 'pglite') {
      // One session, first come first served: the query asked for in that turn runs before the
      // next chunk. (On PostgreSQL it runs on another connection, at once.)
      assert.ok(at('other query') < at('chunk 3'), `the other query ran between the first chunks: ${order}`);
    }
    assert.equal(await statementsRepository(app.db).markStored(statementId, new Date(0)), true);
    const stored = await statementsRepository(app.db).transactionsOf(statementId);
    assert.deepEqual(stored.map((r) => r.narration), rows.map((r) => r.narration), 'every row, in order');
  });
});
