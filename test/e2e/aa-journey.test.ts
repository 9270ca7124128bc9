/**
 * Account Aggregator mode end to end, on both stores: a session with mode=aa, the journey's
 * consent request, the user's approval at the built-in sandbox AA, signed notifications, the
 * FI request and fetch, decryption, DEPOSIT reading, and the data stored as statements that
 * processing and insights treat like any other. The FIU and the sandbox talk over the app's
 * own HTTP stack (inject): every request and answer is signed and checked as over a socket.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sandboxCustomer, sandboxDocumentInput, SandboxLedger } from '../../src/aa/sandbox/sandbox-customers.ts';
import { readDeposit } from '../../src/aa/deposit-data.ts';
import { aaRepository } from '../../src/store/repositories/aa-repository.ts';
import { statementsRepository } from '../../src/store/repositories/statements-repository.ts';
import { body, buildTestApp, forEachStore, until, type TestApp } from '../helper.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const MOBILE = '9876543216';

async function aaSession(app: TestApp, apiKey: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/bank-connect/v1/session/',
    payload: { link_id: 'borrower-aa', api_key: apiKey, from_date: '01/06/2026', to_date: '31/10/2026', mode: 'aa', bank_name: 'hdfc', mobile_number: MOBILE, ...extra },
  });
  assert.equal(created.statusCode, 200, created.body);
  return body(created).session_id as string;
}

/** The journey's steps: ask for consent, open the AA's page, approve; returns where the AA sent the user back. */
async function consentAndApprove(app: TestApp, sid: string): Promise<URL> {
  const started = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/aa/consent`, payload: {} });
  assert.equal(started.statusCode, 200, started.body);
  const consentUrl = new URL(body(started).consent_url);
  assert.equal(consentUrl.origin, 'https://journey.passbook.test');
  const page = await app.inject({ method: 'GET', url: consentUrl.pathname + consentUrl.search });
  assert.equal(page.statusCode, 200);
  const action = /<form[^>]*action="([^"]*approve[^"]*)"/.exec(page.body);
  assert.ok(action, 'the consent page has an approve form');
  const target = new URL(action[1]!.replaceAll('&amp;', '&'), consentUrl);
  // As a browser submits the form: every account checkbox, checked by default.
  const accounts = [...page.body.matchAll(/<input type="checkbox" name="account" value="([^"]+)"[^>]* checked>/g)].map((m) => `account=${encodeURIComponent(m[1]!)}`);
  assert.ok(accounts.length > 0, 'the consent page lists the accounts');
  const approved = await app.inject({ method: 'POST', url: target.pathname + target.search, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: accounts.join('&') });
  assert.equal(approved.statusCode, 303, approved.body);
  return new URL(String(approved.headers.location));
}

forEachStore((kind) => {
  test('mode=aa: consent, approval, notifications, fetch, decrypt, store, process, insights', async (t) => {
    const app = await buildTestApp(t, kind, { now: () => NOW, aaSandbox: true });
    const c = await app.client();
    const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
    const sid = await aaSession(app, c.apiKey);

    const journey = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
    assert.deepEqual(journey.modes, ['aa']);
    assert.deepEqual(journey.aa_consent, { purpose: 'Aggregated statement', recurring: null });
    assert.equal(body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}/aa` })).state, 'none');

    const back = await consentAndApprove(app, sid);
    assert.equal(back.searchParams.get('session_id'), sid);
    assert.equal(back.searchParams.get('status'), 'APPROVED');

    const status = await until('AA journey', async () => body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}/aa` })), (s) => s.state === 'done' || s.state === 'failed');
    assert.deepEqual(status, { state: 'done', consent_status: 'ACTIVE', fi_status: 'DELIVERED', reason: null });

    // What the sandbox FIP holds for the customer is what Passbook stored, row for row.
    const customer = sandboxCustomer(MOBILE);
    const [request] = await aaRepository(app.db).fiRequestsOfSession(sid);
    assert.ok(request);
    assert.equal(request.accounts.length, customer.accounts.length);
    const upload = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/session_upload_status/`, headers: keys }));
    assert.equal(upload.accounts.length, customer.accounts.length);
    assert.equal(upload.upload_status, 'COMPLETED');
    assert.ok(upload.accounts.every((a: { statements: { source: string }[] }) => a.statements.every((st) => st.source === 'aa')));
    assert.deepEqual(
      { ...upload.aa_status, accounts: upload.aa_status.accounts.map((a: { fi_status: string; error_code: unknown }) => [a.fi_status, a.error_code]) },
      { fetch_type: 'ONETIME', consent_status: 'ACTIVE', fi_status: 'DELIVERED', error_code: null, accounts: customer.accounts.map(() => ['STORED', null]) },
    );

    assert.equal((await app.inject({ method: 'POST', url: `/bank-connect/v1/session_data/${sid}/initiate_processing/`, headers: keys })).statusCode, 202);
    await until('processing', async () => body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/progress/`, headers: keys })).session_progress, (p) => p === 'completed');
    const insightsRes = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/insights/`, headers: keys });
    assert.equal(insightsRes.statusCode, 200, app.logs.filter((l) => l.includes('"level":50')).join("\n").slice(0, 3000));
    const insights = body(insightsRes);
    assert.equal(insights.accounts.length, customer.accounts.length);

    const ledger = new SandboxLedger();
    const consent = (await aaRepository(app.db).consentsOfSession(sid))[0]!;
    for (const account of customer.accounts) {
      const link = request.accounts.find((a) => a.linkRefNumber === account.linkRefNumber);
      assert.ok(link?.statementId, `account ${account.linkRefNumber} stored`);
      const fip = sandboxDocumentInput(ledger, customer, account, { from: new Date(`${consent.fromDate}T00:00:00+05:30`), to: new Date(`${consent.toDate}T23:59:59.999+05:30`) }, NOW);
      const got = insights.accounts.find((a: { data: { account_details: { account_number: string } } }) => a.data.account_details.account_number.endsWith(account.accountNumber.slice(-4)));
      assert.ok(got, `insights for ${account.maskedAccNumber}`);
      // What the FIP's Profile and Summary say of the holder, which a PDF does not.
      const details = got.data.account_details;
      assert.deepEqual([details.dob, details.email, details.pan_number, details.phone_number, details.account_opening_date], [
        customer.holder.dob, customer.holder.email, customer.holder.pan, `XXXXXX${MOBILE.slice(-4)}`, account.openingDate,
      ]);
      const rows = got.data.transactions.map((x: Record<string, unknown>) => [x.date, x.transaction_type, x.amount, x.balance]);
      const want = fip.transactions.map((x) => [`${x.date} 00:00:00`, x.type, x.amountPaise / 100, x.balancePaise / 100]);
      assert.equal(rows.length, want.length);
      assert.deepEqual(rows, want);
      assert.ok(rows.length > 20, 'months of activity');
      // Rows from an AA come from no page: their trace says so rather than inventing one.
      assert.ok(got.data.transactions.every((x: { page: unknown; bbox: unknown }) => x.page === null && x.bbox === null));
    }

    // No PDF behind AA data; the FI data itself when asked for, in either format.
    const plain = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/get_pdfs/`, headers: keys }));
    assert.deepEqual(plain.statements.map((x: { source: string; pdf_url: unknown }) => [x.source, x.pdf_url]), customer.accounts.map(() => ['AA', null]));
    for (const format of ['xml', 'json'] as const) {
      const links = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/get_pdfs/?send_aa_data=true&aa_data_format=${format}`, headers: keys }));
      for (const link of links.statements as { statement_id: string; pdf_url: string }[]) {
        const url = new URL(link.pdf_url);
        const file = await app.inject({ method: 'GET', url: url.pathname + url.search });
        assert.equal(file.statusCode, 200, file.body.slice(0, 300));
        const account = readDeposit(file.rawPayload);
        assert.equal(account.format, format);
        const stored = await statementsRepository(app.db).transactionsOf(link.statement_id);
        assert.deepEqual(account.transactions.map((x) => [x.date, x.amountPaise, x.balancePaise]), stored.map((x) => [x.date, x.amountPaise, x.balancePaise]));
        // The link is the credential: altered, it opens nothing.
        url.searchParams.set('signature', '0'.repeat(64));
        const forged = await app.inject({ method: 'GET', url: url.pathname + url.search });
        assert.equal(forged.statusCode, 403);
      }
    }

    // Deleting the session deletes the raw data with it.
    assert.equal((await app.inject({ method: 'DELETE', url: `/bank-connect/v1/session_data/${sid}/delete/`, headers: keys })).statusCode, 200);
    assert.equal(await app.deps.blobs.deletePrefix(`sessions/${sid}`), 0);
  });
});

