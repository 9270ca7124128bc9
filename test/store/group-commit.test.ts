import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { loadBankCatalogue } from '../../src/banks/bank-catalogue.ts';
import { buildSession, type CreateSessionInput } from '../../src/usecases/create-session.ts';
import { createClient } from '../../src/usecases/manage-clients.ts';
import { GroupCommit } from '../../src/store/group-commit.ts';
import { sessionsRepository } from '../../src/store/repositories/sessions-repository.ts';
import { forEachStore, openTestDb } from '../helper.ts';

const deps = {
  banks: loadBankCatalogue(),
  config: { publicUrl: 'http://x', defaultSessionExpiryMinutes: 60, timeZone: 'Asia/Kolkata' },
  now: () => new Date(),
};
const input: CreateSessionInput = { link_id: 'u', accept_anything: false, is_mobile_field_editable: false };

forEachStore((kind) => {
  test('concurrent writes are committed in shared batches, each acknowledged only once stored', async (t) => {
    const db = await openTestDb(t, kind);
    const { client } = await createClient({ db }, { name: 'x' });
    const batches: number[] = [];
    const writer = new GroupCommit((rows: ReturnType<typeof buildSession>[]) => {
      batches.push(rows.length);
      return sessionsRepository(db).insertMany(rows);
    }, { maxBatch: 25, maxInFlight: 1 });

    const sessions = Array.from({ length: 60 }, (_, i) => buildSession(deps, client, { ...input, link_id: `user-${i}` }));
    await Promise.all(
      sessions.map(async (s) => {
        await writer.write(s);
        const stored = await sessionsRepository(db).findForClient(client.clientId, s.sessionId);
        assert.equal(stored?.linkId, s.linkId, 'readable as soon as acknowledged');
      }),
    );
    assert.equal(batches.reduce((a, b) => a + b, 0), 60);
    assert.ok(batches.length < 60 && Math.max(...batches) <= 25, `batches ${batches.join(',')}`);
  });

  test('one failing row fails only its own writer', async (t) => {
    const db = await openTestDb(t, kind);
    const { client } = await createClient({ db }, { name: 'x' });
    const writer = new GroupCommit((rows: ReturnType<typeof buildSession>[]) => sessionsRepository(db).insertMany(rows), { maxBatch: 100, maxInFlight: 2 });
    const existing = buildSession(deps, client, input);
    await writer.write(existing);
    const fresh = Array.from({ length: 10 }, () => buildSession(deps, client, input));
    const duplicate = { ...buildSession(deps, client, input), sessionId: existing.sessionId };
    const orphan = { ...buildSession(deps, client, input), clientId: randomUUID() };
    const results = await Promise.allSettled([...fresh, duplicate, orphan].map((s) => writer.write(s)));
    assert.deepEqual(results.map((r) => r.status), [...fresh.map(() => 'fulfilled'), 'rejected', 'rejected']);
    const rows = await db.query<{ n: bigint }>('select count(*) as n from sessions');
    assert.equal(rows[0]!.n, 11n);
  });
});
