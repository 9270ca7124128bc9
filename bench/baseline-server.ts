/**
 * The benchmark's baseline: a bare Fastify route that does one INSERT into the same store
 * Passbook uses (same adapters, same migrations), configured from the same environment.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/open-store.ts';

const config = loadConfig(process.env);
const db = await openStore(config);
await db.exec('create table if not exists bench_baseline (id uuid primary key, link_id text not null, created_at timestamptz not null)');

const app = Fastify({ logger: { level: config.logLevel } });
app.post('/baseline', async (request) => {
  const id = randomUUID();
  await db.query('insert into bench_baseline (id, link_id, created_at) values ($1, $2, $3)', [
    id,
    (request.body as { link_id?: string }).link_id ?? '',
    new Date(),
  ]);
  return { session_id: id };
});
process.on('SIGTERM', () => void app.close().then(() => db.close()).then(() => process.exit(0)));
await app.listen({ port: config.port, host: config.host });
console.log('passbook ready');
