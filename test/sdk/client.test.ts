/**
 * @passbook/client, as built (packages/client/dist, imported by its package name as an
 * integration would), against the real server listening on loopback: a session, a generated
 * statement uploaded, processing waited for on a virtual clock, insights and the other
 * session_data parts, a real webhook delivery and a real journey redirect verified, and the
 * server's refusals as typed errors.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { PassbookClient, PassbookError, isPassbookError, verifyRedirectSignature, verifyWebhookSignature, waitUntil, type Clock } from '@passbook/client';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { buildTestApp, forEachStore, type TestApp } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';
import { startReceiver } from '../webhooks/webhook-receiver.ts';

const NOW = new Date('2026-11-21T06:00:00Z');

async function listening(t: Parameters<typeof buildTestApp>[0], kind: Parameters<typeof buildTestApp>[1]): Promise<{ app: TestApp; baseUrl: string }> {
  const app = await buildTestApp(t, kind, { now: () => NOW });
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}` };
}

/**
 * Virtual time: `sleep` moves it on at once and yields a few real milliseconds so the server's
 * job worker gets on with processing. The wait's decisions see only this clock.
 */
function virtualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now += ms;
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}

forEachStore((kind) => {
  test('a session from creation to insights, through the SDK over HTTP', async (t) => {
    const { app, baseUrl } = await listening(t, kind);
    const c = await app.client();
    const pb = new PassbookClient({ baseUrl, apiKey: c.apiKey, serverHash: c.serverHash });

    const created = await pb.createSession(
      { link_id: 'sdk-user-1', from_date: '01/05/2026', to_date: '31/10/2026', redirect_url: 'https://lender.example/done?ref=42' },
      { idempotencyKey: 'sdk-create-1' },
    );
    assert.match(created.session_id, /^[0-9a-f-]{36}$/);
    assert.equal(created.redirect_url, `https://journey.passbook.test/?session_id=${created.session_id}`);
    const sessionId = created.session_id;
    const again = await pb.createSession({ link_id: 'sdk-user-1', from_date: '01/05/2026', to_date: '31/10/2026', redirect_url: 'https://lender.example/done?ref=42' }, { idempotencyKey: 'sdk-create-1' });
    assert.equal(again.session_id, sessionId, 'the idempotency key went with the request');

    const hdfc = statement('hdfc', { seed: 31, count: 60 });
    const pdf = await renderStatementPdf(hdfc, { password: 'AYUS0101' });
    const uploaded = await pb.uploadStatement({ session_id: sessionId, file: new Uint8Array(pdf), bank_name: 'hdfc', pdf_password: 'AYUS0101' }, { identity: true });
    assert.equal(uploaded.session_id, sessionId);

    const status = await pb.uploadStatus(sessionId);
    assert.equal(status.upload_status, 'COMPLETED');
    assert.deepEqual(
      status.accounts.map((a) => a.bank_name),
      ['hdfc'],
    );

    // The journey's own submit, as the user's browser would: its answer is the signed redirect.
    const submitted = await pb.call('POST /journey/api/sessions/{session_id}/submit', { path: { session_id: sessionId } });
    assert.ok(submitted.redirect_url);
    const redirect = await verifyRedirectSignature(submitted.redirect_url, c.serverHash);
    assert.ok(redirect.valid, 'the real redirect verifies');
    assert.equal(redirect.success, true);
    assert.equal(redirect.sessionId, sessionId);
    assert.equal(redirect.params.get('ref'), '42', "the lender's own parameter is kept and signed");
    const forged = new URL(submitted.redirect_url);
    forged.searchParams.set('success', 'false');
    assert.deepEqual(await verifyRedirectSignature(forged, c.serverHash), { valid: false, reason: 'bad-signature' });
    assert.equal((await verifyRedirectSignature(submitted.redirect_url, 'pbs_someone-else')).valid, false);

    try {
      await pb.initiateProcessing(sessionId);
    } catch (error) {
      // Submitting may already have asked for processing; a second request is refused as a duplicate.
      if (!isPassbookError(error, 'DUPLICATE_PROCESSING_REQUEST')) throw error;
    }
    const clock = virtualClock();
    const polled: string[] = [];
    const progress = await pb.waitForCompletion(sessionId, { clock, intervalMs: 500, backoff: 2, maxIntervalMs: 4000, timeoutMs: 3_600_000, onPoll: (p) => polled.push(p.session_progress) });
    assert.equal(progress.session_progress, 'completed');
    assert.equal(polled.at(-1), 'completed');
    assert.deepEqual(clock.slept, [500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000].slice(0, clock.slept.length), 'waits grow by the backoff up to the cap');

    const insights = await pb.insights(sessionId);
    assert.equal(insights.accounts.length, 1);
    assert.equal(insights.accounts[0]!.data.account_details.account_number, hdfc.account.accountNumber);
    const transactions = await pb.sessionData(sessionId, 'transactions');
    assert.equal(transactions.accounts[0]!.data.transactions.length, hdfc.transactions.length);
    const details = await pb.sessionData(sessionId, 'details');
    assert.equal(details.link_id, 'sdk-user-1');

    // Typed refusals: the wire code and the HTTP status.
    const stranger = new PassbookClient({ baseUrl, apiKey: c.apiKey, serverHash: 'pbs_wrong' });
    await assert.rejects(stranger.insights(sessionId), (error: unknown) => error instanceof PassbookError && error.code === 'ACCESS_DENIED' && error.status === 403 && typeof error.requestId === 'string');
    await assert.rejects(pb.sessionData('00000000-0000-4000-8000-000000000000', 'progress'), { name: 'PassbookError', code: 'SESSION_NOT_FOUND', status: 404 });
  });
});

