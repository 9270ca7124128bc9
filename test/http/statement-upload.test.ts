import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import PDFDocument from 'pdfkit';
import type { CalendarDate } from '../../src/lib/calendar-date.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { statementsRepository } from '../../src/store/repositories/statements-repository.ts';
import { body, buildTestApp, forEachStore } from '../helper.ts';
import { assertRows, pdfOf, statement } from '../statements/statement-fixtures.ts';

const URL_PATH = '/bank-connect/v1/statement/upload_session/';
const NOW = new Date('2026-11-21T06:00:00Z');

function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer }): { payload: Buffer; contentType: string } {
  const boundary = '----passbook-upload';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function setup(t: import('node:test').TestContext, kind: 'pglite' | 'postgres', options: Parameters<typeof buildTestApp>[2] = {}) {
  let now = NOW;
  const app = await buildTestApp(t, kind, { now: () => now, ...options });
  const client = await app.client();
  const session = async (payload: Record<string, unknown> = {}) =>
    body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': client.apiKey }, payload: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026', ...payload } })).session_id as string;
  const upload = (fields: Record<string, string>, file?: Buffer, query = '', apiKey = client.apiKey) => {
    const { payload, contentType } = multipart(fields, file && { name: 'statement.pdf', bytes: file });
    return app.inject({ method: 'POST', url: `${URL_PATH}${query}`, headers: { 'x-api-key': apiKey, 'content-type': contentType }, payload });
  };
  return { app, client, session, upload, setNow: (d: Date) => (now = d) };
}

function imagePdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  doc.rect(20, 20, 200, 200).fill('#123456');
  doc.end();
  return done;
}

