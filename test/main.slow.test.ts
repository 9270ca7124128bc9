/**
 * The server as a process: zero-setup start on the embedded store, durability across
 * `kill -9`, the data-directory lock, config errors, and several processes on one PostgreSQL.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { migratedDataDir, request, startServer, storeEnv, tempDataDir } from './process-helper.ts';

const ADMIN = 'process-test-admin-token';
const adminHeaders = { authorization: `Bearer ${ADMIN}` };


test('embedded store: what was acknowledged survives kill -9, and a second process is refused', async (t) => {
  const dataDir = await migratedDataDir(t);
  const env = { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN };
  const first = await startServer(t, env);
  assert.equal((await request(first, 'GET', '/healthz')).body.store, 'pglite');

  const client = await request(first, 'POST', '/admin/v1/clients', { json: { name: 'durable' }, headers: adminHeaders });
  assert.equal(client.status, 201);
  const keys = { 'x-api-key': client.body.api_key, 'server-hash': client.body.server_hash };
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await request(first, 'POST', '/bank-connect/v1/session/', { json: { link_id: `user-${i}`, bank_name: 'sbi' }, headers: keys });
    assert.equal(res.status, 200);
    ids.push(res.body.session_id);
  }

  const second = await startServer(t, { ...env });
  assert.equal(await second.exited, 2);
  assert.match(second.output(), /DATA_DIR .* is in use by another Passbook process/);

  first.proc.kill('SIGKILL');
  await first.exited;

  const restarted = await startServer(t, env);
  for (const [i, id] of ids.entries()) {
    const res = await request(restarted, 'GET', `/bank-connect/v1/session_data/${id}/details/`, { headers: keys });
    assert.equal(res.status, 200);
    assert.equal(res.body.link_id, `user-${i}`);
    assert.equal(res.body.bank_name, 'sbi');
  }
  restarted.proc.kill('SIGTERM');
  assert.equal(await restarted.exited, 0);
});

test('embedded store: processing cut off by a kill -9 inside its job completes promptly after the restart', async (t) => {
  const { renderStatementPdf } = await import('../src/samples/render-statement.ts');
  const { statement } = await import('./statements/statement-fixtures.ts');
  const dataDir = await migratedDataDir(t);
  // The first process takes the request but runs no jobs, so that the state its job is in when
  // the process dies is the test's to choose.
  const first = await startServer(t, { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, RUN_JOBS: 'false' });
  const client = await request(first, 'POST', '/admin/v1/clients', { json: { name: 'jobs' }, headers: adminHeaders });
  const keys = { 'x-api-key': client.body.api_key, 'server-hash': client.body.server_hash };
  const sid = (await request(first, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026' }, headers: keys })).body.session_id;
  const form = new FormData();
  form.set('session_id', sid);
  form.set('upload_type', 'PDF');
  form.set('file', new Blob([new Uint8Array(await renderStatementPdf(statement('hdfc', { count: 30 })))], { type: 'application/pdf' }), 's.pdf');
  const uploaded = await fetch(`${first.url}/bank-connect/v1/statement/upload_session/`, { method: 'POST', headers: { 'x-api-key': keys['x-api-key'] }, body: form });
  assert.equal(uploaded.status, 200);
  assert.equal((await request(first, 'POST', `/bank-connect/v1/session_data/${sid}/initiate_processing/`, { headers: keys })).status, 202);
  assert.equal((await request(first, 'GET', `/bank-connect/v1/session_data/${sid}/progress/`, { headers: keys })).body.session_progress, 'processing');
  first.proc.kill('SIGKILL');
  await first.exited;
  // What a kill -9 inside the processing job leaves: the job claimed, its lease still running.
  // 300 s was the fixed lock a restart used to wait out; no process can hold an embedded store's
  // jobs but the one that opened it, so the restart frees them instead.
  const { openStore } = await import('../src/store/open-store.ts');
  const { jobsRepository } = await import('../src/store/repositories/jobs-repository.ts');
  const store = await openStore({ dataDir, databaseUrl: undefined });
  assert.ok(await jobsRepository(store).claim(300), 'the processing job, claimed by the process that died');
  await store.close();

  const restartedAt = performance.now();
  const second = await startServer(t, { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN });
  let progress = '';
  // Far under the 300 s lease, with room for a slow machine.
  while (progress !== 'completed' && performance.now() - restartedAt < 60_000) {
    progress = (await request(second, 'GET', `/bank-connect/v1/session_data/${sid}/progress/`, { headers: keys })).body.session_progress;
    if (progress !== 'completed') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(progress, 'completed', `still ${progress} ${Math.round((performance.now() - restartedAt) / 1000)} s after the restart`);
  const status = await request(second, 'GET', `/bank-connect/v1/session_data/${sid}/session_status/`, { headers: keys });
  assert.equal(status.body.accounts.length, 1);
  assert.equal(status.body.accounts[0].account_status, 'completed');
  const insights = await request(second, 'GET', `/bank-connect/v1/session_data/${sid}/insights/`, { headers: keys });
  assert.equal(insights.body.accounts[0].data.transactions.length, statement('hdfc', { count: 30 }).transactions.length, 'nothing lost or doubled');
});

test('embedded store: a statement a crash left half-stored is discarded at the next start', async (t) => {
  const { randomUUID } = await import('node:crypto');
  const { existsSync } = await import('node:fs');
  const { openStore } = await import('../src/store/open-store.ts');
  const { FsBlobStore } = await import('../src/blobs/fs-blob-store.ts');
  const { statementsRepository } = await import('../src/store/repositories/statements-repository.ts');
  const dataDir = await migratedDataDir(t);
  const env = { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN };
  const first = await startServer(t, env);
  const client = await request(first, 'POST', '/admin/v1/clients', { json: { name: 'crash' }, headers: adminHeaders });
  const keys = { 'x-api-key': client.body.api_key, 'server-hash': client.body.server_hash };
  const sid = (await request(first, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'u', from_date: '01/05/2026', to_date: '31/10/2026' }, headers: keys })).body.session_id;
  first.proc.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  // What a kill -9 while storing a statement leaves: its row (storing), its PDF, some of its rows.
  const db = await openStore({ dataDir, databaseUrl: undefined });
  const repo = statementsRepository(db);
  const statementId = randomUUID();
  const blobKey = `sessions/${sid}/${statementId}.pdf`;
  const accountId = await repo.ensureAccount(sid, 'hdfc', { accountNumber: '50100012345678' } as never, randomUUID());
  await repo.insertStoring({
    statementId, sessionId: sid, accountId, bankName: 'hdfc', source: 'pdf', fileSha256: 'f'.repeat(64), blobKey, uploadFileName: null,
    pageCount: 1, fromDate: null, toDate: null, openingBalancePaise: null, closingBalancePaise: null, reconciled: true, firstBreak: null, fraudFindings: [],
  });
  await repo.appendTransactions(statementId, accountId, Array.from({ length: 30 }, (_, i) => ({
    date: '2026-05-01' as never, narration: `ROW ${i}`, chqNum: null, type: 'credit' as const, amountPaise: 100, balancePaise: 100 * (i + 1), page: 1, bbox: [0, 0, 1, 1] as never,
  })));
  const blobPath = path.join(dataDir, 'blobs', blobKey);
  await new FsBlobStore(path.join(dataDir, 'blobs')).put(blobKey, Buffer.from('%PDF-1.4 partial'));
  assert.ok(existsSync(blobPath));
  await db.close();

  const second = await startServer(t, env);
  assert.match(second.output(), /discarded unfinished statements/);
  assert.equal((await request(second, 'GET', `/bank-connect/v1/session_data/${sid}/session_upload_status/`, { headers: keys })).body.upload_status, 'NO_UPLOAD');
  second.proc.kill('SIGTERM');
  assert.equal(await second.exited, 0);
  assert.ok(!existsSync(blobPath), 'the PDF is gone');
  const after = await openStore({ dataDir, databaseUrl: undefined });
  t.after(() => after.close());
  for (const table of ['statements', 'transactions', 'accounts']) {
    assert.deepEqual(await after.query(`select count(*)::int as n from ${table}`), [{ n: 0 }], table);
  }
});

test('a bad configuration value stops start-up with a clear message', async (t) => {
  const server = await startServer(t, { DATA_DIR: tempDataDir(t), PORT: '70000', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short' });
  assert.equal(await server.exited, 2);
  const out = server.output();
  assert.match(out, /Invalid configuration/);
  assert.match(out, /PORT must be a whole number from 0 to 65535/);
  assert.match(out, /LOG_LEVEL must be one of/);
  assert.match(out, /ADMIN_TOKEN must be at least 16 characters/);
  assert.doesNotMatch(out, /at .*\.ts:\d+/, 'no stack trace');
});

test('PostgreSQL: two API processes share one database', async (t) => {
  const env = { ...(await storeEnv(t, 'postgres')), ADMIN_TOKEN: ADMIN, CLIENT_CACHE_TTL_MS: '0' };
  const [a, b] = await Promise.all([startServer(t, env), startServer(t, env)]);
  assert.equal((await request(a, 'GET', '/healthz')).body.store, 'postgres');

  const client = await request(a, 'POST', '/admin/v1/clients', { json: { name: 'shared' }, headers: adminHeaders });
  const keys = { 'x-api-key': client.body.api_key, 'server-hash': client.body.server_hash };
  const created = await request(b, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'on-b' }, headers: { ...keys, 'idempotency-key': 'k1' } });
  assert.equal(created.status, 200);
  const replay = await request(a, 'POST', '/bank-connect/v1/session/', { json: { link_id: 'on-b' }, headers: { ...keys, 'idempotency-key': 'k1' } });
  assert.deepEqual(replay.body, created.body, 'the idempotency record is shared');
  const read = await request(a, 'GET', `/bank-connect/v1/session_data/${created.body.session_id}/details/`, { headers: keys });
  assert.equal(read.body.link_id, 'on-b');

  b.proc.kill('SIGKILL');
  await b.exited;
  const again = await request(a, 'GET', `/bank-connect/v1/session_data/${created.body.session_id}/details/`, { headers: keys });
  assert.equal(again.status, 200);
});
