/**
 * The entity flow's webhook (reference §4.6) against a real receiver on loopback: one signed
 * `{entity_id, statement_id, link_id, progress, reason}` per statement when its processing
 * completes or fails, through the same outbox as the session flow's events; an entity gets none
 * of the session flow's events (completion, enrichment), while a session of the same client
 * still does; a statement is announced again only when a later processing changes its outcome;
 * `entity/webhook_payloads/?link_id=` lists the recorded events.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { renderStatementPdf } from '../../src/samples/render-statement.ts';
import { body, buildTestApp, forEachStore, multipartPdf, until, type StoreKind } from '../helper.ts';
import { statement } from '../statements/statement-fixtures.ts';
import { startReceiver, verifySignature, type Receiver } from '../webhooks/webhook-receiver.ts';

const NOW = new Date('2026-11-21T06:00:00Z');
const V1 = '/bank-connect/v1';

async function setup(t: TestContext, kind: StoreKind) {
  const app = await buildTestApp(t, kind, { now: () => NOW });
  const c = await app.client();
  const keys = { 'x-api-key': c.apiKey, 'server-hash': c.serverHash };
  const receiver = await startReceiver(t);
  const configured = await app.inject({ method: 'POST', url: `${V1}/entity/update_webhook/`, headers: keys, payload: { webhook_url: receiver.url } });
  assert.equal(configured.statusCode, 200, configured.body);
  const secret = body(configured).webhook_secret as string;
  const upload = async (fields: Record<string, string>, file: Buffer) => {
    const m = multipartPdf(fields, file);
    const res = await app.inject({ method: 'POST', url: `${V1}/statement/bankless_upload/`, headers: { 'x-api-key': c.apiKey, ...m.headers }, payload: m.payload });
    assert.equal(res.statusCode, 200, res.body);
    return body<{ entity_id: string; statement_id: string }>(res);
  };
  const get = (path: string) => app.inject({ method: 'GET', url: `${V1}/${path}`, headers: keys });
  const processed = (entityId: string, statements: number) =>
    until(
      'every statement processed',
      async () => body(await get(`entity/${entityId}/accounts/`)).progress as { status: string }[],
      (p) => p.length === statements && p.every((s) => s.status !== 'processing'),
    );
  /** Waits for `count` deliveries, then a little longer to see that no more come. */
  const deliveries = async (count: number) => {
    await receiver.waitFor(count);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, count, `exactly ${count} deliveries: ${receiver.received.map((r) => r.body).join('\n')}`);
    return receiver.received.map((r) => r.json);
  };
  return { app, c, keys, receiver, secret, upload, get, processed, deliveries };
}

function brokenCopy(s: ReturnType<typeof statement>, row: number): ReturnType<typeof statement> {
  const transactions = [...s.transactions];
  transactions[row] = { ...transactions[row]!, balancePaise: transactions[row]!.balancePaise + 500_00 };
  return { ...s, transactions };
}

function assertSigned(receiver: Receiver, secret: string): void {
  for (const r of receiver.received) {
    assert.ok(verifySignature(secret, r), 'signed with the client secret');
    assert.equal(r.headers['x-passbook-event-id'], r.json.event_id);
  }
}

