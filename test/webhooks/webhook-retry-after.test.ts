/**
 * A 429's Retry-After against real deliveries, on both stores: it can put the next attempt off
 * (never past the retry window), not bring it forward, and nothing it says can stop the attempt
 * from being recorded. Dates are read against the dispatcher's clock, fixed here in 2030.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webhooksRepository, type StoredEvent } from '../../src/store/repositories/webhooks-repository.ts';
import { retryAfterMs } from '../../src/webhooks/webhook-delivery.ts';
import { forEachStore, openTestDb, until } from '../helper.ts';
import { lender, startDispatcher } from './outbox-fixtures.ts';
import { startReceiver } from './webhook-receiver.ts';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const clock = () => new Date(NOW);
/** Recording an attempt, on a busy machine, after it started. */
const SLACK_MS = 5_000;

test('Retry-After is delta-seconds or one of the three HTTP-date forms, read against the given clock; anything else is none', () => {
  assert.equal(retryAfterMs('120', NOW), 120_000);
  assert.equal(retryAfterMs(' 0 ', NOW), 0);
  assert.equal(retryAfterMs('Tue, 01 Jan 2030 00:00:30 GMT', NOW), 30_000);
  assert.equal(retryAfterMs('Tuesday, 01-Jan-30 00:00:30 GMT', NOW), 30_000, 'RFC 850');
  assert.equal(retryAfterMs('Tue Jan  1 00:00:30 2030', NOW), 30_000, 'asctime');
  assert.equal(retryAfterMs('Mon, 31 Dec 2029 23:59:00 GMT', NOW), 0, 'a past date: no wait');
  assert.equal(retryAfterMs('Tue, 01 Jan 2030 00:00:30 GMT', NOW - 3600_000), 3630_000, 'the clock given, not the wall clock');
  assert.equal(retryAfterMs('99999999999999999999', NOW), 1e23, 'huge, for the caller to bound');
  // Date.parse would take each of these for a date ("1.5" is 5 January 2001: no wait at all).
  for (const garbage of ['1.5', '-1', '+5', 'soon', '', '5 seconds', 'Tue, 31 Feb 2030 00:00:30 GMT', '2030-01-01T00:05:00Z']) {
    assert.equal(retryAfterMs(garbage, NOW), null, garbage);
  }
  assert.equal(retryAfterMs(null, NOW), null);
});

forEachStore((kind) => {
  test('Retry-After lengthens the back-off, never shortens it, and stops at the retry window; every attempt is recorded', async (t) => {
    const db = await openTestDb(t, kind);
    const backoffMs = 20_000;
    const windowMs = 3600_000;
    const cases: { retryAfter: string; waitMs: [number, number] }[] = [
      { retryAfter: '0', waitMs: [backoffMs, backoffMs * 1.1 + SLACK_MS] },
      { retryAfter: 'Mon, 31 Dec 2029 23:59:00 GMT', waitMs: [backoffMs, backoffMs * 1.1 + SLACK_MS] },
      { retryAfter: '1.5', waitMs: [backoffMs, backoffMs * 1.1 + SLACK_MS] },
      { retryAfter: 'in a bit', waitMs: [backoffMs, backoffMs * 1.1 + SLACK_MS] },
      { retryAfter: 'Tue, 01 Jan 2030 00:05:00 GMT', waitMs: [300_000, 300_000 + SLACK_MS] },
      { retryAfter: '600', waitMs: [600_000, 600_000 + SLACK_MS] },
      // Past the window: the window's end (counted from the claim, just before the attempt).
      { retryAfter: '99999999999999999999', waitMs: [windowMs - SLACK_MS, windowMs + 1_000] },
    ];
    const bySession = new Map<string, string>();
    const receiver = await startReceiver(t, (_n, request) => ({ status: 429, headers: { 'retry-after': bySession.get(request.json.session_id)! } }));
    const acme = await lender(db, 'acme', receiver.url);
    const sessions: string[] = [];
    for (const c of cases) {
      const { sessionId } = await acme.event();
      bySession.set(sessionId, c.retryAfter);
      sessions.push(sessionId);
    }
    const { errors } = startDispatcher(t, db, { retryBaseMs: backoffMs, retryWindowMs: windowMs }, clock);

    const read = () => Promise.all(sessions.map(async (sid) => (await webhooksRepository(db).listForSession(sid))[0]!));
    await until('an attempt recorded for every event', read, (es) => es.every((e) => e.log.length > 0), 800);
    // Read again: the log reads events, then attempts, so the first read may have seen an
    // attempt but not its outcome, recorded in the same transaction.
    const events = await read();
    cases.forEach((c, i) => {
      const event: StoredEvent = events[i]!;
      assert.equal(event.status, 'pending', c.retryAfter);
      assert.deepEqual(event.log.map((a) => [a.attempt, a.statusCode]), [[1, 429]], c.retryAfter);
      const waitMs = event.nextAttemptAt!.getTime() - event.log[0]!.startedAt.getTime();
      assert.ok(waitMs >= c.waitMs[0] && waitMs <= c.waitMs[1], `Retry-After ${c.retryAfter}: next attempt ${waitMs} ms after this one, expected ${c.waitMs.join(' to ')}`);
    });
    // Ten poll periods: none of them is due again for 20 s at least.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.received.length, cases.length, 'one attempt per event, none repeated');
    assert.deepEqual(errors, []);
  });

  test('a Retry-After past the retry window: one more attempt at the window\'s end, then the event fails', async (t) => {
    const db = await openTestDb(t, kind);
    const receiver = await startReceiver(t, () => ({ status: 429, headers: { 'retry-after': '99999999999999999999' } }));
    const acme = await lender(db, 'acme', receiver.url);
    const { sessionId } = await acme.event();
    const windowMs = 1_500;
    const { errors } = startDispatcher(t, db, { retryBaseMs: 50, retryWindowMs: windowMs }, clock);
    const [event] = await until('the event leaving pending', () => webhooksRepository(db).listForSession(sessionId), (es) => es[0]?.status !== 'pending', 800);
    assert.equal(event!.status, 'failed');
    assert.equal(event!.nextAttemptAt, null);
    assert.deepEqual(event!.log.map((a) => [a.attempt, a.statusCode]), [[1, 429], [2, 429]]);
    const gapMs = event!.log[1]!.startedAt.getTime() - event!.log[0]!.startedAt.getTime();
    // The window runs from the first claim, a moment before the first attempt started.
    assert.ok(gapMs >= windowMs - 500, `the second attempt waited for the window's end (${gapMs} ms)`);
    assert.equal(receiver.received.length, 2);
    assert.deepEqual(errors, []);
  });
});
