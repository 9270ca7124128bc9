/** What the journey API gives the page for issue 13: banks in the order people need, the lender's name, and the bank a wrong statement is from. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, multipartPdf } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');

test('journey view: popular banks first with badges and search terms, no ids to show; the lender by name', async (t) => {
  const app = await buildTestApp(t, 'pglite', { now: () => NOW });
  const c = await app.client();
  const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey } })).session_id;
  const view = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
  assert.equal(typeof view.lender_name, 'string');
  assert.ok(view.lender_name.length > 0);
  type B = { name: string; full_name: string; initials: string; terms: string[]; popular: boolean };
  const banks = view.banks as B[];
  assert.deepEqual(banks.slice(0, 5).map((b) => [b.full_name, b.initials, b.popular]), [
    ['State Bank of India', 'SBI', true], ['HDFC Bank', 'HDFC', true], ['ICICI Bank', 'ICICI', true], ['Axis Bank', 'AB', true], ['Kotak Mahindra Bank', 'KMB', true],
  ]);
  assert.ok(banks.find((b) => b.name === 'baroda')!.terms.includes('bob'));
  assert.ok(banks.find((b) => b.name === 'pnbbnk')!.terms.includes('pnb'));
  assert.ok(!banks.some((b) => b.terms.includes('pnbbnk') || b.terms.includes('apgvbnk')), 'internal ids are not search terms');
  const firstOther = banks.findIndex((b) => !b.popular);
  assert.ok(firstOther > 8 && banks.slice(firstOther).every((b) => !b.popular));
});

test('a statement from another bank: the journey is told which bank it is from; the backend API is not changed', async (t) => {
  const app = await buildTestApp(t, 'pglite', { now: () => NOW });
  const c = await app.client();
  const create = (fields: Record<string, unknown>) => app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey, from_date: '01/05/2026', to_date: '31/10/2026', ...fields } });
  const sid = body(await create({ bank_name: 'sbi' })).session_id;
  const hdfc = await renderStatementPdf(statement('hdfc', { count: 20 }));

  const wrong = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({ bank_name: 'sbi' }, hdfc) });
  assert.equal(wrong.statusCode, 400);
  assert.deepEqual(body(wrong), {
    error: { code: 'BANK_NAME_MISMATCH', message: 'Not sbi bank statement' },
    detected_bank: { name: 'hdfc', full_name: 'HDFC Bank' },
  });

  // Other refusals carry nothing extra.
  const notPdf = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({ bank_name: 'sbi' }, Buffer.from('plain text, not a statement\n')) });
  assert.deepEqual(Object.keys(body(notPdf)), ['error']);
  assert.equal(body(notPdf).error.code, 'INVALID_FILE_OBJECT');

  // The lender's upload API keeps BankConnect's envelope.
  const sid2 = body(await create({})).session_id;
  const form = multipartPdf({ session_id: sid2, upload_type: 'PDF', bank_name: 'sbi' }, hdfc);
  const backend = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', payload: form.payload, headers: { ...form.headers, 'x-api-key': c.apiKey } });
  assert.equal(body(backend).error.code, 'BANK_NAME_MISMATCH');
  assert.equal(body(backend).detected_bank, undefined);
});
