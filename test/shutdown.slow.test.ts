/**
 * Stopping the server as a process manager does: SIGTERM (or SIGINT) stops new connections,
 * lets requests in flight finish, and exits, within SHUTDOWN_TIMEOUT_SECONDS at most.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { test } from 'node:test';
import { request, startServer, storeEnv, tempDataDir, type RunningServer } from './process-helper.ts';

/** A session-create request whose body arrives in two halves: the second only when `finish` is called. */
function slowRequest(server: RunningServer): { finish(): void; response: Promise<{ status: number; connection: string | undefined; body: any }> } {
  const payload = Buffer.from(JSON.stringify({ link_id: 'slow-user' }));
  const req = http.request(`${server.url}/bank-connect/v1/session/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': payload.length },
  });
  const response = new Promise<{ status: number; connection: string | undefined; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.write(payload.subarray(0, 5));
  return { finish: () => req.end(payload.subarray(5)), response };
}

/** Waits until the server has logged `text`. */
async function logged(server: RunningServer, text: string): Promise<void> {
  for (let i = 0; i < 200 && !server.output().includes(text); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(server.output().includes(text), `expected "${text}" in:\n${server.output()}`);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: no new connections, the request in flight is answered, then the process exits 0`, async (t) => {
    // On PostgreSQL: the store plays no part here, and a first start on PGlite takes seconds.
    // LOG_LEVEL=debug: the server logs a request as it arrives, which says when to send the signal.
    const server = await startServer(t, { ...(await storeEnv(t, 'postgres')), LOG_LEVEL: 'debug' });
    const slow = slowRequest(server);
    await logged(server, '"msg":"incoming request"');
    server.proc.kill(signal);
    await logged(server, 'shutting down');
    await assert.rejects(fetch(`${server.url}/healthz`), 'a new connection is refused');
    slow.finish();
    const answered = await slow.response;
    // Without an API key: the body was read to the end and answered in the API's envelope.
    assert.equal(answered.status, 401);
    assert.equal(answered.body.error.code, 'AUTHENTICATION_CREDENTIALS_NOT_PROVIDED');
    // Or the client's keep-alive connection would hold the shutdown until it times out.
    assert.equal(answered.connection, 'close', 'the answer closes its connection');
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /"msg":"stopped"/);
  });
}

test('a request that never finishes does not hold the process past SHUTDOWN_TIMEOUT_SECONDS', async (t) => {
  const server = await startServer(t, { ...(await storeEnv(t, 'postgres')), SHUTDOWN_TIMEOUT_SECONDS: '0.5', LOG_LEVEL: 'debug' });
  const stuck = slowRequest(server);
  stuck.response.catch(() => {}); // the connection is cut when the process exits
  await logged(server, '"msg":"incoming request"');
  server.proc.kill('SIGTERM');
  assert.equal(await server.exited, 1);
  assert.match(server.output(), /shutdown timed out/);
});

test('npm start runs the compiled server and stops with it on SIGTERM', async (t) => {
  assert.ok(existsSync(new URL('../dist/main.js', import.meta.url)), 'dist/ is built by `npm install` (or `npm run build`)');
  const server = await startServer(t, { DATA_DIR: tempDataDir(t) }, 'npm start');
  assert.equal((await request(server, 'GET', '/healthz')).body.status, 'ok');
  // npm runs the script through `sh -c`; `exec` in the script makes the signal reach node.
  server.proc.kill('SIGTERM');
  await server.exited;
  await assert.rejects(fetch(`${server.url}/healthz`), 'the server is gone, not orphaned');
});
