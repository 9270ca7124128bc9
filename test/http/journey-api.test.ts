/** The journey page's API: session view, uploads through the shared use case, submit and exit with signed redirects. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { redirectSigningKey } from '../../src/usecases/journey.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore, multipartPdf } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');


/** What a lender does with the redirect: recompute the signature from its own server hash. */
function verify(url: string, serverHash: string): boolean {
  const u = new URL(url);
  const signature = u.searchParams.get('signature');
  const params = [...u.searchParams].filter(([k]) => k !== 'signature');
  const expected = createHmac('sha256', redirectSigningKey(serverHash)).update(params.map(([k, v]) => `${k}=${v}`).join('&')).digest('hex');
  return signature === expected;
}

forEachStore((kind) => {
  test('journey: view, upload, coverage, submit with a signed redirect the lender can verify', async (t) => {
    const now = NOW;
    const app = await buildTestApp(t, kind, { now: () => now });
    const c = await app.client({ enabledModes: ['pdf', 'aa'] });
    const sid = body(await app.inject({
      method: 'POST',
      url: '/bank-connect/v1/session/',
      payload: { link_id: 'user-9', api_key: c.apiKey, from_date: '01/05/2026', to_date: '31/10/2026', redirect_url: 'https://lender.example/done?ref=abc', session_expiry: 60 },
    })).session_id;
    const view = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
    assert.equal(view.state, 'open');
    assert.equal(view.link_id, 'user-9');
    assert.deepEqual(view.modes, ['pdf'], 'AA is enabled for the client but not offered by this server yet');
    assert.deepEqual(view.missing_months, view.months);
    assert.equal(view.redirect_origin, 'https://lender.example');
    assert.deepEqual(view.parent_origins, ['https://lender.example']);
    await app.inject({ method: 'PATCH', url: `/admin/v1/clients/${c.clientId}`, headers: { authorization: 'Bearer test-admin-token-0123456789' }, payload: { frame_origins: ['https://app.lender.example', 'https://lender.example'] } });
    assert.deepEqual(body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).parent_origins, ['https://lender.example', 'https://app.lender.example']);
    assert.ok(view.banks.length >= 50 && view.banks.every((b: { modes: string[] }) => b.modes.includes('pdf')));

    assert.equal(body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).error.code, 'MISSING_FILE_OBJECT');

    const wrong = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({ bank_name: 'axis' }, await renderStatementPdf(statement('hdfc', { count: 20 }))) });
    assert.equal(wrong.statusCode, 400);
    assert.equal(body(wrong).error.code, 'BANK_NAME_MISMATCH');
    const locked = await renderStatementPdf(statement('hdfc', { count: 60 }), { password: 'pw1' });
    assert.equal(body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({ bank_name: 'hdfc' }, locked) })).error.code, 'PASSWORD_INCORRECT');
    const ok = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({ bank_name: 'hdfc', pdf_password: 'pw1' }, locked) });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(body(ok).missing_months, []);
    const after = body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` }));
    assert.deepEqual(after.missing_months, []);
    assert.equal(after.accounts[0].bank_name, 'hdfc');
    assert.match(after.accounts[0].masked_account_number, /^X+\d{4}$/);

    const submitted = body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` }));
    const redirect = new URL(submitted.redirect_url);
    assert.equal(redirect.origin + redirect.pathname, 'https://lender.example/done');
    assert.equal(redirect.searchParams.get('ref'), 'abc');
    assert.equal(redirect.searchParams.get('success'), 'true');
    assert.equal(redirect.searchParams.get('session_id'), sid);
    assert.ok(verify(submitted.redirect_url, c.serverHash), 'the lender can verify it');
    const forged = new URL(submitted.redirect_url);
    forged.searchParams.set('session_id', '00000000-0000-4000-8000-000000000000');
    assert.ok(!verify(forged.toString(), c.serverHash), 'a changed parameter breaks the signature');

    assert.equal(body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).state, 'processed');
    const late = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/statements`, ...multipartPdf({}, await renderStatementPdf(statement('sbi', { count: 5 }))) });
    assert.equal(body(late).error.code, 'SESSION_EXPIRED');

    const exit = body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/exit` }));
    assert.equal(new URL(exit.redirect_url).searchParams.get('success'), 'false');
    assert.ok(verify(exit.redirect_url, c.serverHash));
  });

  test('journey: unknown, expired and deleted sessions', async (t) => {
    let now = NOW;
    const app = await buildTestApp(t, kind, { now: () => now });
    const c = await app.client();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await app.inject({ method: 'GET', url: `/journey/api/sessions/${id}` });
      assert.equal(res.statusCode, 404);
      assert.equal(body(res).error.code, 'SESSION_NOT_FOUND');
    }
    const sid = body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', payload: { link_id: 'u', api_key: c.apiKey, session_expiry: 5 } })).session_id;
    now = new Date(NOW.getTime() + 6 * 60_000);
    assert.equal(body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).state, 'expired');
    assert.equal(body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).error.code, 'SESSION_EXPIRED');
    await app.inject({ method: 'DELETE', url: `/bank-connect/v1/session_data/${sid}/delete/`, headers: { 'x-api-key': c.apiKey, 'server-hash': c.serverHash } });
    assert.equal(body(await app.inject({ method: 'GET', url: `/journey/api/sessions/${sid}` })).state, 'deleted');
    assert.equal(body(await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` })).error.code, 'SESSION_DELETED');
  });
});