test('recurring consent: the journey ends with the consent; pulls make new sessions, processed by themselves, within the consent', async (t) => {
  const app = await buildTestApp(t, 'pglite', { now: () => NOW, aaSandbox: true });
  const c = await app.client();
  const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
  const sid = await aaSession(app, c.apiKey, { aa_journey_mode: 'only_recurring', aa_recurring_tenure_month_count: 12, aa_recurring_frequency_unit: 'day', aa_recurring_frequency_value: 2 });
  assert.deepEqual(body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).aa_consent, {
    purpose: 'Explicit consent for monitoring of the accounts',
    recurring: { tenure_months: 12, frequency_unit: 'day', frequency_value: 2, fetch_now: false },
  });
  await consentAndApprove(app, sid);
  const status = await until('AA journey', async () => body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}/aa` })), (s) => s.state === 'done' || s.state === 'failed');
  assert.deepEqual(status, { state: 'done', consent_status: 'ACTIVE', fi_status: null, reason: null });
  // Nothing to upload, and still a submit that gives the signed way back.
  assert.equal((await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).statusCode, 200);

  const details = body(await app.inject({ method: 'POST', url: `/bank-connect/v1/account_aggregator/get_recurring_consent_details/?session_id=${sid}/`, headers: keys }));
  const customer = sandboxCustomer(MOBILE);
  assert.equal(details.consent_details.length, customer.accounts.length);
  const [first] = details.consent_details;
  assert.deepEqual({ ...first, consent_id: typeof first.consent_id, masked_account_number: typeof first.masked_account_number }, {
    consent_id: 'string', bank_name: 'hdfc', masked_account_number: 'string', tenure_month_count: 12, frequency_unit: 'day', frequency_value: 2,
  });

  const pull = (payload: Record<string, string>, headers = keys) => app.inject({ method: 'POST', url: '/bank-connect/v1/account_aggregator/fetch_recurring_aa_data/', headers, payload });
  const range = { consent_id: first.consent_id, date_time_range_from: '01/09/2026', date_time_range_to: '31/10/2026' };
  const pulled = await pull(range);
  assert.equal(pulled.statusCode, 200, pulled.body);
  const pulledId = body(pulled).session_id as string;
  assert.notEqual(pulledId, sid);
  await until('processing of the pull', async () => body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${pulledId}/progress/`, headers: keys })).session_progress, (p) => p === 'completed');
  const insights = body(await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${pulledId}/insights/`, headers: keys }));
  assert.equal(insights.accounts.length, customer.accounts.length);
  for (const account of insights.accounts) {
    assert.ok(account.data.transactions.length > 0);
    assert.ok(account.data.transactions.every((x: { date: string }) => x.date >= '2026-09-01' && x.date <= '2026-10-31 23:59:59'));
  }

  // Two pulls a day: the second is allowed, the third is not.
  assert.equal((await pull(range)).statusCode, 200);
  const third = await pull(range);
  assert.equal(third.statusCode, 429);
  assert.equal(body(third).error.code, 'CONSENT_OVERUSED');

  const refusals: [Record<string, string>, string][] = [
    [{ ...range, date_time_range_from: '01/01/2026' }, 'INVALID_DATE_RANGE'],
    [{ ...range, date_time_range_from: '31/10/2026', date_time_range_to: '01/10/2026' }, 'INVALID_DATE_RANGE'],
    [{ ...range, date_time_range_to: '2026-10-31' }, 'INVALID_DATE_RANGE'],
    [{ ...range, consent_id: 'not-a-consent' }, 'INVALID_CONSENT_ID'],
  ];
  for (const [payload, code] of refusals) {
    const res = await pull(payload);
    assert.equal(body(res).error?.code, code, `${JSON.stringify(payload)}: ${res.body}`);
  }
  // Another lender's key sees no such consent, and no such session.
  const other = await app.client({ name: 'other' });
  const otherKeys = { 'x-api-key': other.apiKey, 'server-hash': other.serverHash };
  assert.equal(body(await pull(range, otherKeys)).error.code, 'INVALID_CONSENT_ID');
  const foreign = await app.inject({ method: 'POST', url: `/bank-connect/v1/account_aggregator/get_recurring_consent_details/?session_id=${sid}`, headers: otherKeys });
  assert.equal(body(foreign).error.code, 'INVALID_SESSION_ID');
});
