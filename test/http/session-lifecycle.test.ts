/**
 * A session's life through the API: uploads and coverage, initiate_processing and the
 * processing job, progress, status, insights, PDF links, deletion, and expiry.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { expireSessions } from '../../src/usecases/expire-sessions.ts';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore, multipartPdf } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');


/** One account's statement for part of the period: same seed, so the same account. */
function part(from: string, to: string, opening = 25_000_00) {
  const s = statement('sbi', { count: 40, from: from as CalendarDate, opening });
  s.to = to as CalendarDate;
  s.transactions = s.transactions.filter((t) => t.date <= to);
  return s;
}

forEachStore((kind) => {
  test('upload status, processing, insights, PDF links and deletion', async (t) => {
    let now = NOW;
    const app = await buildTestApp(t, kind, { now: () => now });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const api = (method: 'GET' | 'POST' | 'DELETE', sid: string, what: string) => app.inject({ method, url: `/bank-connect/v1/session_data/${sid}/${what}/`, headers: keys });
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026' } })).session_id;
    const upload = (pdf: Buffer) => {
      const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, pdf);
      return app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
    };

    let status = body(await api('GET', sid, 'session_upload_status'));
    assert.equal(status.upload_status, 'NO_UPLOAD');
    assert.deepEqual(status.session_date_range, { from_date: '01/05/2026', to_date: '31/10/2026' });
    assert.equal(status.session_expiry_timestamp, '2026-11-22 06:00:00');
    assert.deepEqual(status.accounts, []);
    for (const what of ['progress', 'session_status', 'insights']) {
      const res = await api('GET', sid, what);
      assert.equal(res.statusCode, 400);
      assert.equal(body(res).error.code, 'PROCESSING_NOT_REQUESTED');
    }

    const later = part('2026-08-02', '2026-10-31');
    const laterPdf = await renderStatementPdf(later);
    assert.equal((await upload(laterPdf)).statusCode, 200);
    status = body(await api('GET', sid, 'session_upload_status'));
    assert.equal(status.upload_status, 'IN_PROGRESS');
    assert.equal(status.accounts.length, 1);
    assert.equal(status.accounts[0].account_status, 'PARTIAL');
    assert.deepEqual(status.accounts[0].months, ['2026-08', '2026-09', '2026-10']);
    assert.deepEqual(status.accounts[0].missing_data, [{ from_date: '2026-05-01', to_date: '2026-08-01' }]);
    assert.equal(status.accounts[0].full_bank_name, 'State Bank of India');
    assert.equal(status.accounts[0].statements[0].statement_date_range.from_date, '02/08/2026');

    const earlier = part('2026-05-01', '2026-08-01');
    const earlierPdf = await renderStatementPdf(earlier);
    assert.equal((await upload(earlierPdf)).statusCode, 200);
    status = body(await api('GET', sid, 'session_upload_status'));
    assert.equal(status.upload_status, 'COMPLETED', 'every required month is covered');
    assert.equal(status.accounts.length, 1, 'the same account number is the same account');
    assert.equal(status.accounts[0].account_status, 'COMPLETED');
    assert.deepEqual(status.accounts[0].missing_data, []);
    assert.equal(status.accounts[0].statements.length, 2);

    const initiated = await api('POST', sid, 'initiate_processing');
    assert.equal(initiated.statusCode, 202);
    assert.deepEqual(body(initiated), { session_id: sid, message: 'success' });
    const again = await api('POST', sid, 'initiate_processing');
    assert.equal(again.statusCode, 400);
    assert.equal(body(again).error.code, 'DUPLICATE_PROCESSING_REQUEST');
    const tooLate = await upload(await renderStatementPdf(statement('hdfc', { count: 5 })));
    assert.equal(body(tooLate).error.code, 'SESSION_EXPIRED');

    let progress = body(await api('GET', sid, 'progress'));
    for (let i = 0; progress.session_progress !== 'completed' && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = body(await api('GET', sid, 'progress'));
    }
    assert.equal(progress.session_progress, 'completed');
    assert.equal(progress.progress.length, 2);
    assert.ok(progress.progress.every((p: Record<string, unknown>) => p.transaction_status === 'completed' && p.source === 'pdf'));

    const sessionStatus = body(await api('GET', sid, 'session_status'));
    assert.equal(sessionStatus.insights_available, true);
    assert.equal(sessionStatus.accounts[0].account_status, 'completed');
    assert.equal(sessionStatus.accounts[0].error_code, null);
    assert.equal(sessionStatus.accounts[0].account_number, `${'X'.repeat(10)}${later.account.accountNumber.slice(-4)}`);

    const insights = body(await api('GET', sid, 'insights'));
    assert.equal(insights.link_id, 'u');
    assert.deepEqual(insights.session_date_range, { from_date: '2026-05-01', to_date: '2026-10-31' });
    const details = insights.accounts[0].data.account_details;
    assert.equal(details.account_number, later.account.accountNumber);
    assert.equal(details.bank, 'sbi');
    assert.deepEqual(details.account_date_range, { from_date: '2026-05-01', to_date: '2026-10-31' });
    const expected = [...earlier.transactions, ...later.transactions];
    const got = insights.accounts[0].data.transactions;
    assert.equal(got.length, expected.length);
    expected.forEach((want, i) => {
      assert.deepEqual(
        [got[i].date, got[i].transaction_type, got[i].amount, got[i].balance],
        [`${want.date} 00:00:00`, want.type, want.amountPaise / 100, want.balancePaise / 100],
        `transaction ${i}`,
      );
      assert.match(got[i].hash, /^[0-9a-f]{32}$/);
      assert.ok(got[i].page >= 1 && got[i].bbox.length === 4);
    });

    const pdfs = body(await api('GET', sid, 'get_pdfs')).statements;
    assert.equal(pdfs.length, 2);
    const link = new URL(pdfs.find((p: { statement_id: string }) => p.statement_id === status.accounts[0].statements[0].statement_id).pdf_url);
    assert.equal(link.origin, 'https://journey.passbook.test');
    const download = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.ok(download.rawPayload.equals(laterPdf), 'the stored bytes are the uploaded bytes');
    const forged = await app.inject({ method: 'GET', url: `${link.pathname}?expires=${link.searchParams.get('expires')}&signature=${'0'.repeat(64)}` });
    assert.equal(forged.statusCode, 403);
    now = new Date(NOW.getTime() + 2 * 3600_000);
    const expired = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(expired.statusCode, 403);
    now = NOW;

    const deleted = await api('DELETE', sid, 'delete');
    assert.equal(deleted.statusCode, 200);
    for (const [method, what] of [['GET', 'details'], ['GET', 'session_upload_status'], ['GET', 'progress'], ['GET', 'insights'], ['GET', 'get_pdfs'], ['POST', 'initiate_processing'], ['DELETE', 'delete']] as const) {
      const res = await api(method, sid, what);
      assert.equal(res.statusCode, 410, what);
      assert.deepEqual(body(res), { error: { code: 'SESSION_DELETED', message: 'The provided session ID has been deleted' } });
    }
    assert.equal((await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode, 404);
    assert.ok(!existsSync(path.join(app.blobDir, 'sessions', sid)) || readdirSync(path.join(app.blobDir, 'sessions', sid)).length === 0, 'the PDFs are gone');
    const rows = await app.db.query<{ n: bigint }>('select count(*) as n from transactions t join statements s using (statement_id) where s.session_id = $1', [sid]);
    assert.equal(rows[0]!.n, 0n);
    assert.equal(body(await upload(laterPdf)).error.code, 'SESSION_DELETED');
  });

  test('processing refuses a session without statements, and flags a balance that does not add up', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const newSession = async () => body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026' } })).session_id as string;
    const empty = await newSession();
    const refused = await app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${empty}/initiate_processing/`, headers: keys });
    assert.equal(refused.statusCode, 400);
    assert.equal(body(refused).error.code, 'UNPARSABLE_STATEMENTS');
    const stillOpen = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${empty}/progress/`, headers: keys });
    assert.equal(body(stillOpen).error.code, 'PROCESSING_NOT_REQUESTED', 'the refused request changed nothing');

    const sid = await newSession();
    const s = statement('hdfc', { count: 30 });
    s.transactions[10] = { ...s.transactions[10]!, balancePaise: s.transactions[10]!.balancePaise + 500_00 };
    const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(s));
    const up = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
    assert.equal(body(up).checks.balance_reconciled, false);
    assert.equal(body(up).checks.first_break.row, 11);
    await app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${sid}/initiate_processing/`, headers: keys });
    let status = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/session_status/`, headers: keys });
    for (let i = 0; status.statusCode !== 200 && i < 100; i++) {
      assert.equal(body(status).error.code, 'PROCESSING_NOT_COMPLETED');
      await new Promise((r) => setTimeout(r, 50));
      status = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/session_status/`, headers: keys });
    }
    const account = body(status).accounts[0];
    assert.equal(account.account_status, 'failed');
    assert.equal(account.error_code, 'BALANCE_MISMATCH');
    assert.match(account.error_message, /row 11/);
  });

  test('every session_data endpoint: 403 without the right credentials, 404 for others\' sessions, not complete until the job ran', async (t) => {
    const app = await buildTestApp(t, kind, { jobsStopped: true });
    const mine = await app.client();
    const other = await app.client({ name: 'other' });
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': mine.apiKey }, payload: { link_id: 'u', accept_anything: true } })).session_id;
    const endpoints = [['GET', 'details'], ['GET', 'session_upload_status'], ['POST', 'initiate_processing'], ['GET', 'progress'], ['GET', 'session_status'], ['GET', 'insights'], ['GET', 'get_pdfs'], ['DELETE', 'delete']] as const;
    for (const [method, what] of endpoints) {
      const url = `/bank-connect/v1/session_data/${sid}/${what}/`;
      for (const headers of [{}, { 'x-api-key': mine.apiKey }, { 'x-api-key': mine.apiKey, 'server-hash': other.serverHash }]) {
        const res = await app.inject({ method, url, headers });
        assert.equal(res.statusCode, 403, `${what} ${JSON.stringify(Object.keys(headers))}`);
        assert.equal(body(res).error.code, 'ACCESS_DENIED');
      }
      const res = await app.inject({ method, url, headers: { 'x-api-key': other.apiKey, 'server-hash': other.serverHash } });
      assert.equal(res.statusCode, 404, what);
      assert.equal(body(res).error.code, 'SESSION_NOT_FOUND');
    }
    const keys = { 'x-api-key': mine.apiKey, 'server-hash': mine.serverHash };
    const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('sbi', { count: 10 })));
    assert.equal((await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': mine.apiKey, ...m.headers }, payload: m.payload })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${sid}/initiate_processing/`, headers: keys })).statusCode, 202);
    for (const what of ['session_status', 'insights']) {
      const res = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/${what}/`, headers: keys });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(body(res), { error: { code: 'PROCESSING_NOT_COMPLETED', message: 'The processing for this session is currently in progress' } });
    }
    assert.equal(body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/progress/`, headers: keys })).session_progress, 'processing');
    assert.equal(await app.worker.drain(), 1);
    assert.equal(body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/progress/`, headers: keys })).session_progress, 'completed');
    assert.equal((await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/insights/`, headers: keys })).statusCode, 200);
    assert.equal(await app.worker.drain(), 0, 'processing ran once');
  });

  test('the sweeper marks sessions past their expiry as expired', async (t) => {
    // The job worker stays stopped: its periodic sweep would race the calls below.
    const app = await buildTestApp(t, kind, { jobsStopped: true });
    const c = await app.client();
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'u', session_expiry: 5 } })).session_id;
    const fresh = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'v' } })).session_id;
    await app.db.query("update sessions set expires_at = now() - interval '1 minute' where session_id = $1", [sid]);
    assert.equal(await expireSessions(app.deps, new Date()), 1);
    assert.equal(await expireSessions(app.deps, new Date()), 0);
    const rows = await app.db.query<{ session_id: string; status: string }>('select session_id, status from sessions order by status');
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.session_id, r.status])), { [sid]: 'expired', [fresh]: 'created' });
    const status = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/session_upload_status/`, headers: { 'x-api-key': c.apiKey, 'server-hash': c.serverHash } });
    assert.equal(body(status).upload_status, 'EXPIRED');
  });
});
