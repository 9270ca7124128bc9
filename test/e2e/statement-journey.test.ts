/**
 * Issue 3's end-to-end path over HTTP: a session, statements from two banks (one protected by
 * a password, one uploaded without naming its bank), upload status, processing, progress, and
 * insights holding exactly the generated transactions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

forEachStore((kind) => {
  test('two banks in, every generated transaction out', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => new Date('2026-11-21T06:00:00Z') });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const created = await app.inject({
      method: 'POST',
      url: '/bank-connect/v1/session/',
      payload: { link_id: 'borrower-7', api_key: c.apiKey, from_date: '01/05/2026', to_date: '31/10/2026', journey_mode: 'multi_banking' },
    });
    const sid = body(created).session_id as string;

    const hdfc = statement('hdfc', { seed: 21, count: 90 });
    const kotak = statement('kotak', { seed: 22, count: 70 });
    const files = [
      { s: hdfc, pdf: await renderStatementPdf(hdfc, { password: 'AYUS0101' }), fields: { bank_name: 'hdfc', pdf_password: 'AYUS0101' } },
      { s: kotak, pdf: await renderStatementPdf(kotak), fields: {} },
    ];
    for (const { pdf, fields } of files) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ session_id: sid, upload_type: 'PDF', ...fields })) form.set(k, v);
      form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'statement.pdf');
      const request = new Request('http://x/', { method: 'POST', body: form });
      const res = await app.inject({
        method: 'POST',
        url: '/bank-connect/v1/statement/upload_session/?identity=true',
        headers: { 'x-api-key': c.apiKey, 'content-type': request.headers.get('content-type')! },
        payload: Buffer.from(await request.arrayBuffer()),
      });
      assert.equal(res.statusCode, 200, res.body);
    }

    const status = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/session_upload_status/`, headers: keys }));
    assert.equal(status.upload_status, 'COMPLETED');
    assert.deepEqual(status.accounts.map((a: { bank_name: string }) => a.bank_name).sort(), ['hdfc', 'kotak']);

    assert.equal((await app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${sid}/initiate_processing/`, headers: keys })).statusCode, 202);
    let progress = '';
    for (let i = 0; i < 200 && progress !== 'completed'; i++) {
      progress = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/progress/`, headers: keys })).session_progress;
      if (progress !== 'completed') await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(progress, 'completed');

    const insights = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/insights/`, headers: keys }));
    assert.equal(insights.accounts.length, 2);
    for (const { s } of files) {
      const account = insights.accounts.find((a: { data: { account_details: { account_number: string } } }) => a.data.account_details.account_number === s.account.accountNumber);
      assert.ok(account, `${s.layout} account`);
      assert.equal(account.data.account_details.bank, s.layout);
      const got = account.data.transactions.map((x: Record<string, unknown>) => [x.date, x.transaction_type, x.amount, x.balance, (x.transaction_note as string).replace(/\s/g, '')]);
      const want = s.transactions.map((x) => [`${x.date} 00:00:00`, x.type, x.amountPaise / 100, x.balancePaise / 100, x.narration.replace(/\s/g, '')]);
      assert.deepEqual(got, want);
    }
  });
});
