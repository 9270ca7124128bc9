/**
 * Hostile PDFs uploaded through the API: each is refused with a 4xx in the BankConnect envelope,
 * and the server goes on answering. How fast, and at what memory, is measured by
 * bench/hostile-uploads.ts (the target: within 5 s, RSS within 300 MB of the baseline).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { body, buildTestApp, multipartPdf } from '../helper.ts';
import { HOSTILE_PDFS } from './hostile-pdfs.ts';

/** The refusal each file gets: too many pages where the page tree says so, otherwise an invalid file. */
const EXPECTED: Record<string, string> = {
  'page tree /Count 10^7': 'STATEMENT_TOO_MANY_PAGES',
  '50,000 pages': 'STATEMENT_TOO_MANY_PAGES',
};

/** Refused by a budget (decode or work) rather than found unreadable: the message says so. */
const OVER_BUDGET = new Set(['flate bomb', 'two stacked Flate filters', 'nested filters (ASCIIHex, Flate, Flate)', 'bomb in a file without xref', '450 pages sharing one content stream']);
const OVER_BUDGET_MESSAGE = 'The file would take far more memory or work to read than a statement does (refused as possibly hostile)';

// Every file is refused within a few seconds (bench/hostile-uploads.ts measures it); before
// the lean reader's work budget, the 450 pages sharing one stream held a worker until the parse
// time limit (about 90 s here). The timeout leaves room for a loaded machine.
test('every hostile file is refused with a 4xx in the upload envelope; the server still answers', { timeout: 120_000 }, async (t) => {
  const app = await buildTestApp(t, 'pglite');
  const client = await app.client();
  const created = await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': client.apiKey }, payload: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026' } });
  const sid = body(created).session_id as string;
  for (const [name, build] of Object.entries(HOSTILE_PDFS)) {
    const { payload, headers } = multipartPdf({ session_id: sid, upload_type: 'PDF' }, build());
    const res = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { ...headers, 'x-api-key': client.apiKey }, payload });
    assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
    const answer = body(res);
    assert.deepEqual(answer, { session_id: sid, statement_id: '', error: { code: EXPECTED[name] ?? 'INVALID_FILE_OBJECT', message: answer.error.message } }, name);
    assert.ok(answer.error.message.length > 0, name);
    if (OVER_BUDGET.has(name)) assert.equal(answer.error.message, OVER_BUDGET_MESSAGE, name);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200, `healthz after ${name}`);
  }
});
