/**
 * The outbox's ordering rule on both stores: only a session's head event can be claimed; the
 * next one becomes the head when the head leaves `pending`; a replay waits its turn.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import { buildSession } from '../../src/usecases/create-session.ts';
import { createClient } from '../../src/usecases/manage-clients.ts';
import type { Db } from '../../src/ports/db.ts';
import { sessionsRepository } from '../../src/store/repositories/sessions-repository.ts';
import { webhooksRepository, type ClaimedEvent } from '../../src/store/repositories/webhooks-repository.ts';
import { forEachStore, openTestDb } from '../helper.ts';

const deps = {
  banks: loadBankCatalogue(),
  config: { publicUrl: 'http://x', defaultSessionExpiryMinutes: 60, timeZone: 'Asia/Kolkata' },
  now: () => new Date(),
};

async function setup(db: Db) {
  const { client } = await createClient({ db }, { name: 'x' });
  const session = buildSession(deps, client, { link_id: 'u', accept_anything: true, is_mobile_field_editable: false });
  await sessionsRepository(db).insert(session);
  /** Records an event as a state change does: with the session row locked. */
  const record = (name: string) =>
    db.transaction(async (tx) => {
      await tx.query('update sessions set status = status where session_id = $1', [session.sessionId]);
      const eventId = randomUUID();
      await webhooksRepository(tx).insert({ eventId, clientId: client.clientId, sessionId: session.sessionId, eventName: name, body: `{"n":"${name}"}`, createdAt: new Date() });
      return eventId;
    });
  const claim = () => db.transaction((tx) => webhooksRepository(tx).claim(10, 10_000, 3600_000));
  const finish = (event: ClaimedEvent, ok: boolean) =>
    db.transaction((tx) =>
      webhooksRepository(tx).recordAttempts([
        { event, attempt: { startedAt: new Date(), statusCode: ok ? 200 : 500, latencyMs: 1, error: ok ? null : 'HTTP 500' }, verdict: ok ? { kind: 'delivered' } : { kind: 'retry', retryInMs: 0 } },
      ]),
    );
  return { session, record, claim, finish };
}

forEachStore((kind) => {
  test('a session\'s events are claimed one at a time, in order, and a retried head holds the rest back', async (t) => {
    const db = await openTestDb(t, kind);
    const { record, claim, finish, session } = await setup(db);
    const a = await record('A');
    const b = await record('B');
    const c = await record('C');

    const first = await claim();
    assert.deepEqual(first.map((e) => e.eventId), [a], 'only the head is due');
    assert.deepEqual(await claim(), [], 'a claimed head is locked; the others wait');
    assert.deepEqual(await finish(first[0]!, false), ['pending']);
    const retry = await claim();
    assert.deepEqual(retry.map((e) => [e.eventId, e.attempt]), [[a, 2]], 'the failed head comes back before B');
    assert.deepEqual(await finish(retry[0]!, true), ['delivered']);
    const second = await claim();
    assert.deepEqual(second.map((e) => e.eventId), [b]);
    assert.deepEqual(await finish(second[0]!, true), ['delivered']);

    // A replayed old event goes after the pending C, not beside it.
    assert.equal(await db.transaction((tx) => webhooksRepository(tx).replay(session.sessionId, a, 3600_000)), true);
    const third = await claim();
    assert.deepEqual(third.map((e) => e.eventId), [c]);
    assert.deepEqual(await finish(third[0]!, true), ['delivered']);
    const replayed = await claim();
    assert.deepEqual(replayed.map((e) => [e.eventId, e.attempt]), [[a, 3]]);
    assert.deepEqual(await finish(replayed[0]!, true), ['delivered']);
    assert.deepEqual(await claim(), []);
  });

  test('an outcome recorded by a worker whose lock ran out changes nothing', async (t) => {
    const db = await openTestDb(t, kind);
    const { record, finish } = await setup(db);
    await record('A');
    const stale = await db.transaction((tx) => webhooksRepository(tx).claim(1, 0, 3600_000));
    await new Promise((r) => setTimeout(r, 20));
    const taken = await db.transaction((tx) => webhooksRepository(tx).claim(1, 10_000, 3600_000));
    assert.equal(taken[0]!.attempt, 2, 'taken again after the lock ran out');
    assert.deepEqual(await finish(stale[0]!, true), [null], 'the stale worker is ignored');
    assert.deepEqual(await finish(taken[0]!, true), ['delivered']);
  });
});
