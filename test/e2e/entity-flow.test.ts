/**
 * The entity flow as an independent client drives it (issue 15 part 1): only the reference's
 * paths and field names (../shared/reference/bankconnect-api.md §2.15), plain requests, no
 * Passbook internals. Create an entity, upload one statement naming its bank and one without,
 * poll progress every so often as the documents advise, then read accounts, identity,
 * transactions, salary, recurring and lender transactions, and the fraud block.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plantedStatement } from '../../src/samples/planted-activity.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const BASE = '/bank-connect/v1/';

/** A statement as a multipart form with the fields given, as `requests.post(files=…, data=…)` sends it. */
async function form(fields: Record<string, string>, pdf: Buffer): Promise<{ payload: Buffer; contentType: string }> {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  data.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'statement.pdf');
  const request = new Request('http://client/', { method: 'POST', body: data });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

forEachStore((kind) => {
  test('an entity-flow client: create, upload with and without a bank, poll, read everything', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => new Date('2026-11-21T06:00:00Z') });
    const credentials = await app.client();
    const apiKey = { 'x-api-key': credentials.apiKey };
    const dataKeys = { 'x-api-key': credentials.apiKey, 'server-hash': credentials.serverHash };
    const call = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, payload?: Buffer | string, contentType?: string) => {
      const res = await app.inject({ method, url: BASE + path, headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) }, ...(payload === undefined ? {} : { payload }) });
      return { status: res.statusCode, json: body(res) };
    };

    const created = await call('POST', 'entity/', apiKey, 'link_id=customer-42', 'application/x-www-form-urlencoded');
    assert.equal(created.status, 201);
    const entityId = created.json.entity_id as string;

    const { statement: salaried } = plantedStatement(31, 'hdfc', {});
    const withBank = await form({ link_id: 'customer-42', entity_id: entityId, bank_name: 'hdfc' }, await renderStatementPdf(salaried));
    const first = await call('POST', 'statement/upload/?identity=true', apiKey, withBank.payload, withBank.contentType);
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal(first.json.status, 1);
    assert.equal(first.json.entity_id, entityId);
    assert.equal(first.json.bank_name, 'hdfc');
    assert.equal(first.json.identity.account_number, salaried.account.accountNumber);

    const kotak = statement('kotak', { seed: 32, count: 40 });
    const bankless = await form({ link_id: 'customer-42' }, await renderStatementPdf(kotak));
    const second = await call('POST', 'statement/bankless_upload/', apiKey, bankless.payload, bankless.contentType);
    assert.equal(second.status, 200, JSON.stringify(second.json));
    assert.deepEqual(Object.keys(second.json).sort(), ['bank_name', 'entity_id', 'statement_id', 'status']);
    assert.equal(second.json.bank_name, 'kotak');
    assert.equal(second.json.entity_id, entityId);

    // Poll until no statement is processing.
    let progress: { status: string; statement_id: string }[] = [];
    for (let i = 0; i < 400; i++) {
      progress = (await call('GET', `entity/${entityId}/accounts/`, dataKeys)).json.progress;
      if (progress.length === 2 && progress.every((p) => p.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.deepEqual(progress.map((p) => p.status), ['completed', 'completed']);

    const accounts = (await call('GET', `entity/${entityId}/accounts/`, dataKeys)).json.accounts as { bank: string; account_id: string; account_number: string }[];
    assert.deepEqual(accounts.map((a) => a.bank).sort(), ['hdfc', 'kotak']);
    const hdfcAccount = accounts.find((a) => a.bank === 'hdfc')!;

    const identity = (await call('GET', `entity/${entityId}/identity/`, dataKeys)).json.identity as { name: string; account_number: string }[];
    assert.deepEqual(identity.map((i) => i.account_number).sort(), [salaried.account.accountNumber, kotak.account.accountNumber].sort());

    const transactions = (await call('GET', `entity/${entityId}/transactions/`, dataKeys)).json.transactions as { account_id: string }[];
    assert.equal(transactions.length, salaried.transactions.length + kotak.transactions.length);
    const onlyHdfc = (await call('GET', `entity/${entityId}/transactions/?account_id=${hdfcAccount.account_id}`, dataKeys)).json.transactions as { account_id: string }[];
    assert.equal(onlyHdfc.length, salaried.transactions.length);

    const salary = (await call('GET', `entity/${entityId}/salary/?account_id=${hdfcAccount.account_id}`, dataKeys)).json.transactions as { month_year: string; transaction_type: string }[];
    assert.ok(salary.length >= 3, 'the planted salary is found');
    assert.ok(salary.every((s) => s.transaction_type === 'credit' && /^\d{2}-\d{4}$/.test(s.month_year)));

    const recurring = (await call('GET', `entity/${entityId}/recurring_transactions/`, dataKeys)).json.transactions;
    assert.ok(recurring.debit_transactions.length + recurring.credit_transactions.length > 0, 'recurring sets');

    const lender = (await call('GET', `entity/${entityId}/lender_transactions/`, dataKeys)).json.transactions as unknown[];
    assert.ok(lender.length > 0, 'the planted EMIs are lender transactions');

    const fraud = (await call('GET', `entity/${entityId}/transactions/`, dataKeys)).json.fraud;
    assert.ok(Array.isArray(fraud.fraudulent_statements) && Array.isArray(fraud.fraud_type));

    const listed = (await call('GET', 'entity/?link_id=customer-42', apiKey)).json;
    assert.equal(listed.count, 1);
    assert.equal(listed.results[0].entity_id, entityId);
  });
});
