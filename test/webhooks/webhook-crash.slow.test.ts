/**
 * At-least-once across `kill -9`: the server dies while a delivery is in flight (the receiver
 * has the request and has not answered); after a restart the event is delivered, on both stores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { request, startServer, storeEnv } from '../process-helper.ts';
import { statement } from '../statements/statement-fixtures.ts';
import { startReceiver, verifySignature } from './webhook-receiver.ts';

const ADMIN = 'webhook-crash-admin-token';

for (const kind of ['pglite', 'postgres'] as const) {
  test(`${kind}: a delivery in flight when the server is killed -9 is made after the restart`, async (t) => {
    let hang = true;
    const receiver = await startReceiver(t, () => (hang ? 'hang' : { status: 200 }));
    const env = {
      ...(await storeEnv(t, kind)),
      ADMIN_TOKEN: ADMIN,
      ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_TIMEOUT_SECONDS: '1',
      WEBHOOK_RETRY_BASE_SECONDS: '0.2',
    };
    const first = await startServer(t, env);
    const client = await request(first, 'POST', '/admin/v1/clients', { json: { name: 'hooks' }, headers: { authorization: `Bearer ${ADMIN}` } });
    const keys = { 'x-api-key': client.body.api_key, 'server-hash': client.body.server_hash };
    const secret = (await request(first, 'POST', '/bank-connect/v1/session_data/update_webhook/', { json: { webhook_url: receiver.url, webhook_mode: 1 }, headers: keys })).body.webhook_secret;
    const sid = (await request(first, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'u', accept_anything: true }, headers: keys })).body.session_id;
    const form = new FormData();
    form.set('session_id', sid);
    form.set('upload_type', 'PDF');
    form.set('file', new Blob([new Uint8Array(await renderStatementPdf(statement('sbi', { count: 10 })))], { type: 'application/pdf' }), 's.pdf');
    const uploaded = await fetch(`${first.url}/bank-connect/v1/statement/upload_session/`, { method: 'POST', headers: { 'x-api-key': keys['x-api-key'] }, body: form });
    assert.equal(uploaded.status, 200);

    const [inFlight] = await receiver.waitFor(1);
    first.proc.kill('SIGKILL');
    await first.exited;
    hang = false;

    const second = await startServer(t, env);
    // The dead process's lock on the event runs out (timeout + 5 s), then it is sent again.
    const received = await receiver.waitFor(2, 30_000);
    const redelivered = received[received.length - 1]!;
    assert.equal(redelivered.json.event_id, inFlight!.json.event_id, 'the same event');
    assert.equal(redelivered.body, inFlight!.body);
    assert.equal(redelivered.json.event_name, 'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION');
    assert.ok(verifySignature(secret, redelivered));

    let events: Record<string, any>[] = [];
    for (let i = 0; i < 100; i++) {
      events = (await request(second, 'GET', `/bank-connect/v1/session_data/${sid}/webhook_payloads/`, { headers: keys })).body.payloads;
      if (events[0]?.status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(events.length, 1);
    assert.equal(events[0]!.status, 'delivered');
    // The killed attempt left no record; the one after the restart is attempt 2.
    assert.deepEqual(events[0]!.attempts.map((a: any) => [a.attempt, a.status_code]), [[2, 200]]);
    second.proc.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });
}