describe('the SDK against a server', () => {
  test('refusals become PassbookError with the wire code; webhooks verify with WebCrypto', async (t) => {
    const { app, baseUrl } = await listening(t, 'pglite');
    const c = await app.client();
    const pb = new PassbookClient({ baseUrl, apiKey: c.apiKey, serverHash: c.serverHash });

    const badKey = new PassbookClient({ baseUrl, apiKey: 'pbk_not-a-key' });
    await assert.rejects(badKey.createSession({ link_id: 'x' }), (error: unknown) => {
      assert.ok(error instanceof PassbookError);
      assert.equal(error.code, 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED');
      assert.equal(error.status, 401);
      assert.equal(error.message, 'Authentication credentials were not provided');
      return true;
    });
    await assert.rejects(pb.createSession({ link_id: 'x', bank_name: 'no-such-bank' }), { code: 'INVALID_BANK_NAME', status: 400 });
    await assert.rejects(new PassbookClient({ baseUrl: 'http://127.0.0.1:9' }).call('GET /healthz'), { code: 'NETWORK_ERROR', status: 0 });

    const receiver = await startReceiver(t);
    const registered = await pb.call('POST /bank-connect/v1/session_data/update_webhook/', { body: { webhook_url: `${receiver.url}/hooks/passbook`, webhook_mode: 1 } });
    const secret = (registered as { webhook_secret?: string }).webhook_secret;
    assert.ok(secret && secret.startsWith('whsec_'), 'update_webhook answers the secret');
    await pb.call('POST /bank-connect/v1/session_data/send_test_webhook/');
    const [delivery] = await receiver.waitFor(1);
    assert.ok(delivery);
    // Test deliveries are signed at the dispatcher's time of sending: the checks run 30 s after it.
    const signedAt = Number(delivery.headers['x-passbook-timestamp']);
    const at = () => signedAt * 1000 + 30_000;

    const verified = await verifyWebhookSignature({ secret, headers: delivery.headers, body: delivery.body, now: at });
    assert.deepEqual(verified, { valid: true, eventId: delivery.headers['x-passbook-event-id'], timestamp: signedAt });
    assert.ok((await verifyWebhookSignature({ secret, headers: new Headers(delivery.headers as Record<string, string>), body: new TextEncoder().encode(delivery.body), now: at })).valid, 'fetch Headers and bytes');
    assert.deepEqual(await verifyWebhookSignature({ secret, headers: delivery.headers, body: `${delivery.body} `, now: at }), { valid: false, reason: 'bad-signature' });
    assert.deepEqual(await verifyWebhookSignature({ secret: `${secret}x`, headers: delivery.headers, body: delivery.body, now: at }), { valid: false, reason: 'bad-signature' });
    assert.deepEqual(await verifyWebhookSignature({ secret, headers: delivery.headers, body: delivery.body, now: () => signedAt * 1000 + 301_000 }), { valid: false, reason: 'stale-timestamp' });
    assert.deepEqual(await verifyWebhookSignature({ secret, headers: {}, body: delivery.body, now: at }), { valid: false, reason: 'missing-headers' });
  });
});

test('waitUntil gives up at the deadline of the clock it is given, never sleeping past it', async () => {
  const clock = virtualClock();
  let reads = 0;
  await assert.rejects(
    waitUntil(async () => ++reads, () => false, { clock, what: 'nothing', timeoutMs: 10_000, intervalMs: 1000, backoff: 2, maxIntervalMs: 3000 }),
    (error: unknown) => error instanceof PassbookError && error.code === 'WAIT_TIMEOUT' && error.status === 0 && error.body === reads,
  );
  assert.deepEqual(clock.slept, [1000, 2000, 3000, 3000, 1000]);
  assert.equal(clock.now(), 10_000);
  assert.equal(reads, 6, 'one last read at the deadline');
});
