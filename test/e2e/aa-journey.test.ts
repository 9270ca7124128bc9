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
import { aaRepository } from '../../src/store/repositories/aa-repository.ts';
import { body, buildTestApp, forEachStore, type TestApp } from '../helper.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const MOBILE = '9876543216';

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, tries = 400): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 25));
    value = await read();
  }
  assert.ok(done(value), `${what}: ${JSON.stringify(value)}`);
  return value;
}

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
      const rows = got.data.transactions.map((x: Record<string, unknown>) => [x.date, x.transaction_type, x.amount, x.balance]);
      const want = fip.transactions.map((x) => [`${x.date} 00:00:00`, x.type, x.amountPaise / 100, x.balancePaise / 100]);
      assert.equal(rows.length, want.length);
      assert.deepEqual(rows, want);
      assert.ok(rows.length > 20, 'months of activity');
      // Rows from an AA come from no page: their trace says so rather than inventing one.
      assert.ok(got.data.transactions.every((x: { page: unknown; bbox: unknown }) => x.page === null && x.bbox === null));
    }
  });
});
