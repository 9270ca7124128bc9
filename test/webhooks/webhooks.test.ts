/**
 * Webhooks end to end, on both stores, against a real receiver on loopback: configuration and
 * its SSRF checks, the three BankConnect events, signatures, retries (5xx, hang, 429), order
 * within a session, the retry window, the delivery log, replay, test deliveries, rotation.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { expireSessions } from '../../src/usecases/expire-sessions.ts';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore, multipartPdf, type StoreKind, type TestAppOptions } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';
import { startReceiver, verifySignature, type Received } from './webhook-receiver.ts';

let pdf: Promise<Buffer> | undefined;
const samplePdf = () => (pdf ??= renderStatementPdf(statement('sbi', { count: 10 })));

async function setup(t: TestContext, kind: StoreKind, options: TestAppOptions = {}) {
  const app = await buildTestApp(t, kind, options);
  const c = await app.client();
  const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
  const api = (method: 'GET' | 'POST', path: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url: `/bank-connect/v1/session_data/${path}`, headers: keys, ...(payload ? { payload } : {}) });
  const configure = async (url: string): Promise<string> => {
    const res = await api('POST', 'update_webhook/', { webhook_url: url, webhook_mode: 1 });
    assert.equal(res.statusCode, 200, res.body);
    return body(res).webhook_secret as string;
  };
  const newSession = async (payload: Record<string, unknown> = { link_id: 'u', accept_anything: true }) =>
    body(await app.inject({ method: 'POST', url: '/bank-connect/v1/session/', headers: { 'x-api-key': c.apiKey }, payload })).session_id as string;
  /** A session that expires now: records SESSION_EXPIRY_NOTIFICATION. */
  const expiredSession = async () => {
    const sid = await newSession({ link_id: 'x' });
    await app.db.query("update sessions set expires_at = now() - interval '1 minute' where session_id = $1", [sid]);
    await expireSessions(app.deps, new Date());
    return sid;
  };
  const upload = async (sid: string, file?: Buffer) => {
    const form = multipartPdf({ session_id: sid, upload_type: 'PDF' }, file ?? (await samplePdf()));
    const res = await app.inject({ method: 'POST', url: '/bank-connect/v1/statement/upload_session/', headers: { 'x-api-key': c.apiKey, ...form.headers }, payload: form.payload });
    assert.equal(res.statusCode, 200, res.body);
  };
  const log = async (sid: string) => body(await api('GET', `${sid}/webhook_payloads/`)).payloads as Record<string, any>[];
  /** Polls the delivery log until `done` holds. */
  const logUntil = async (sid: string, done: (events: Record<string, any>[]) => boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await log(sid);
      if (done(events)) return events;
      if (Date.now() > deadline) throw new Error(`delivery log never settled: ${JSON.stringify(events, null, 1)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { app, c, keys, api, configure, newSession, expiredSession, upload, log, logUntil };
}

/** The verification function exactly as the README shows it to lenders. */
function readmeVerifier(): (headers: Record<string, unknown>, rawBody: string, secret: string) => boolean {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const code = /```js\n([\s\S]*?isFromPassbook[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'the README has the verification snippet');
  const body = code.replace(/^import .*$/m, '');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's snippet as written
  return new Function('createHmac', 'timingSafeEqual', `${body}\nreturn isFromPassbook;`)(createHmac, timingSafeEqual);
}

const names = (rs: Received[]) => rs.map((r) => r.json.event_name);

forEachStore((kind) => {
  test('update_webhook: https only, no private or link-local targets, clear errors, secret shown once', async (t) => {
    const { api, app } = await setup(t, kind, { webhooks: { allowHttp: false, allowPrivate: false } });
    const refused: [Record<string, unknown>, string, RegExp][] = [
      [{}, 'INVALID_REQUEST', /webhook_url, This field is required/],
      [{ webhook_url: 'http://hooks.example.com/x' }, 'INVALID_URL', /Only https URLs are allowed/],
      [{ webhook_url: 'https://127.0.0.1/hook' }, 'INVALID_URL', /private or reserved address/],
      [{ webhook_url: 'https://169.254.169.254/latest/meta-data/' }, 'INVALID_URL', /private or reserved address/],
      [{ webhook_url: 'https://[::ffff:127.0.0.1]/hook' }, 'INVALID_URL', /private or reserved address/],
      [{ webhook_url: 'https://localhost:8080/hook' }, 'INVALID_URL', /private or reserved address/],
      [{ webhook_url: 'https://user:pw@hooks.example.com/' }, 'INVALID_URL', /user name or password/],
      [{ webhook_url: 'not a url' }, 'INVALID_URL', /not valid/],
      [{ webhook_url: 'https://203.0.113.9/hook', webhook_mode: 9 }, 'INVALID_REQUEST', /webhook_mode/],
    ];
    for (const [payload, code, message] of refused) {
      const res = await api('POST', 'update_webhook/', payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(body(res).error.code, code, JSON.stringify(payload));
      assert.match(body(res).error.message, message);
    }
    const rows = await app.db.query<{ webhook_url: string | null }>('select webhook_url from clients');
    assert.deepEqual(rows.map((r) => r.webhook_url), [null], 'nothing refused was saved');

    const noKeys = await app.inject({ method: 'POST', url: '/bank-connect/v1/session_data/update_webhook/', payload: { webhook_url: 'https://8.8.8.8/' } });
    assert.equal(noKeys.statusCode, 403);

    // A public address literal needs no DNS here.
    const first = await api('POST', 'update_webhook/', { webhook_url: 'https://8.8.8.8/hook', webhook_mode: 1 });
    assert.equal(first.statusCode, 200);
    assert.match(body(first).webhook_secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const second = await api('POST', 'update_webhook/', { webhook_url: 'https://8.8.4.4/hook' });
    assert.deepEqual(body(second), { message: 'success' }, 'the secret is shown only when created');
    const rows2 = await app.db.query<{ webhook_url: string; webhook_mode: number }>('select webhook_url, webhook_mode from clients');
    assert.deepEqual(rows2, [{ webhook_url: 'https://8.8.4.4/hook', webhook_mode: 1 }], 'webhook_mode defaults to 1');

    const doc = body(await app.inject({ method: 'GET', url: '/openapi.json' }));
    const update = doc.paths['/bank-connect/v1/session_data/update_webhook/'].post;
    assert.deepEqual(update.requestBody.content['application/json'].schema.required, ['webhook_url']);
    assert.ok(doc.paths['/bank-connect/v1/session_data/{session_id}/webhook_payloads/{event_id}/replay/'].post.responses['404']);
  });

  test('events arrive signed and in order; 500 twice then 200 lands once; the log shows every attempt', async (t) => {
    // The completion event fails twice; the enrichment event, recorded meanwhile, must wait for it.
    const receiver = await startReceiver(t, (n) => ({ status: n < 2 ? 500 : 200 }));
    const { api, configure, newSession, upload, logUntil } = await setup(t, kind, { webhooks: { retryBaseMs: 300 } });
    const secret = await configure(receiver.url);
    const sid = await newSession();
    await upload(sid);
    assert.equal((await api('POST', `${sid}/initiate_processing/`)).statusCode, 202);
    const received = await receiver.waitFor(4);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(receiver.received.length, 4, 'no further deliveries');
    assert.ok(receiver.connections < 4, `connections are kept alive between deliveries (${receiver.connections} for 4)`);
    assert.deepEqual(names(received), [
      'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION',
      'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION',
      'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION',
      'ENRICHMENT_NOTIFICATION',
    ]);
    for (const r of received) {
      assert.ok(verifySignature(secret, r), 'valid signature');
      assert.equal(r.headers['x-passbook-event-id'], r.json.event_id);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.json.session_id, sid);
    }
    assert.ok(!verifySignature('whsec_wrong', received[0]!), 'another secret does not verify');
    assert.ok(!verifySignature(secret, { ...received[0]!, body: received[0]!.body.replace('Upload Completed', 'Upload Complete') }), 'a changed body does not verify');
    assert.equal(received[0]!.body, received[2]!.body, 'a retry sends the same bytes');
    assert.notEqual(received[0]!.json.event_id, received[3]!.json.event_id);

    const completion = received[0]!.json;
    assert.equal(completion.message, 'Upload Completed');
    assert.equal(completion.accounts.length, 1);
    assert.match(completion.accounts[0].account_number, /^X+\d{4}$/, 'masked');
    assert.equal(completion.accounts[0].bank_name, 'sbi');
    assert.equal(completion.accounts[0].statements.length, 1);
    assert.match(completion.session_date_range.from_date, /^\d\d\/\d\d\/\d{4}$/);
    assert.ok(!Number.isNaN(Date.parse(completion.created_at)));
    const enrichment = received[3]!.json;
    assert.equal(enrichment.insights_available, true);
    // Announced only once everything is stored (one transaction): read right after, insights/ has it all.
    const insights = body(await api('GET', `${sid}/insights/`));
    assert.match(insights.enrichment_version, /^\d{4}\./);
    assert.ok(Object.keys(insights.accounts[0].data.monthly_analysis).length > 400);
    assert.ok(Object.keys(insights.accounts[0].data.predictors).length > 1000);
    assert.deepEqual(Object.keys(enrichment.accounts[0]).sort(), ['account_category', 'account_id', 'account_status', 'attempt_types', 'bank_name', 'error_code', 'error_message', 'name']);
    assert.equal(enrichment.accounts[0].account_status, 'completed');
    assert.equal(enrichment.accounts[0].error_code, '');

    const events = await logUntil(sid, (es) => es.length === 2 && es.every((e) => e.status === 'delivered'));
    assert.deepEqual(events.map((e) => e.event_name), ['ENRICHMENT_NOTIFICATION', 'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION'], 'newest first');
    const [enriched, completed] = events as [Record<string, any>, Record<string, any>];
    assert.deepEqual(completed.attempts.map((a: any) => a.status_code), [500, 500, 200]);
    assert.deepEqual(completed.attempts.map((a: any) => a.attempt), [1, 2, 3]);
    assert.match(completed.attempts[0].error, /HTTP 500/);
    assert.equal(completed.attempts[2].error, null);
    assert.ok(completed.attempts.every((a: any) => Number.isInteger(a.latency_ms) && a.latency_ms >= 0));
    assert.ok(Date.parse(completed.attempts[1].started_at) - Date.parse(completed.attempts[0].started_at) >= 300, 'back-off before the retry');
    assert.deepEqual(completed.payload, completion, 'the log holds the payload as sent');
    assert.deepEqual(enriched.attempts.map((a: any) => a.status_code), [200]);
    assert.ok(Date.parse(enriched.attempts[0].started_at) >= Date.parse(completed.attempts[2].started_at), 'ordered per session');
    // The user's submit after initiate_processing announces nothing new.
    assert.equal((await logUntil(sid, () => true)).length, 2);
  });

  test('a receiver that hangs is timed out and retried; 429 Retry-After is honoured', async (t) => {
    const receiver = await startReceiver(t, (n) => (n === 0 ? 'hang' : n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 }));
    const { configure, expiredSession, logUntil } = await setup(t, kind, { webhooks: { timeoutMs: 300 } });
    await configure(receiver.url);
    const sid = await expiredSession();
    const [event] = await logUntil(sid, (es) => es[0]?.status === 'delivered');
    assert.equal(event!.event_name, 'SESSION_EXPIRY_NOTIFICATION');
    assert.equal(event!.payload.message, 'Session expired');
    const [hung, limited, ok] = event!.attempts as Record<string, any>[];
    assert.equal(hung!.status_code, null);
    assert.equal(hung!.error, 'The server did not answer in time.');
    assert.ok(hung!.latency_ms >= 290 && hung!.latency_ms < 2000, `timed out after ${hung!.latency_ms} ms`);
    assert.equal(limited!.status_code, 429);
    assert.equal(ok!.status_code, 204);
    assert.ok(Date.parse(ok!.started_at) - Date.parse(limited!.started_at) >= 1000, 'waited as Retry-After asked');
    assert.equal(receiver.received.length, 3);
  });

  test('after the retry window the event is failed and kept; replay sends it again', async (t) => {
    let up = false;
    const receiver = await startReceiver(t, () => ({ status: up ? 200 : 503 }));
    const { api, configure, expiredSession, logUntil } = await setup(t, kind, { webhooks: { retryWindowMs: 400 } });
    await configure(receiver.url);
    const sid = await expiredSession();
    const [failed] = await logUntil(sid, (es) => es[0]?.status === 'failed');
    assert.ok(failed!.attempts.length >= 2, 'retried within the window');
    assert.ok(failed!.attempts.every((a: any) => a.status_code === 503));
    assert.equal(failed!.next_attempt_at, null);
    await new Promise((r) => setTimeout(r, 200));
    const sent = receiver.received.length;
    assert.equal((await logUntil(sid, () => true))[0]!.attempts.length, sent, 'a failed event is not retried');

    up = true;
    const replay = await api('POST', `${sid}/webhook_payloads/${failed!.event_id}/replay/`);
    assert.equal(replay.statusCode, 202);
    assert.deepEqual(body(replay), { message: 'success', event_id: failed!.event_id, status: 'pending' });
    const [delivered] = await logUntil(sid, (es) => es[0]?.status === 'delivered');
    assert.equal(delivered!.attempts.length, sent + 1);
    assert.equal(delivered!.attempts.at(-1).status_code, 200);
    assert.equal(receiver.received.at(-1)!.json.event_id, failed!.event_id, 'same event id');
    assert.equal(receiver.received.at(-1)!.body, receiver.received[0]!.body, 'same bytes');

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await api('POST', `${sid}/webhook_payloads/${id}/replay/`);
      assert.equal(res.statusCode, 404);
      assert.equal(body(res).error.code, 'WEBHOOK_EVENT_NOT_FOUND');
    }
  });

  test('delivery re-checks the address: a loopback URL is refused when private addresses are not allowed', async (t) => {
    const receiver = await startReceiver(t);
    const { app, c, configure, expiredSession, logUntil } = await setup(t, kind, { webhooks: { allowPrivate: false, retryWindowMs: 300 } });
    await configure('https://8.8.8.8/hook');
    // As if the name had been re-pointed at loopback after it was checked.
    await app.db.query('update clients set webhook_url = $2 where client_id = $1', [c.clientId, receiver.url]);
    const sid = await expiredSession();
    const [event] = await logUntil(sid, (es) => es[0]?.status === 'failed');
    assert.equal(event!.attempts[0].error, 'The URL points to a private or reserved address.');
    assert.equal(event!.attempts[0].status_code, null);
    assert.equal(receiver.received.length, 0, 'nothing reached the receiver');
  });

  test('expiry is announced only for sessions whose user never finished; without a URL events are skipped, and replay needs one', async (t) => {
    const { api, app, newSession, upload, expiredSession, logUntil, configure } = await setup(t, kind);
    const finished = await newSession();
    await upload(finished);
    await app.db.query("update sessions set expires_at = now() - interval '1 minute' where session_id = $1", [finished]);
    const silent = await expiredSession();
    const [skipped] = await logUntil(silent, (es) => es[0]?.status === 'skipped');
    assert.equal(skipped!.last_error, 'No webhook_url is configured for this client.');
    assert.deepEqual(skipped!.attempts, []);
    const events = await logUntil(finished, (es) => es.every((e) => e.status !== 'pending'));
    assert.deepEqual(events.map((e) => e.event_name), ['SESSION_REQUIREMENT_COMPLETION_NOTIFICATION'], 'no expiry after completion');
    const refused = await api('POST', `${silent}/webhook_payloads/${skipped!.event_id}/replay/`);
    assert.equal(body(refused).error.code, 'WEBHOOK_NOT_CONFIGURED');

    const receiver = await startReceiver(t);
    await configure(receiver.url);
    assert.equal((await api('POST', `${silent}/webhook_payloads/${skipped!.event_id}/replay/`)).statusCode, 202);
    assert.equal((await receiver.waitFor(1))[0]!.json.event_id, skipped!.event_id);
  });

  test('two uploads completing a session at the same moment both succeed and announce it once', async (t) => {
    const { newSession, upload, logUntil } = await setup(t, kind);
    const sid = await newSession({ link_id: 'u', accept_anything: true, journey_mode: 'multi_banking' });
    const other = await renderStatementPdf(statement('hdfc', { count: 12 }));
    await Promise.all([upload(sid), upload(sid, other)]);
    const events = await logUntil(sid, (es) => es.length > 0 && es.every((e) => e.status !== 'pending'));
    assert.deepEqual(events.map((e) => e.event_name), ['SESSION_REQUIREMENT_COMPLETION_NOTIFICATION']);
  });

  test('the journey submit announces completion once', async (t) => {
    const receiver = await startReceiver(t);
    const { app, configure, newSession, upload, logUntil } = await setup(t, kind);
    await configure(receiver.url);
    // Not every month covered: the upload itself does not complete the session.
    const sid = await newSession({ link_id: 'u', from_date: '01/01/2025', to_date: '31/10/2026' });
    await upload(sid);
    assert.deepEqual(await logUntil(sid, () => true), []);
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'POST', url: `/journey/api/sessions/${sid}/submit` });
      assert.equal(res.statusCode, 200, res.body);
    }
    const events = await logUntil(sid, (es) => es[0]?.status === 'delivered');
    assert.deepEqual(events.map((e) => e.event_name), ['SESSION_REQUIREMENT_COMPLETION_NOTIFICATION']);
    assert.ok(events[0]!.payload.accounts[0].missing_data.length > 0, 'the payload says what is missing');
  });

  test('send_test_webhook, secret rotation, deletion and access rules', async (t) => {
    let status = 200;
    const receiver = await startReceiver(t, () => ({ status }));
    const { api, app, keys, configure, expiredSession, logUntil } = await setup(t, kind);
    assert.equal(body(await api('POST', 'send_test_webhook/')).error.code, 'WEBHOOK_NOT_CONFIGURED');
    const secret = await configure(receiver.url);

    const sent = await api('POST', 'send_test_webhook/');
    assert.equal(sent.statusCode, 200);
    assert.equal(body(sent).status_code, 200);
    const [test1] = await receiver.waitFor(1);
    assert.equal(test1!.json.event_name, 'TEST_NOTIFICATION');
    assert.equal(body(sent).event_id, test1!.json.event_id);
    assert.ok(verifySignature(secret, test1!));
    const isFromPassbook = readmeVerifier();
    assert.equal(isFromPassbook(test1!.headers, test1!.body, secret), true, "the README's check accepts a real delivery");
    assert.equal(isFromPassbook(test1!.headers, test1!.body.replace('Test', 'Fake'), secret), false, '…and refuses a changed body');
    assert.equal(isFromPassbook({ ...test1!.headers, 'x-passbook-timestamp': String(Number(test1!.headers['x-passbook-timestamp']) - 301) }, test1!.body, secret), false, '…and a stale timestamp');
    status = 500;
    const failed = await api('POST', 'send_test_webhook/');
    assert.equal(failed.statusCode, 400);
    assert.equal(body(failed).error.code, 'WEBHOOK_DELIVERY_FAILED');
    assert.equal(body(failed).status_code, 500);
    status = 200;

    const rotated = body(await api('POST', 'rotate_webhook_secret/'));
    assert.notEqual(rotated.webhook_secret, secret);
    assert.ok(Date.parse(rotated.previous_secret_valid_until) > Date.now() + 23 * 3600_000);
    await api('POST', 'send_test_webhook/');
    const [, , test3] = await receiver.waitFor(3);
    assert.ok(verifySignature(rotated.webhook_secret, test3!), 'the new secret verifies');
    assert.ok(verifySignature(secret, test3!), 'the old one too, during its grace period');
    assert.equal(String(test3!.headers['x-passbook-signature']).split(',').length, 2);
    const logs = app.logs.join('');
    assert.ok(logs.length > 0);
    for (const s of [secret, rotated.webhook_secret]) assert.ok(!logs.includes(s), 'no webhook secret in the logs');

    const sid = await expiredSession();
    await logUntil(sid, (es) => es[0]?.status === 'delivered');
    const other = await app.client({ name: 'other' });
    const foreign = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/webhook_payloads/`, headers: { 'x-api-key': other.apiKey, 'server-hash': other.serverHash } });
    assert.equal(foreign.statusCode, 404);
    const keyless = await app.inject({ method: 'GET', url: `/bank-connect/v1/session_data/${sid}/webhook_payloads/` });
    assert.equal(keyless.statusCode, 403);
    assert.equal((await app.db.query('select 1 from webhook_events where session_id = $1', [sid])).length, 1);
    assert.equal((await app.inject({ method: 'DELETE', url: `/bank-connect/v1/session_data/${sid}/delete/`, headers: keys })).statusCode, 200);
    assert.equal((await app.db.query('select 1 from webhook_events where session_id = $1', [sid])).length, 0, 'events go with the session');
    assert.equal((await api('GET', `${sid}/webhook_payloads/`)).statusCode, 410);
  });
});

