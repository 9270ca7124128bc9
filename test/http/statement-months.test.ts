/**
 * `months`, one rule everywhere (docs/statements.md, "Months"): the calendar months a statement's
 * period touches, a partial month included. The upload's answer, session_upload_status and
 * insights must give the same months for the same statement.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { sampleAccount, sampleTransactions } from '../../src/samples/sample-transactions.ts';
import { body, buildTestApp, forEachStore, multipartPdf } from '../helper.ts';

/** The 6th of November, in the first week: the session's own month is not required of it. */
const NOW = new Date('2026-11-06T06:00:00Z');

forEachStore((kind) => {
  test('months: the upload, session_upload_status and insights agree, a partial current month included', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW, jobsStopped: true });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const api = (method: 'GET' | 'POST', sid: string, what: string) => app.inject({ method, url: `/bank-connect/v1/session_data/${sid}/${what}/`, headers: keys });
    // No dates: the last six months up to today, 06/05/2026 to 06/11/2026.
    const created = await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'u', bank_name: 'hdfc' } });
    const sid = body(created).session_id as string;
    const details = body(await api('GET', sid, 'details'));
    assert.deepEqual([details.from_date, details.to_date], ['06/05/2026', '06/11/2026']);
    assert.deepEqual(details.months, ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'], 'November is not required: its first week');

    // A statement printed for 06/05/2026 to 04/11/2026: four days of the current month.
    const from = '2026-05-06' as CalendarDate;
    const to = '2026-11-04' as CalendarDate;
    const pdf = await renderStatementPdf({
      layout: 'hdfc',
      account: sampleAccount(7, 'HDFC'),
      from,
      to,
      openingBalancePaise: 25_000_00,
      transactions: sampleTransactions({ seed: 7, from, to, count: 80, openingBalancePaise: 25_000_00, allowOverdraft: false }),
    });
    const m = multipartPdf({ session_id: sid, upload_type: 'PDF' }, pdf);
    const uploaded = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    const expected = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
    assert.deepEqual(body(uploaded).date_range, { from_date: '2026-05-06', to_date: '2026-11-04' });
    assert.deepEqual(body(uploaded).months, expected, 'the upload: every month the statement touches');
    assert.deepEqual(body(uploaded).missing_months, [], 'every required month is there');

    const status = body(await api('GET', sid, 'session_upload_status'));
    assert.equal(status.accounts.length, 1);
    assert.deepEqual(status.accounts[0].months, expected, 'session_upload_status: the same months');
    assert.equal(status.accounts[0].account_status, 'COMPLETED');

    assert.equal((await api('POST', sid, 'initiate_processing')).statusCode, 202);
    await app.worker.drain();
    const insights = await api('GET', sid, 'insights');
    assert.equal(insights.statusCode, 200, insights.body);
    const account = body(insights).accounts[0].data.account_details;
    assert.deepEqual(account.months, expected, 'insights: the same months');
    assert.deepEqual(account.uploaded_months, expected);
    const identity = body(await api('GET', sid, 'identity'));
    assert.deepEqual(identity.accounts[0].months, expected, 'identity: the same months');
  });
});