forEachStore((kind) => {
  test('entity webhook: one signed §4.6 payload per processed statement, no session-flow events, replayed by link_id', async (t) => {
    const { app, c, keys, receiver, secret, upload, get, processed, deliveries } = await setup(t, kind);
    const hdfc = statement('hdfc', { seed: 21, count: 40 });
    const first = await upload({ link_id: 'hook-a' }, await renderStatementPdf(hdfc));
    await processed(first.entity_id, 1);
    const [completed] = await deliveries(1);
    assert.deepEqual(Object.keys(completed!), ['entity_id', 'statement_id', 'link_id', 'progress', 'reason', 'event_id', 'created_at']);
    assert.deepEqual(
      { ...completed, event_id: undefined },
      { entity_id: first.entity_id, statement_id: first.statement_id, link_id: 'hook-a', progress: 'completed', reason: '', event_id: undefined, created_at: NOW.toISOString() },
    );

    // A second account whose statement does not add up: only that statement is announced, failed.
    const second = await upload({ link_id: 'hook-a' }, await renderStatementPdf(brokenCopy(statement('sbi', { seed: 22, count: 30 }), 8)));
    assert.equal(second.entity_id, first.entity_id);
    await processed(first.entity_id, 2);
    const failed = (await deliveries(2))[1]!;
    assert.equal(failed.statement_id, second.statement_id);
    assert.equal(failed.progress, 'failed');
    assert.match(failed.reason, /^Calculated transaction balance does not match/);
    assertSigned(receiver, secret);

    // The session flow's conclusion of an entity processes nothing new and announces nothing:
    // the completion the session flow would send is not the entity flow's.
    const concluded = await app.inject({ method: 'POST', url: `${V1}/session_data/${first.entity_id}/initiate_processing/`, headers: keys });
    assert.equal(concluded.statusCode, 202, concluded.body);
    await app.worker.drain();
    await deliveries(2);

    // The delivery log of the entity (session flow's view) and the entity flow's replay agree.
    const log = body(await get(`session_data/${first.entity_id}/webhook_payloads/`)).payloads as { event_name: string; status: string; payload: Record<string, unknown> }[];
    assert.deepEqual(log.map((e) => e.event_name), ['ENTITY_STATEMENT_NOTIFICATION', 'ENTITY_STATEMENT_NOTIFICATION']);
    assert.deepEqual(log.map((e) => e.payload.statement_id), [second.statement_id, first.statement_id], 'newest first');
    const replay = body(await get('entity/webhook_payloads/?link_id=hook-a')).payloads as Record<string, unknown>[];
    assert.deepEqual(replay, [
      { statement_id: second.statement_id, entity_id: first.entity_id, link_id: 'hook-a', progress: 'failed', reason: failed.reason, date_time: '2026-11-21 06:00:00' },
      { statement_id: first.statement_id, entity_id: first.entity_id, link_id: 'hook-a', progress: 'completed', reason: '', date_time: '2026-11-21 06:00:00' },
    ]);
    assert.deepEqual(body(await get('entity/webhook_payloads/?link_id=hook-b')), { payloads: [] });

    // A session of the session flow, same client and URL, still gets the session flow's events.
    const sid = body(await app.inject({ method: 'POST', url: `${V1}/session/`, headers: { 'x-api-key': c.apiKey }, payload: { link_id: 'hook-a', accept_anything: true } })).session_id as string;
    const form = multipartPdf({ session_id: sid, upload_type: 'PDF' }, await renderStatementPdf(statement('sbi', { seed: 23, count: 10 })));
    assert.equal((await app.inject({ method: 'POST', url: `${V1}/statement/upload_session/`, headers: { 'x-api-key': c.apiKey, ...form.headers }, payload: form.payload })).statusCode, 200);
    const third = (await deliveries(3))[2]!;
    assert.equal(third.event_name, 'SESSION_REQUIREMENT_COMPLETION_NOTIFICATION');
    assert.equal(third.session_id, sid);
  });

  test('entity webhook: a statement is announced again only when a later processing changes its outcome', async (t) => {
    const { upload, processed, deliveries } = await setup(t, kind);
    const good = statement('hdfc', { seed: 31, count: 40 });
    const first = await upload({ link_id: 'hook-c' }, await renderStatementPdf(good));
    await processed(first.entity_id, 1);
    assert.equal((await deliveries(1))[0]!.progress, 'completed');
    // Another statement of the same account (same account number) that does not reconcile fails
    // the account, and with it the statement announced completed: both are announced, failed.
    const other = brokenCopy({ ...statement('hdfc', { seed: 32, count: 40 }), account: good.account }, 5);
    const second = await upload({ link_id: 'hook-c' }, await renderStatementPdf(other));
    await processed(first.entity_id, 2);
    const later = (await deliveries(3)).slice(1);
    assert.deepEqual(later.map((p) => [p.statement_id, p.progress]).sort(), [[first.statement_id, 'failed'], [second.statement_id, 'failed']].sort());
    assert.ok(later.every((p) => /^Calculated transaction balance does not match/.test(p.reason as string)));
  });
});
