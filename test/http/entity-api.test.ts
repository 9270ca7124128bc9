/**
 * The entity flow (issue 15 part 1): entities, the four uploads with every numeric status and
 * message string of the reference (§2.15), the data endpoints with progress, fraud, accounts and
 * `?account_id=`, the webhook endpoints, and DRF's error shapes. Every response is checked
 * against its route's declared contract (buildTestApp turns checkResponses on).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import PDFDocument from 'pdfkit';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore, multipartPdf, until, type StoreKind, type TestAppOptions } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const V1 = '/bank-connect/v1';

function pdfkit(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

async function setup(t: TestContext, kind: StoreKind, options: TestAppOptions = {}) {
  const app = await buildTestApp(t, kind, { now: () => NOW, ...options });
  const c = await app.client();
  const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
  const upload = (variant: string, fields: Record<string, string>, file?: Buffer, query = '', apiKey = c.apiKey) => {
    if (!file) {
      return app.inject({ method: 'POST', url: `${V1}/statement/${variant}/${query}`, headers: { 'x-api-key': apiKey, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
    }
    const m = multipartPdf(fields, file);
    return app.inject({ method: 'POST', url: `${V1}/statement/${variant}/${query}`, headers: { 'x-api-key': apiKey, ...m.headers }, payload: m.payload });
  };
  const get = (path: string) => app.inject({ method: 'GET', url: `${V1}/entity/${path}`, headers: keys });
  const processed = (entityId: string) =>
    until(
      'every statement processed',
      async () => body(await get(`${entityId}/accounts/`)).progress as { status: string }[],
      (p) => p.length > 0 && p.every((s) => s.status !== 'processing'),
    );
  return { app, c, keys, upload, get, processed };
}

forEachStore((kind) => {
  test('entities: create (201), read, list ten to a page with count/next/previous, link_id filter, 404, DRF errors', async (t) => {
    const { app, c } = await setup(t, kind);
    const create = (payload: Record<string, unknown>, headers: Record<string, string> = { 'x-api-key': c.apiKey }) => app.inject({ method: 'POST', url: `${V1}/entity/`, headers, payload });
    const first = await create({ link_id: 'user-0' });
    assert.equal(first.statusCode, 201, first.body);
    const entityId = body(first).entity_id as string;
    assert.deepEqual(Object.keys(body(first)), ['entity_id']);
    // link_id and entity are one to one: the same link_id answers the same entity.
    assert.equal(body(await create({ link_id: 'user-0' })).entity_id, entityId);
    // A form body, and the key in the body, as the old Python client may send them.
    const form = await app.inject({ method: 'POST', url: `${V1}/entity/`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `link_id=user-1&api_key=${c.apiKey}` });
    assert.equal(form.statusCode, 201, form.body);
    for (let i = 2; i < 23; i++) assert.equal((await create({ link_id: `user-${i}` })).statusCode, 201);

    const read = await app.inject({ method: 'GET', url: `${V1}/entity/${entityId}/`, headers: { 'x-api-key': c.apiKey } });
    assert.deepEqual(body(read), { entity_id: entityId, link_id: 'user-0', meta_data: {} });
    for (const id of ['5d1ff5cf-4f6c-4b8c-9a55-d6b1e3a8d1aa', 'not-a-uuid']) {
      const missing = await app.inject({ method: 'GET', url: `${V1}/entity/${id}/`, headers: { 'x-api-key': c.apiKey } });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(body(missing), { detail: 'Not found.' });
    }
    const other = await app.client({ name: 'other' });
    assert.equal((await app.inject({ method: 'GET', url: `${V1}/entity/${entityId}/`, headers: { 'x-api-key': other.apiKey } })).statusCode, 404, "another client's entity is not found");

    const list = (query: string) => app.inject({ method: 'GET', url: `${V1}/entity/${query}`, headers: { 'x-api-key': c.apiKey } });
    const page1 = body(await list(''));
    assert.equal(page1.count, 23);
    assert.equal(page1.results.length, 10);
    assert.equal(page1.previous, null);
    assert.equal(page1.next, 'https://journey.passbook.test/bank-connect/v1/entity/?page=2');
    assert.deepEqual(page1.results[0], { entity_id: entityId, link_id: 'user-0', meta_data: {} });
    const page3 = body(await list('?page=3'));
    assert.equal(page3.results.length, 3);
    assert.equal(page3.next, null);
    assert.equal(page3.previous, 'https://journey.passbook.test/bank-connect/v1/entity/?page=2');
    const filtered = body(await list('?link_id=user-7'));
    assert.equal(filtered.count, 1);
    assert.equal(filtered.results[0].link_id, 'user-7');
    assert.deepEqual(body(await list('?link_id=nobody')), { count: 0, next: null, previous: null, results: [] });
    for (const page of ['4', '0', 'x']) {
      const beyond = await list(`?page=${page}`);
      assert.equal(beyond.statusCode, 404);
      assert.deepEqual(body(beyond), { detail: 'Invalid page.' });
    }

    const noLink = await create({});
    assert.equal(noLink.statusCode, 400);
    assert.deepEqual(body(noLink), { link_id: ['This field is required.'] });
    const tooLong = await create({ link_id: 'x'.repeat(501) });
    assert.deepEqual(body(tooLong), { link_id: ['Ensure this field has no more than 500 characters.'] });
    const noKey = await create({ link_id: 'u' }, {});
    assert.equal(noKey.statusCode, 401);
    assert.deepEqual(body(noKey), { detail: 'Authentication credentials were not provided.' });
    const badJson = await app.inject({ method: 'POST', url: `${V1}/entity/`, headers: { 'x-api-key': c.apiKey, 'content-type': 'application/json' }, payload: '{"link_id":' });
    assert.equal(badJson.statusCode, 400);
    assert.match(body(badJson).detail, /^JSON parse error/);
    const wrongMethod = await app.inject({ method: 'DELETE', url: `${V1}/entity/`, headers: { 'x-api-key': c.apiKey } });
    assert.equal(wrongMethod.statusCode, 405);
    assert.deepEqual(body(wrongMethod), { detail: 'Method "DELETE" not allowed.' });
    const lapsed = await app.client({ name: 'lapsed', planStatus: 'expired' });
    const refused = await create({ link_id: 'u' }, { 'x-api-key': lapsed.apiKey });
    assert.equal(refused.statusCode, 402);
    assert.deepEqual(body(refused), { detail: 'Payment required' });
  });

  test('entity uploads: status 1 with and without identity, and every refusal status 0 and 2–7 with its message', async (t) => {
    const { app, c, upload } = await setup(t, kind);
    const hdfc = statement('hdfc', { count: 40 });
    const hdfcPdf = await renderStatementPdf(hdfc);
    const ok = await upload('upload', { link_id: 'borrower-1', bank_name: 'HDFC' }, hdfcPdf, '?identity=true');
    assert.equal(ok.statusCode, 200, ok.body);
    const out = body(ok);
    const entityId = out.entity_id as string;
    assert.equal(out.status, 1);
    assert.equal(out.bank_name, 'hdfc');
    assert.equal(out.identity.account_number, hdfc.account.accountNumber);
    assert.equal(out.identity.name, 'AYUSH PATIL');
    assert.equal(out.identity.account_category, 'individual');
    assert.equal(typeof out.identity.account_id, 'string');
    assert.deepEqual(out.date_range, { from_date: '2026-05-01', to_date: '2026-10-31' });
    assert.equal(out.is_fraud, false);
    assert.equal(out.fraud_type, null);
    // The upload made the entity: link_id found it.
    const list = body(await app.inject({ method: 'GET', url: `${V1}/entity/?link_id=borrower-1`, headers: { 'x-api-key': c.apiKey } }));
    assert.deepEqual(list.results.map((e: { entity_id: string }) => e.entity_id), [entityId]);

    const sbiPdf = await renderStatementPdf(statement('sbi', { seed: 3, count: 20 }));
    const plain = await upload('bankless_upload', { link_id: 'borrower-1' }, sbiPdf);
    assert.equal(plain.statusCode, 200, plain.body);
    assert.deepEqual(body(plain), { entity_id: entityId, statement_id: body(plain).statement_id, bank_name: 'sbi', status: 1 });

    const refusal = async (res: Awaited<ReturnType<typeof upload>>, http: number, expected: Record<string, unknown>) => {
      assert.equal(res.statusCode, http, res.body);
      assert.deepEqual(body(res), expected);
    };
    // 0: a field
    await refusal(await upload('upload', { link_id: 'borrower-1' }), 400, { file: ['This field is required.'], status: 0 });
    await refusal(await upload('upload', { bank_name: 'hdfc' }, hdfcPdf), 400, { link_id: ['This field is required.'], status: 0 });
    await refusal(await upload('upload_base64', { link_id: 'borrower-1', file: '%%%not base64%%%' }), 400, { file: ['Invalid Base 64 string'], status: 0 });
    await refusal(await upload('upload', { link_id: 'borrower-1', bank_name: 'nosuchbank' }, hdfcPdf), 400, { bank_name: ['"nosuchbank" is not a valid choice.'], status: 0 });
    await refusal(await upload('upload', { link_id: 'borrower-1', bank: 'nosuchbank' }, hdfcPdf), 400, { bank_name: ['"nosuchbank" is not a valid choice.'], status: 0 });
    await refusal(await upload('upload', { entity_id: '5d1ff5cf-4f6c-4b8c-9a55-d6b1e3a8d1aa' }, hdfcPdf), 400, { entity_id: ['No entity with this entity_id.'], status: 0 });
    await refusal(await upload('upload', { link_id: 'borrower-1' }, Buffer.alloc(0)), 400, { file: ['The submitted file is empty.'], status: 0 });
    await refusal(await upload('upload', { link_id: 'borrower-1' }, hdfcPdf), 400, { file: ['A duplicate statement has been detected'], status: 0 });
    await refusal(await upload('upload', { link_id: 'borrower-1', file_url: 'not a url' }), 400, { file_url: ['Enter a valid URL.'], status: 0 });
    const ftp = await upload('upload', { link_id: 'borrower-1', file_url: 'ftp://files.example/s.pdf' });
    assert.equal(ftp.statusCode, 400);
    assert.match(body(ftp).file_url[0], /^This file url is invalid/);
    const text = await app.inject({ method: 'POST', url: `${V1}/statement/upload/`, headers: { 'x-api-key': c.apiKey, 'content-type': 'text/plain' }, payload: 'hello' });
    assert.equal(text.statusCode, 415);
    assert.deepEqual(body(text), { detail: 'Unsupported media type "text/plain" in request.' });
    // 2: trial expired
    const lapsed = await app.client({ name: 'lapsed', planStatus: 'expired' });
    await refusal(await upload('upload', { link_id: 'x' }, hdfcPdf, '', lapsed.apiKey), 402, {
      entity_id: null,
      message: 'Your trial period has expired. Please request FinBox to upgrade your plan',
      status: 2,
    });
    // 3: password
    const locked = await renderStatementPdf(statement('hdfc', { seed: 5, count: 10 }), { password: 'pw' });
    await refusal(await upload('upload', { link_id: 'borrower-1' }, locked), 400, { entity_id: entityId, message: 'Password incorrect', status: 3 });
    await refusal(await upload('upload', { link_id: 'borrower-1', pdf_password: 'wrong' }, locked), 400, { entity_id: entityId, message: 'Password incorrect', status: 3 });
    // 4: another bank's statement (bank_name, and the older `bank`)
    const other = await renderStatementPdf(statement('hdfc', { seed: 6, count: 10 }));
    await refusal(await upload('upload', { link_id: 'borrower-1', bank_name: 'axis' }, other), 400, { entity_id: entityId, message: 'Not axis statement', status: 4 });
    await refusal(await upload('upload', { link_id: 'borrower-1', bank: 'sbi' }, other), 400, { entity_id: entityId, message: 'Not sbi statement', status: 4 });
    // 5: no bank given, none detected
    const generic = await renderStatementPdf(statement('generic', { count: 10 }));
    await refusal(await upload('bankless_upload', { link_id: 'borrower-1' }, generic), 400, { entity_id: entityId, message: 'Unable to detect bank. Please provide BANK NAME.', status: 5 });
    // 6: scanned, or not a PDF at all
    const image = await pdfkit((doc) => doc.rect(20, 20, 200, 200).fill('#123456'));
    await refusal(await upload('upload', { link_id: 'borrower-1' }, image), 400, { entity_id: entityId, message: 'PDF is not parsable', status: 6 });
    await refusal(await upload('upload', { link_id: 'borrower-1' }, Buffer.from('not a pdf')), 400, { entity_id: entityId, message: 'PDF is not parsable', status: 6 });
    // 7: a PDF that is no statement
    const invoice = await pdfkit((doc) => doc.text('Invoice 42: amount due 1,200.00'));
    await refusal(await upload('upload', { link_id: 'borrower-1' }, invoice), 400, {
      entity_id: entityId,
      message: 'Unsupported Bank Statement Format. It should have balance, date and amount columns.',
      status: 7,
    });
    // The statement was named by bank_name with the bank that printed it: accepted.
    assert.equal((await upload('upload', { link_id: 'borrower-1', bank: 'hdfc' }, other)).statusCode, 200);

    // Authentication and methods keep DRF's shapes.
    const noKey = await app.inject({ method: 'POST', url: `${V1}/statement/upload/`, payload: {} });
    assert.equal(noKey.statusCode, 401);
    assert.deepEqual(body(noKey), { detail: 'Authentication credentials were not provided.' });
    const wrongMethod = await app.inject({ method: 'GET', url: `${V1}/statement/bankless_upload/`, headers: { 'x-api-key': c.apiKey } });
    assert.equal(wrongMethod.statusCode, 405);
    assert.deepEqual(body(wrongMethod), { detail: 'Method "GET" not allowed.' });
    // The session flow's errors are untouched.
    const sessionUpload = await app.inject({ method: 'GET', url: `${V1}/statement/upload_session/`, headers: { 'x-api-key': c.apiKey } });
    assert.deepEqual(body(sessionUpload), { error: { code: 'METHOD_NOT_ALLOWED', message: 'Method "GET" not allowed.' } });
  });

  test('entity uploads: Base64 (form and JSON), entity_id over link_id, old clients\' `bank`', async (t) => {
    const { app, c, upload, processed, get } = await setup(t, kind);
    const created = body(await app.inject({ method: 'POST', url: `${V1}/entity/`, headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'b64' } })).entity_id as string;
    const kotak = await renderStatementPdf(statement('kotak', { seed: 8, count: 20 }));
    const viaForm = await upload('upload_base64', { entity_id: created, link_id: 'someone-else', bank: 'kotak', file: kotak.toString('base64') }, undefined, '?identity=true');
    assert.equal(viaForm.statusCode, 200, viaForm.body);
    assert.equal(body(viaForm).entity_id, created, 'entity_id wins over link_id');
    assert.equal(body(viaForm).bank_name, 'kotak');
    const sbi = await renderStatementPdf(statement('sbi', { seed: 9, count: 20, from: '2026-07-01' as CalendarDate }));
    const viaJson = await app.inject({
      method: 'POST',
      url: `${V1}/statement/bankless_upload_base64/`,
      headers: { 'x-api-key': c.apiKey },
      payload: { link_id: 'b64', file: `data:application/pdf;base64,${sbi.toString('base64')}` },
    });
    assert.equal(viaJson.statusCode, 200, viaJson.body);
    assert.equal(body(viaJson).entity_id, created);
    assert.equal(body(viaJson).bank_name, 'sbi');
    assert.equal(body(await app.inject({ method: 'GET', url: `${V1}/entity/?link_id=someone-else`, headers: { 'x-api-key': c.apiKey } })).count, 0, 'no entity made for the ignored link_id');
    await processed(created);
    const accounts = body(await get(`${created}/accounts/`)).accounts as { bank: string }[];
    assert.deepEqual(accounts.map((a) => a.bank).sort(), ['kotak', 'sbi']);
  });

  test('entity data: progress from processing to completed, every endpoint, ?account_id=, failed statements, fraud, 404 and 401', async (t) => {
    const { app, c, keys, upload, get, processed } = await setup(t, kind, { jobsStopped: true });
    const hdfc = statement('hdfc', { seed: 11, count: 60 });
    const first = body(await upload('upload', { link_id: 'data-1', bank_name: 'hdfc' }, await renderStatementPdf(hdfc)));
    const entityId = first.entity_id as string;
    const before = body(await get(`${entityId}/transactions/`));
    assert.deepEqual(before.progress, [{ status: 'processing', statement_id: first.statement_id, source: 'pdf', message: null, transaction_status: 'processing' }]);
    assert.deepEqual(before.transactions, [], 'nothing analysed yet');
    assert.deepEqual(body(await get(`${entityId}/xlsx_report/`)).reports, [], 'no report while processing');
    assert.deepEqual(body(await get(`${entityId}/score/`)).score, []);
    await app.worker.drain();
    const after = body(await get(`${entityId}/transactions/`));
    assert.equal(after.progress[0].status, 'completed');
    assert.equal(after.transactions.length, hdfc.transactions.length);
    const txn = after.transactions[0];
    assert.deepEqual(Object.keys(txn).sort(), ['account_id', 'amount', 'balance', 'date', 'description', 'hash', 'merchant_category', 'transaction_channel', 'transaction_note', 'transaction_type']);
    assert.equal(txn.amount, hdfc.transactions[0]!.amountPaise / 100);
    assert.equal(txn.balance, hdfc.transactions[0]!.balancePaise / 100);
    assert.equal(txn.date, `${hdfc.transactions[0]!.date} 00:00:00`);

    // A second account, whose statement does not add up: its processing fails, the first stays completed.
    const broken = statement('sbi', { seed: 12, count: 30 });
    broken.transactions[10] = { ...broken.transactions[10]!, balancePaise: broken.transactions[10]!.balancePaise + 500_00 };
    const second = body(await upload('bankless_upload', { link_id: 'data-1' }, await renderStatementPdf(broken)));
    assert.equal(second.entity_id, entityId);
    const mid = body(await get(`${entityId}/accounts/`)).progress as { statement_id: string; status: string }[];
    assert.deepEqual(mid.map((p) => [p.statement_id, p.status]).sort(), [[first.statement_id, 'completed'], [second.statement_id, 'processing']].sort(), 'the first statement stays completed while the second is processed');
    await app.worker.drain();
    const all = body(await get(`${entityId}/accounts/`));
    const failed = all.progress.find((p: { statement_id: string }) => p.statement_id === second.statement_id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.message, /^Calculated transaction balance does not match/);
    assert.equal(all.accounts.length, 2);
    const hdfcAccount = all.accounts.find((a: { bank: string }) => a.bank === 'hdfc');
    assert.equal(hdfcAccount.account_number, hdfc.account.accountNumber);
    assert.equal(hdfcAccount.ifsc, hdfc.account.ifsc);
    assert.deepEqual(hdfcAccount.statements, [first.statement_id]);
    assert.deepEqual(hdfcAccount.months, ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    assert.match(hdfcAccount.last_updated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The balance break is an accounting finding about the broken statement.
    assert.deepEqual(all.fraud.fraudulent_statements, [second.statement_id]);
    assert.ok(all.fraud.fraud_type.every((f: { statement_id: string; fraud_category: string }) => f.statement_id === second.statement_id && f.fraud_category === 'accounting'));

    const only = (path: string) => get(`${entityId}/${path}?account_id=${hdfcAccount.account_id}`);
    const filtered = body(await only('transactions/'));
    assert.equal(filtered.transactions.length, hdfc.transactions.length);
    assert.ok(filtered.transactions.every((x: { account_id: string }) => x.account_id === hdfcAccount.account_id));
    assert.equal(filtered.accounts.length, 1);
    assert.equal(filtered.progress.length, 2, 'progress covers every statement');
    assert.equal(body(await get(`${entityId}/transactions/`)).transactions.length, hdfc.transactions.length + broken.transactions.length);

    const identity = body(await only('identity/')).identity;
    assert.deepEqual(identity, [{ name: 'AYUSH PATIL', address: identity[0].address, account_number: hdfc.account.accountNumber, account_category: 'individual', credit_limit: 0, account_id: hdfcAccount.account_id }]);
    for (const path of ['salary/', 'lender_transactions/']) assert.ok(Array.isArray(body(await only(path)).transactions), path);
    const recurring = body(await only('recurring_transactions/')).transactions;
    assert.ok(Array.isArray(recurring.credit_transactions) && Array.isArray(recurring.debit_transactions));
    const categories = body(await only('get_expense_categories/')).categories as { percentage: number }[];
    assert.equal(categories.reduce((n, x) => n + x.percentage, 0), 100);
    const top = body(await only('top_credits_debits/')).top_5_credit_debit;
    assert.ok(Object.keys(top.top_5_debit).every((m) => /^[A-Z][a-z]{2}-\d{2}$/.test(m)));
    for (const path of ['monthly_analysis_updated/', 'monthly_analysis/']) {
      const monthly = body(await only(path)).monthly_analysis.account_id;
      assert.equal(monthly.length, 1);
      const metrics = monthly[0][hdfcAccount.account_id].monthly_analysis as Record<string, Record<string, unknown>>;
      assert.ok(Object.values(metrics).some((byMonth) => 'Jun-2026' in byMonth), path);
    }
    const predictors = body(await only('predictors/')).predictors;
    assert.equal(predictors[0].account_id, hdfcAccount.account_id);
    assert.ok(Object.keys(predictors[0].predictors).length > 50);
    assert.deepEqual(body(await only('score/')).score, [{ account_id: hdfcAccount.account_id, score: null }]);
    const reports = body(await get(`${entityId}/xlsx_report/`)).reports as { link: string; account_id: string }[];
    assert.equal(reports.length, 2);
    const workbook = await app.inject({ method: 'GET', url: new URL(reports[0]!.link).pathname + new URL(reports[0]!.link).search });
    assert.equal(workbook.statusCode, 200);
    const pdfs = body(await get(`${entityId}/get_pdfs/`)).statements as { statement_id: string; pdf_url: string; bank_name: string; pdf_password: null }[];
    assert.deepEqual(pdfs.map((p) => p.statement_id).sort(), [first.statement_id, second.statement_id].sort());
    const pdf = await app.inject({ method: 'GET', url: new URL(pdfs[0]!.pdf_url).pathname + new URL(pdfs[0]!.pdf_url).search });
    assert.equal(pdf.headers['content-type'], 'application/pdf');

    const unknown = await get('5d1ff5cf-4f6c-4b8c-9a55-d6b1e3a8d1aa/transactions/');
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(body(unknown), { detail: 'Not found.' });
    const noHash = await app.inject({ method: 'GET', url: `${V1}/entity/${entityId}/accounts/`, headers: { 'x-api-key': c.apiKey } });
    assert.equal(noHash.statusCode, 401);
    assert.deepEqual(body(noHash), { detail: 'Authentication credentials were not provided.' });
    // A session of the session flow is no entity.
    const sid = body(await app.inject({ method: 'POST', url: `${V1}/session/`, headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'data-1' } })).session_id as string;
    assert.equal((await app.inject({ method: 'GET', url: `${V1}/entity/${sid}/accounts/`, headers: keys })).statusCode, 404);
    await processed(entityId);
  });

  test('entity data: a statement re-saved by an editing tool is in the fraud block', async (t) => {
    const { upload, get, processed } = await setup(t, kind);
    const clean = (await renderStatementPdf(statement('sbi', { seed: 4, count: 30 }))).toString('latin1');
    const tampered = Buffer.from(clean.replace('Passbook sample generator', 'iLovePDF Online Editor v1'), 'latin1');
    const res = await upload('bankless_upload', { link_id: 'fraud-1' }, tampered, '?identity=true');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(body(res).is_fraud, true);
    assert.equal(typeof body(res).fraud_type, 'string');
    const entityId = body(res).entity_id as string;
    await processed(entityId);
    const fraud = body(await get(`${entityId}/transactions/`)).fraud;
    assert.deepEqual(fraud.fraudulent_statements, [body(res).statement_id]);
    assert.equal(fraud.fraud_type[0].statement_id, body(res).statement_id);
    assert.equal(fraud.fraud_type[0].fraud_category, 'metadata');
    assert.equal(typeof fraud.fraud_type[0].account_id, 'string');
  });

  test('entity webhooks: update_webhook (mode 0 by default) and webhook_payloads by link_id', async (t) => {
    const { app, keys, upload, processed } = await setup(t, kind);
    const update = await app.inject({ method: 'POST', url: `${V1}/entity/update_webhook/`, headers: keys, payload: { webhook_url: 'http://127.0.0.1:9/bc' } });
    assert.equal(update.statusCode, 200, update.body);
    assert.equal(body(update).message, 'success');
    const rows = await app.db.query<{ webhook_mode: number }>('select webhook_mode from clients where webhook_url is not null');
    assert.equal(Number(rows[0]!.webhook_mode), 0);
    const bad = await app.inject({ method: 'POST', url: `${V1}/entity/update_webhook/`, headers: keys, payload: {} });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(body(bad), { webhook_url: ['This field is required.'] });

    const res = body(await upload('upload', { link_id: 'hook-1', bank_name: 'hdfc' }, await renderStatementPdf(statement('hdfc', { seed: 14, count: 20 }))));
    await processed(res.entity_id);
    const payloads = body(await app.inject({ method: 'GET', url: `${V1}/entity/webhook_payloads/?link_id=hook-1`, headers: keys })).payloads;
    assert.equal(payloads.length, 1);
    assert.deepEqual({ ...payloads[0], date_time: undefined }, { statement_id: res.statement_id, entity_id: res.entity_id, link_id: 'hook-1', progress: 'completed', reason: '', date_time: undefined });
    assert.match(payloads[0].date_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.deepEqual(body(await app.inject({ method: 'GET', url: `${V1}/entity/webhook_payloads/?link_id=nobody`, headers: keys })), { payloads: [] });
    const missing = await app.inject({ method: 'GET', url: `${V1}/entity/webhook_payloads/`, headers: keys });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(body(missing), { link_id: ['This field is required.'] });
  });
  test('entity endpoints: malformed input is refused in the entity shapes or taken leniently, never a 5xx', async (t) => {
    const { app, c, keys } = await setup(t, kind);
    const entityId = body(await app.inject({ method: 'POST', url: `${V1}/entity/`, headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'fuzz' } })).entity_id as string;
    const json = { 'x-api-key': c.apiKey, 'content-type': 'application/json' };
    const cases: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; payload?: string }[] = [
      { method: 'POST', url: `${V1}/entity/`, headers: json, payload: '[]' },
      { method: 'POST', url: `${V1}/entity/`, headers: json, payload: 'null' },
      { method: 'POST', url: `${V1}/entity/`, headers: json, payload: '{"link_id": {"a": 1}}' },
      { method: 'POST', url: `${V1}/entity/`, headers: json, payload: '{"link_id": "a\\u0000b"}' },
      { method: 'POST', url: `${V1}/entity/`, headers: { 'x-api-key': c.apiKey }, payload: 'link_id=x' },
      { method: 'GET', url: `${V1}/entity/?link_id=a&link_id=b`, headers: { 'x-api-key': c.apiKey } },
      { method: 'GET', url: `${V1}/entity/?page=1&page=2`, headers: { 'x-api-key': c.apiKey } },
      { method: 'GET', url: `${V1}/entity/?page=-1`, headers: { 'x-api-key': c.apiKey } },
      { method: 'GET', url: `${V1}/entity/${entityId}/transactions/?account_id=a&account_id=b`, headers: keys },
      { method: 'GET', url: `${V1}/entity/${entityId}/transactions/?account_id=${'x'.repeat(300)}`, headers: keys },
      { method: 'GET', url: `${V1}/entity/webhook_payloads/?link_id=a&link_id=b`, headers: keys },
      { method: 'POST', url: `${V1}/entity/update_webhook/`, headers: { ...keys, 'content-type': 'application/json' }, payload: '{"webhook_url": 5, "webhook_mode": "x"}' },
      { method: 'POST', url: `${V1}/statement/upload/`, headers: json, payload: '[1,2]' },
      { method: 'POST', url: `${V1}/statement/upload/`, headers: json, payload: 'null' },
      { method: 'POST', url: `${V1}/statement/upload/`, headers: json, payload: '{"link_id": ["a"], "file": {"x": 1}}' },
      { method: 'POST', url: `${V1}/statement/upload_base64/`, headers: json, payload: '{"entity_id": "not-a-uuid", "file": "JVBERi0="}' },
      { method: 'POST', url: `${V1}/statement/upload/`, headers: { 'x-api-key': c.apiKey, 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nbroken' },
      { method: 'POST', url: `${V1}/statement/upload/?identity=true&identity=true`, headers: { 'x-api-key': c.apiKey, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'link_id=a&link_id=b' },
    ];
    for (const request of cases) {
      const res = await app.inject(request);
      const what = `${request.method} ${request.url} ${request.payload ?? ''}`;
      // Some are taken leniently (a repeated account_id filters nothing): never a 5xx either way.
      assert.ok(res.statusCode < 500, `${what}: ${res.statusCode} ${res.body}`);
      const out = body(res);
      assert.equal(out.error, undefined, `${what}: not the session flow's envelope`);
      assert.ok(Object.keys(out).length > 0, what);
    }
    assert.equal(body(await app.inject({ method: 'GET', url: `${V1}/entity/?link_id=fuzz`, headers: { 'x-api-key': c.apiKey } })).count, 1, 'refused uploads made no entity');
  });
});
