import { openPglite } from './src/store/pglite-db.ts';
import { migrate } from './src/store/migrate.ts';
import { sessionsRepository } from './src/store/repositories/sessions-repository.ts';
import { GroupCommit } from './src/store/group-commit.ts';
import { buildSession } from './src/core/create-session.ts';
import { loadBankCatalogue } from './src/banks/bank-catalogue.ts';
import { createClient } from './src/core/manage-clients.ts';
import { mkdtempSync } from 'node:fs';
const db = await openPglite({ dataDir: mkdtempSync('/tmp/pgl-') }); await migrate(db);
const { client } = await createClient({ db }, { name: 'x' });
const deps = { banks: loadBankCatalogue(), config: { publicUrl: 'http://x', defaultSessionExpiryMinutes: 60, timeZone: 'Asia/Kolkata' }, now: () => new Date() };
const input = { link_id: 'u', bank_name: 'hdfc', mode: 'pdf', from_date: '01/05/2026', to_date: '15/11/2026', accept_anything: false, is_mobile_field_editable: false } as any;
const sizes: number[] = [];
const repo = sessionsRepository(db);
for (const n of [1, 8, 32, 100]) {
  const rows = Array.from({ length: n }, () => buildSession(deps, client, input));
  const t = performance.now(); const R = Math.ceil(2000 / n);
  for (let i = 0; i < R; i++) await repo.insertMany(Array.from({ length: n }, () => buildSession(deps, client, input)));
  console.log('batch', n, ((performance.now() - t) / (R * n) * 1000).toFixed(0), 'µs/row');
}
const gc = new GroupCommit<any>(async (rows) => { sizes.push(rows.length); await repo.insertMany(rows); }, { maxBatch: 100, maxInFlight: 1 });
await Promise.all(Array.from({ length: 32 }, async () => { for (let i = 0; i < 100; i++) await gc.write(buildSession(deps, client, input)); }));
console.log('batch sizes avg', sizes.reduce((a, b) => a + b, 0) / sizes.length, 'flushes', sizes.length);
