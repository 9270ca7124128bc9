/**
 * Fair delivery between lenders, on both stores: one lender's backlog, or its receiver hanging,
 * must not hold another lender's events back (issue 13). Claims take clients in turns, and a
 * client gets at most `maxInFlightPerClient` deliveries in flight.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webhooksRepository } from '../../src/store/repositories/webhooks-repository.ts';
import { forEachStore, openTestDb, until } from '../helper.ts';
import { lender, startDispatcher } from './outbox-fixtures.ts';
import { startReceiver } from './webhook-receiver.ts';

forEachStore((kind) => {
  test('a claim takes clients in turns, oldest first within each, and gives a client at its cap nothing', async (t) => {
    const db = await openTestDb(t, kind);
    const a = await lender(db, 'a', 'https://a.example/hook');
    const b = await lender(db, 'b', 'https://b.example/hook');
    const aEvents: string[] = [];
    for (let i = 0; i < 8; i++) aEvents.push((await a.event()).eventId);
    // Due after all of A's: by due time alone, A's backlog would fill every claim first.
    const bEvents = [(await b.event()).eventId, (await b.event()).eventId];
    const claim = (limit: number, inFlight: Record<string, number>) =>
      db.transaction((tx) => webhooksRepository(tx).claim(limit, 10_000, 3600_000, { maxPerClient: 3, inFlight: new Map(Object.entries(inFlight)) }));

    const first = await claim(4, {});
    assert.deepEqual(new Set(first.map((e) => e.eventId)), new Set([aEvents[0], bEvents[0], aEvents[1], bEvents[1]]), 'A and B in turns');
    assert.deepEqual(await claim(8, { [a.clientId]: 3 }), [], 'A is at its cap of 3, and B has nothing due');
    const second = await claim(8, { [a.clientId]: 2 });
    assert.deepEqual(second.map((e) => e.eventId), [aEvents[2]], 'A gets the one slot left under its cap, its oldest due event');
    const third = await claim(8, {});
    assert.deepEqual(third.map((e) => e.eventId).sort(), aEvents.slice(3, 6).sort(), 'never more than the cap in one claim either');
  });

  test('claims made at once (two processes) never take the same event', async (t) => {
    const db = await openTestDb(t, kind);
    const a = await lender(db, 'a', 'https://a.example/hook');
    const b = await lender(db, 'b', 'https://b.example/hook');
    for (let i = 0; i < 6; i++) await a.event();
    for (let i = 0; i < 6; i++) await b.event();
    const claim = () => db.transaction((tx) => webhooksRepository(tx).claim(5, 10_000, 3600_000, { maxPerClient: 3, inFlight: new Map() }));
    const claims = await Promise.all([claim(), claim(), claim()]);
    // A claimer may hold a row it looked at and left out until it commits; the others skip it
    // meanwhile, so one more claim can be needed to take every due event.
    claims.push(await claim());
    const ids = claims.flat().map((e) => e.eventId);
    assert.equal(new Set(ids).size, ids.length, 'no event claimed twice');
    assert.equal(ids.length, 12, 'and every due event claimed');
  });

  test("a client whose receiver hangs holds at most its cap; another client's event goes out meanwhile", async (t) => {
    const db = await openTestDb(t, kind);
    const hanging = await startReceiver(t, () => 'hang');
    const healthy = await startReceiver(t);
    const slow = await lender(db, 'slow', hanging.url);
    const quick = await lender(db, 'quick', healthy.url);
    const cap = 3;
    const concurrency = 8;
    // A backlog larger than every slot together, all due before the other client's event.
    for (let i = 0; i < concurrency + 4; i++) await slow.event();
    const { sessionId } = await quick.event();
    // The hanging deliveries would time out only long after this test has its answer.
    const { dispatcher, errors } = startDispatcher(t, db, { concurrency, maxInFlightPerClient: cap, timeoutMs: 60_000 });
    t.after(async () => {
      hanging.dropConnections();
      await dispatcher.stop();
    });

    await healthy.waitFor(1, 20_000);
    const [event] = await until("the other client's event delivered", () => webhooksRepository(db).listForSession(sessionId), (es) => es[0]?.status === 'delivered', 800);
    assert.deepEqual(event!.log.map((a) => a.statusCode), [200]);
    assert.ok(hanging.received.length <= cap, `the slow client had ${hanging.received.length} deliveries in flight`);
    assert.equal(hanging.answered, 0, "the slow client's deliveries are all still hanging");
    await hanging.waitFor(cap);
    // Many poll periods later, the slow client still has no more than its cap in flight.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hanging.received.length, cap);
    assert.equal(hanging.answered, 0);

    hanging.dropConnections();
    await dispatcher.stop();
    assert.deepEqual(errors, []);
  });
});