forEachStore((kind) => {
  test('uploads: a statement is parsed, stored with every transaction, and reported', async (t) => {
    const { app, session, upload } = await setup(t, kind);
    const sid = await session({ bank_name: 'hdfc', metadata: { names: ['Ayush Patil', 'Someone Else'] } });
    const s = statement('hdfc', { count: 60 });
    const res = await upload({ session_id: sid, upload_type: 'PDF', bank_name: 'HDFC' }, await renderStatementPdf(s), '?identity=true');
    assert.equal(res.statusCode, 200, res.body);
    const out = body(res);
    assert.equal(out.bank_name, 'hdfc');
    assert.equal(out.session_id, sid);
    assert.equal(out.identity.account_number, s.account.accountNumber);
    assert.equal(out.identity.ifsc, s.account.ifsc);
    assert.equal(out.identity.name, 'AYUSH PATIL');
    assert.equal(out.identity.account_id, out.account_id);
    assert.equal(out.masked_account_number, `${'X'.repeat(s.account.accountNumber.length - 4)}${s.account.accountNumber.slice(-4)}`);
    assert.deepEqual(out.date_range, { from_date: '2026-05-01', to_date: '2026-10-31' });
    assert.deepEqual(out.months, ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    assert.deepEqual(out.missing_months, []);
    assert.equal(out.opening_bal, s.openingBalancePaise / 100);
    assert.equal(out.closing_bal, s.transactions.at(-1)!.balancePaise / 100);
    assert.deepEqual(out.metadata_analysis.name_matches, [{ name: 'Ayush Patil', matched: true }, { name: 'Someone Else', matched: false }]);
    assert.equal(out.checks.balance_reconciled, true);
    assert.equal(out.transaction_count, s.transactions.length);
    const stored = await statementsRepository(app.db).transactionsOf(out.statement_id);
    assertRows('hdfc', { transactions: stored } as never, s.transactions);
    assert.ok(stored.every((t) => t.page !== null && t.page >= 1 && t.bbox?.length === 4));
    const withoutIdentity = await upload({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('hdfc', { seed: 2, count: 20 })));
    assert.equal(withoutIdentity.statusCode, 200, withoutIdentity.body);
    assert.equal(body(withoutIdentity).identity, undefined);
  });

  test('uploads: a statement without a balance column is stored with its rows and no balances, reconciliation null', async (t) => {
    const { app, session, upload } = await setup(t, kind);
    const sid = await session();
    const pdf = await pdfOf((doc) => {
      doc.fontSize(8);
      ['HDFC BANK Ltd.', 'Account No : 50100123456789', 'IFSC : HDFC0001234', 'Statement From : 01/05/2026 To : 31/05/2026'].forEach((l, i) => doc.text(l, 40, 40 + i * 12, { lineBreak: false }));
      ['Date', 'Narration', 'Debit', 'Credit'].forEach((l, i) => doc.text(l, [40, 110, 330, 410][i], 110, { lineBreak: false }));
      [
        ['02/05/2026', 'UPI/grocer', '500.00', ''],
        ['03/05/2026', 'SALARY MAY', '', '50,000.00'],
      ].forEach((row, r) => row.forEach((cell, i) => cell && doc.text(cell, [40, 110, 330, 410][i], 126 + r * 12, { lineBreak: false })));
    });
    const res = await upload({ session_id: sid, upload_type: 'PDF' }, pdf);
    assert.equal(res.statusCode, 200, res.body);
    const out = body(res);
    assert.equal(out.bank_name, 'hdfc');
    assert.equal(out.transaction_count, 2);
    assert.equal(out.opening_bal, null);
    assert.equal(out.closing_bal, null);
    assert.deepEqual(out.checks, { balance_reconciled: null, first_break: null });
    const stored = await statementsRepository(app.db).transactionsOf(out.statement_id);
    assert.deepEqual(
      stored.map((t) => [t.type, t.amountPaise, t.balancePaise]),
      [['debit', 500_00, null], ['credit', 50_000_00, null]],
    );
  });

  test('uploads: bankless with a password, BASE64, and file_url', async (t) => {
    const { app, client, session, upload } = await setup(t, kind);
    const sid = await session({ journey_mode: 'multi_banking' });
    const sbi = statement('sbi', { count: 30, from: '2026-08-02' as CalendarDate });
    const locked = await renderStatementPdf(sbi, { password: 'SBI@123' });
    const res = await upload({ session_id: sid, upload_type: 'PDF', pdf_password: 'SBI@123' }, locked);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(body(res).bank_name, 'sbi');
    // Coverage: August to October covered, May to July still missing.
    assert.deepEqual(body(res).missing_months, ['2026-05', '2026-06', '2026-07']);

    const hdfc = await renderStatementPdf(statement('hdfc', { count: 10 }));
    const b64 = await app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { 'x-api-key': client.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ session_id: sid, upload_type: 'BASE64', file: hdfc.toString('base64') }).toString(),
    });
    assert.equal(b64.statusCode, 200, b64.body);
    assert.equal(body(b64).bank_name, 'hdfc');

    const pdf = await renderStatementPdf(statement('sbi', { seed: 3, count: 10 }));
    const server = createServer((req, res) => {
      if (req.url === '/statement.pdf') res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    const fromUrl = await upload({ session_id: sid, upload_type: 'PDF', file_url: `http://127.0.0.1:${port}/statement.pdf` });
    assert.equal(fromUrl.statusCode, 200, fromUrl.body);
    assert.equal(body(fromUrl).bank_name, 'sbi');
    const missing = await upload({ session_id: sid, upload_type: 'PDF', file_url: `http://127.0.0.1:${port}/nope.pdf` });
    assert.equal(body(missing).error.code, 'INVALID_FILE_URL');
  });

  test('uploads: every documented refusal, in the upload envelope', async (t) => {
    const { app, client, session, upload, setNow } = await setup(t, kind, { limits: { maxPages: 3 } });
    const sid = await session({ session_expiry: 60 });
    const hdfcPdf = await renderStatementPdf(statement('hdfc', { count: 20 }));
    const expect = async (res: Awaited<ReturnType<typeof upload>>, status: number, code: string, sessionId = sid) => {
      assert.equal(res.statusCode, status, `${code}: ${res.body}`);
      assert.deepEqual(body(res), { session_id: sessionId, statement_id: '', error: { code, message: body(res).error.message } });
      assert.equal(body(res).error.code, code);
    };
    await expect(await upload({ session_id: '5d1ff5cf-4f6c-4b8c-9a55-d6b1e3a8d1aa', upload_type: 'PDF' }, hdfcPdf), 404, 'SESSION_NOT_FOUND', '5d1ff5cf-4f6c-4b8c-9a55-d6b1e3a8d1aa');
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }), 400, 'MISSING_FILE_OBJECT');
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, Buffer.alloc(0)), 400, 'EMPTY_FILE');
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, Buffer.from('not a pdf')), 400, 'INVALID_FILE_OBJECT');
    await expect(await upload({ session_id: sid, upload_type: 'BASE64', file: '%%%not base64%%%' }), 400, 'INVALID_BASE_64');
    await expect(await upload({ session_id: sid, upload_type: 'PDF', file_url: 'ftp://files.example/statement.pdf' }), 400, 'INVALID_FILE_URL');
    await expect(await upload({ session_id: sid, upload_type: 'PDF', bank_name: 'nosuchbank' }, hdfcPdf), 400, 'INVALID_BANK_NAME');
    await expect(await upload({ session_id: sid, upload_type: 'PDF', bank_name: 'sbi' }, hdfcPdf), 400, 'BANK_NAME_MISMATCH');
    assert.equal(body(await upload({ session_id: sid, upload_type: 'PDF', bank_name: 'sbi' }, hdfcPdf)).error.message, 'Not sbi bank statement');
    const locked = await renderStatementPdf(statement('hdfc', { count: 5 }), { password: 'pw' });
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, locked), 400, 'PASSWORD_INCORRECT');
    await expect(await upload({ session_id: sid, upload_type: 'PDF', pdf_password: 'wrong' }, locked), 400, 'PASSWORD_INCORRECT');
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, await imagePdf()), 400, 'PDF_IS_IMAGE');
    const invoice = new PDFDocument();
    const chunks: Buffer[] = [];
    invoice.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => invoice.on('end', r));
    invoice.text('Invoice 42: amount due 1,200.00');
    invoice.end();
    await done;
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, Buffer.concat(chunks)), 400, 'STATEMENT_UNSUPPORTED_FORMAT');
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('generic', { count: 10 }))), 400, 'BANK_NAME_UNDETECTED');
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('hdfc', { count: 400 }))), 400, 'STATEMENT_TOO_MANY_PAGES');
    const old = statement('sbi', { count: 10, from: '2025-01-01' as CalendarDate });
    old.to = '2025-03-31' as CalendarDate;
    old.transactions = old.transactions.filter((x) => x.date <= old.to);
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(old)), 400, 'OUT_OF_DATE_RANGE');
    const lenient = await session({ accept_anything: true });
    assert.equal((await upload({ session_id: lenient, upload_type: 'PDF' }, await renderStatementPdf(old))).statusCode, 200, 'accept_anything takes it');

    assert.equal((await upload({ session_id: sid, upload_type: 'PDF' }, hdfcPdf)).statusCode, 200);
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, hdfcPdf), 400, 'STATEMENT_DUPLICATE');

    const json = await app.inject({ method: 'POST', url: URL_PATH, headers: { 'x-api-key': client.apiKey }, payload: { session_id: sid, upload_type: 'PDF' } });
    assert.equal(json.statusCode, 400);
    assert.equal(body(json).error.code, 'INVALID_FILE_OBJECT');
    const badType = await upload({ session_id: sid, upload_type: 'DOCX' }, hdfcPdf);
    assert.equal(body(badType).error.code, 'INVALID_REQUEST');
    assert.equal(body(badType).error.message, 'upload_type, "DOCX" is not a valid choice.');

    const denied = await upload({ session_id: sid, upload_type: 'PDF' }, hdfcPdf, '', 'pbk_wrong');
    assert.equal(denied.statusCode, 403);
    assert.equal(body(denied).error.code, 'ACCESS_DENIED');
    const lapsed = await app.client({ name: 'lapsed', planStatus: 'expired' });
    const trial = await upload({ session_id: sid, upload_type: 'PDF' }, hdfcPdf, '', lapsed.apiKey);
    assert.equal(trial.statusCode, 402);
    assert.equal(body(trial).error.code, 'TRIAL_PERIOD_EXPIRED');

    setNow(new Date(NOW.getTime() + 61 * 60_000));
    await expect(await upload({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('hdfc', { seed: 5, count: 5 }))), 400, 'SESSION_EXPIRED');
  });

  test('uploads: a file over the size limit is refused', async (t) => {
    const { upload, session } = await setup(t, kind, { limits: { maxBytes: 20_000 } });
    const sid = await session();
    const res = await upload({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('hdfc', { count: 200 })));
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(body(res).error.code, 'PAYLOAD_TOO_LARGE');
  });

  test('uploads: a refused file_url says why, with the code and status of before', async (t) => {
    // A small size limit and a short deadline, so "too large" and "timed out" are quick.
    const { session, upload } = await setup(t, kind, { limits: { maxBytes: 4096, fileUrlTimeoutMs: 300 } });
    const sid = await session();
    const server = createServer((req, res) => {
      if (req.url === '/gone.pdf') res.writeHead(403).end('expired link');
      else if (req.url === '/big.pdf') res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(8192, 32)]));
      else if (req.url === '/login.pdf') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>Sign in</html>');
      else if (req.url === '/loop.pdf') res.writeHead(302, { location: '/loop.pdf' }).end();
      else if (req.url === '/cut.pdf') req.socket.destroy();
      // /slow.pdf: never answers; the upload's deadline ends it.
      else if (req.url !== '/slow.pdf') res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    });
    const at = (file: string) => `http://127.0.0.1:${(server.address() as { port: number }).port}/${file}`;
    const refused = async (fileUrl: string, status: number, code: string, message: string) => {
      const res = await upload({ session_id: sid, upload_type: 'PDF', file_url: fileUrl });
      assert.equal(res.statusCode, status, `${fileUrl}: ${res.body}`);
      assert.deepEqual(body(res), { session_id: sid, statement_id: '', error: { code, message } });
    };
    const invalid = (fileUrl: string, reason: string) => refused(fileUrl, 400, 'INVALID_FILE_URL', `This file url is invalid: ${reason}.`);

    await invalid(at('gone.pdf'), 'the server answered HTTP 403');
    await invalid(at('missing.pdf'), 'the server answered HTTP 404');
    await invalid(at('slow.pdf'), 'the server did not send the file within 0.3 seconds');
    await invalid(at('loop.pdf'), 'it redirects too many times');
    await invalid(at('cut.pdf'), 'the connection to the server failed');
    await invalid('ftp://files.example/statement.pdf', 'only http and https URLs are allowed');
    await invalid(`http://user:secret@127.0.0.1:1/statement.pdf`, 'URLs with a user name or password are not allowed');
    // .invalid never resolves (RFC 6761).
    await invalid('https://statements.invalid/statement.pdf', 'its host name does not resolve');
    await refused(at('big.pdf'), 413, 'PAYLOAD_TOO_LARGE', 'The file at file_url is larger than 4096 bytes.');
    await refused(at('login.pdf'), 400, 'INVALID_FILE_OBJECT', 'File object is invalid: the file at file_url is not a PDF (the server sent text/html).');
  });

  test('uploads: a file_url on a private address is refused as such unless ALLOW_PRIVATE_URLS', async (t) => {
    const { session, upload } = await setup(t, kind, { limits: { allowPrivateFileUrls: false } });
    const sid = await session();
    for (const fileUrl of ['http://127.0.0.1:1/statement.pdf', 'https://169.254.169.254/latest/meta-data', 'http://[::1]/s.pdf', 'https://localhost/s.pdf']) {
      const res = await upload({ session_id: sid, upload_type: 'PDF', file_url: fileUrl });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(body(res).error, { code: 'INVALID_FILE_URL', message: 'This file url is invalid: it points to a private, loopback or reserved address.' }, fileUrl);
    }
  });
});
